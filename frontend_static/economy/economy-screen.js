// #/economy: one month's indicator (税收 by default) for the town, in total and by group, each
// with its 环比 and 同比 (or the 1–N月累计 同比) counted like for like by the server. A rate is a
// link to the enterprises behind it (#/economy-rows?<the figure's filter>&which=…): two taps
// from the figure to its rows. Missing is shown as missing ("—", "无数据"), never as 0.

import { addMonths, isMonth, today } from "../common/dates.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { getFigures } from "./api.js";
import { figureValue, rowsHref } from "./parts.js";
import { errorView, fill, h, stateView } from "../common/ui.js";

const METRICS = ["tax", "revenue", "output_value", "employees", "energy"];
const KINDS = ["month", "ytd"];
const SCOPES = ["all", "above_scale"];
const BYS = ["none", "industry", "size"];

function select(id, label, values, key, current) {
  const el = h("select", { class: "input", id, "aria-label": label }, values.map((v) => h("option", { value: v, selected: v === current }, t(`${key}.${v}`))));
  return el;
}

export function mount(el, { params }) {
  const lastMonth = addMonths(today().slice(0, 7), -1);
  const state = {
    metric: METRICS.includes(params.get("metric")) ? params.get("metric") : "tax",
    month: isMonth(params.get("month")) ? params.get("month") : lastMonth,
    kind: KINDS.includes(params.get("kind")) ? params.get("kind") : "month",
    scope: SCOPES.includes(params.get("scope")) ? params.get("scope") : "all",
    by: BYS.includes(params.get("by")) ? params.get("by") : "industry",
  };
  const metric = select("economy-metric", t("economy.metric"), METRICS, "economy.metric", state.metric);
  const month = h("input", { type: "month", class: "input", id: "economy-month", value: state.month, max: today().slice(0, 7), "aria-label": t("economy.month") });
  const by = select("economy-by", t("economy.by"), BYS, "economy.by", state.by);
  const segs = (name, values) =>
    h("div", { class: "segmented", role: "group", "aria-label": t("economy.tabsLabel") }, values.map((v) => h("button", { type: "button", class: "seg", id: `economy-${name}-${v}`, "aria-pressed": String(state[name] === v), onclick: () => set(name, v) }, t(`economy.${name}.${v}`))));
  const kinds = segs("kind", KINDS);
  const scopes = segs("scope", SCOPES);
  const body = h("div", { id: "economy-body", "aria-live": "polite" });
  el.append(
    h(
      "div",
      { class: "page economy" },
      h("section", { class: "card controls-card ec-controls" }, h("div", { class: "ec-row" }, metric, month), kinds, scopes, by),
      body,
    ),
  );

  let controller = null;
  function set(name, value) {
    state[name] = value;
    for (const b of el.querySelectorAll(`[id^="economy-${name}-"]`)) b.setAttribute("aria-pressed", String(b.id === `economy-${name}-${value}`));
    load();
  }
  metric.addEventListener("change", () => set("metric", metric.value));
  by.addEventListener("change", () => set("by", by.value));
  month.addEventListener("change", () => {
    if (isMonth(month.value)) set("month", month.value);
  });

  async function load() {
    history.replaceState(history.state, "", `#/economy?${new URLSearchParams(state)}`);
    controller?.abort();
    const mine = (controller = new AbortController());
    fill(body, stateView("loading", { title: t("economy.loading") }));
    try {
      const data = await getFigures(state, { signal: mine.signal });
      if (!mine.signal.aborted) paint(data);
    } catch (error) {
      if (!mine.signal.aborted) fill(body, errorView(error, { title: t("economy.error"), onRetry: load }));
    }
  }

  function paint(data) {
    if (!data.total.enterprises) return fill(body, stateView("empty", { title: t("economy.empty") }));
    fill(
      body,
      h("h2", { class: "section-title", id: "economy-heading" }, `${data.period_label} · ${data.metric_label} · ${data.scope_label}`),
      figureCard(data, data.total, "economy-total", t("economy.total")),
      data.rows.map((row, i) => figureCard(data, row, `economy-row-${i}`, row.label)),
    );
  }

  load();
  return () => controller?.abort();
}

function figureCard(data, figure, id, label) {
  return h(
    "section",
    { class: "card ec-figure", id, dataset: { group: figure.group } },
    h("div", { class: "ec-figure-head" }, h("h3", { class: "sub-title" }, label), h("span", { class: "hint" }, t("economy.firms", { n: figure.enterprises }))),
    h("p", { class: "ec-value", id: `${id}-value` }, figureValue(figure.current, data.unit)),
    h(
      "div",
      { class: "ec-rates" },
      Object.entries(figure.comparisons).map(([which, c]) =>
        h(
          "a",
          { class: `ec-rate ec-rule-${c.rule}`, id: `${id}-${which}`, href: rowsHref(figure.filter, which) },
          h("span", { class: "hint" }, t(`economy.which.${which}`)),
          h("strong", {}, c.label),
        ),
      ),
    ),
    Object.entries(figure.comparisons).map(([which, c]) => h("p", { class: "hint ec-explained", id: `${id}-${which}-explained` }, `${t(`economy.which.${which}`)}：${c.explained}`)),
    figure.missing_current_count ? h("p", { class: "hint" }, t("economy.missingCurrent", { n: figure.missing_current_count })) : null,
  );
}
