// The report metrics: their names, how their values read, and the 环比/同比
// change chips (↑ / ↓ with a colour, "—" when there is nothing to compare with).

import { getLang, t } from "../common/i18n.js";
import "./strings.js";
import { h } from "../common/ui.js";

/** In the order the dashboard shows them. `lowerIsBetter` turns the colours round. */
export const METRICS = {
  visits: { labelKey: "metric.visits", unitKey: "metric.unit.visits" },
  enterprises_visited: { labelKey: "metric.enterprises_visited", unitKey: "metric.unit.enterprises" },
  demands: { labelKey: "metric.demands", unitKey: "metric.unit.demands", hintKey: "metric.hint.demands" },
  // The demands ledger (issue 13): first resolutions and missed deadlines on the team's desks.
  demands_resolved: { labelKey: "metric.demands_resolved", unitKey: "metric.unit.demands", hintKey: "metric.hint.demands_resolved" },
  demands_overdue: { labelKey: "metric.demands_overdue", unitKey: "metric.unit.demands", hintKey: "metric.hint.demands_overdue", lowerIsBetter: true },
  rating: { labelKey: "metric.rating", unitKey: "metric.unit.rating", decimals: 2 },
  vacant_site_area: { labelKey: "metric.vacant_site_area", unitKey: "metric.unit.area", lowerIsBetter: true },
};

function locale() {
  return getLang() === "en" ? "en-GB" : "zh-CN";
}

export function formatNumber(value, { decimals = 0 } = {}) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: decimals, minimumFractionDigits: 0 }).format(value);
}

export function formatMetric(metric, value) {
  return formatNumber(value, { decimals: (METRICS[metric] && METRICS[metric].decimals) || 0 });
}

export function metricLabel(metric) {
  return METRICS[metric] ? t(METRICS[metric].labelKey) : metric;
}

/** How a metric is counted, in words ("" when its name says it all). */
export function metricHint(metric) {
  return METRICS[metric] && METRICS[metric].hintKey ? t(METRICS[metric].hintKey) : "";
}

export function metricUnit(metric) {
  return METRICS[metric] ? t(METRICS[metric].unitKey) : "";
}

/** "+12.5%" / "−3%" / "—" */
export function formatPct(pct) {
  if (typeof pct !== "number" || !Number.isFinite(pct)) return "—";
  const abs = formatNumber(Math.abs(pct), { decimals: 1 });
  return pct > 0 ? `↑${abs}%` : pct < 0 ? `↓${abs}%` : `${abs}%`;
}

/**
 * A 环比 or 同比 chip. kind: "mom" | "yoy". The direction decides the colour:
 * good (green) or bad (red), flat or unknown stays grey.
 */
export function changeChip(kind, pct, { lowerIsBetter = false, id } = {}) {
  const known = typeof pct === "number" && Number.isFinite(pct);
  const direction = !known ? "none" : pct > 0 ? "up" : pct < 0 ? "down" : "flat";
  const good = direction === "up" ? !lowerIsBetter : direction === "down" ? lowerIsBetter : null;
  const tone = good === null ? "neutral" : good ? "good" : "bad";
  const label = t(kind === "mom" ? "metric.mom" : "metric.yoy");
  const text = formatPct(pct);
  return h(
    "span",
    {
      class: `change change-${tone}`,
      id,
      dataset: { change: kind, direction },
      title: known ? `${label} ${text}` : `${label}: ${t("metric.noComparison")}`,
    },
    h("span", { class: "change-label" }, label),
    h("span", { class: "change-value" }, text),
  );
}
