// 经济数据汇总: the dashboard's cards for one month — enterprises (registered vs
// all), visits, enterprises visited, demands, rating, vacant site area, each with
// its value and 环比/同比 — and the vacant sites by type.

import { t } from "../common/i18n.js";
import "./strings.js";
import { METRICS, changeChip, formatMetric, formatNumber, metricHint, metricLabel, metricUnit } from "./metrics.js";
import { openSheet } from "../common/sheet.js";
import { h, icon } from "../common/ui.js";

const SITE_TYPES = new Set(["factory", "office", "warehouse", "shop", "land", "other"]);

function metricCard(metric, point) {
  const spec = METRICS[metric];
  return h(
    "section",
    { class: "dash-card", id: `dash-${metric}`, dataset: { metric } },
    h("h3", { class: "dash-label" }, metricLabel(metric)),
    h("p", { class: "dash-value" }, h("span", { class: "dash-number" }, formatMetric(metric, point.value)), h("span", { class: "dash-unit" }, metricUnit(metric))),
    h(
      "div",
      { class: "dash-changes" },
      changeChip("mom", point.mom_pct, { lowerIsBetter: spec.lowerIsBetter, id: `dash-${metric}-mom` }),
      changeChip("yoy", point.yoy_pct, { lowerIsBetter: spec.lowerIsBetter, id: `dash-${metric}-yoy` }),
    ),
    metricHint(metric) ? whyButton(metric) : null,
  );
}

/** 怎么算的？: the metric's counting rule in a sheet, one tap away. */
function whyButton(metric) {
  const open = () => {
    const sheet = openSheet({ title: metricLabel(metric), id: "dash-why-sheet" });
    sheet.setContent(h("p", { id: "dash-why-text" }, metricHint(metric)));
  };
  return h("button", { type: "button", class: "dash-why", id: `dash-${metric}-why`, onclick: open }, icon("help", "chip-icon"), t("dash.why"));
}

function enterpriseCard(counts) {
  return h(
    "section",
    { class: "dash-card dash-card-wide", id: "dash-enterprises" },
    h("h3", { class: "dash-label" }, t("dash.enterprises")),
    h(
      "p",
      { class: "dash-value" },
      h("span", { class: "dash-number", id: "dash-registered" }, formatNumber(counts.registered)),
      h("span", { class: "dash-unit" }, t("dash.ofTotal", { total: formatNumber(counts.total) })),
    ),
    h(
      "div",
      { class: "meter", role: "img", "aria-label": t("dash.registeredPct", { pct: formatNumber(counts.registered_pct, { decimals: 1 }) }) },
      h("span", { class: "meter-fill", style: { width: `${Math.min(100, Math.max(0, counts.registered_pct || 0))}%` } }),
    ),
    h("p", { class: "dash-note" }, t("dash.registeredPct", { pct: formatNumber(counts.registered_pct, { decimals: 1 }) })),
  );
}

function vacantByType(rows) {
  const maxArea = Math.max(1, ...rows.map((r) => r.area_m2));
  const shown = rows.filter((r) => r.count > 0 || r.type !== "other");
  return h(
    "section",
    { class: "card", id: "dash-vacant-types" },
    h("h2", { class: "card-title" }, t("dash.vacantByType")),
    h(
      "ul",
      { class: "type-bars" },
      shown.map((row) =>
        h(
          "li",
          { class: "type-bar", dataset: { type: row.type } },
          h("span", { class: "type-name" }, SITE_TYPES.has(row.type) ? t(`siteType.${row.type}`) : row.label),
          h("span", { class: "type-track", "aria-hidden": "true" }, h("span", { class: "type-fill", style: { width: `${(row.area_m2 / maxArea) * 100}%` } })),
          h("span", { class: "type-figures" }, h("strong", {}, t("dash.area", { n: formatNumber(row.area_m2) })), " · ", t("dash.sites", { n: formatNumber(row.count) })),
        ),
      ),
    ),
  );
}

/** renderDashboard(data) → [cards section, vacant-by-type section] */
export function renderDashboard(data) {
  return [
    h(
      "div",
      { class: "dash-grid", id: "dashboard" },
      enterpriseCard(data.enterprises),
      Object.keys(METRICS).map((metric) => metricCard(metric, data[metric])),
    ),
    vacantByType(data.vacant_sites_by_type),
  ];
}
