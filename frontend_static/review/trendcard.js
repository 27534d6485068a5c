// The trend card of 报表: a metric and month/week switch, a Chart.js chart
// (bars this period, dashed line the same period last year) and the same
// figures as a table with 环比/同比, which also serves screen readers.

import { get } from "../common/api.js";
import { drawTrendChart, loadChartJs } from "./charts.js";
import { addDays, addMonths, formatPeriod, minDay, monthEnd, today } from "../common/dates.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { METRICS, changeChip, formatMetric, metricHint, metricLabel } from "./metrics.js";
import { errorView, h, stateView } from "../common/ui.js";

const SPAN = { month: 12, week: 12 };

// Kept while the page lives: the chosen metric and granularity.
const state = { metric: "visits", granularity: "month" };

function rangeFor(month, granularity) {
  const end = minDay(monthEnd(month), today());
  if (granularity === "month") return { from: `${addMonths(month, -(SPAN.month - 1))}-01`, to: end };
  return { from: addDays(end, -7 * (SPAN.week - 1)), to: end };
}

function table(series, metric, granularity) {
  const withYear = granularity === "month";
  return h(
    "details",
    { class: "trend-details" },
    h("summary", { class: "trend-summary" }, t("trend.table")),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "trend-table", id: "trend-table" },
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col" }, t("trend.period")), h("th", { scope: "col", class: "col-num" }, metricLabel(metric)), h("th", { scope: "col" }, t("metric.mom")), h("th", { scope: "col" }, t("metric.yoy"))),
        ),
        h(
          "tbody",
          {},
          [...series].reverse().map((p) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, formatPeriod(p.period, granularity, { withYear })),
              h("td", { class: "col-num" }, formatMetric(metric, p.value)),
              h("td", {}, changeChip("mom", p.mom_pct, { lowerIsBetter: METRICS[metric].lowerIsBetter })),
              h("td", {}, changeChip("yoy", p.yoy_pct, { lowerIsBetter: METRICS[metric].lowerIsBetter })),
            ),
          ),
        ),
      ),
    ),
  );
}

/** mountTrendCard() → {el, load(month), destroy()} */
export function mountTrendCard() {
  const metricSelect = h(
    "select",
    { class: "input", id: "trend-metric", "aria-label": t("trend.metric") },
    Object.keys(METRICS).map((metric) => h("option", { value: metric }, metricLabel(metric))),
  );
  metricSelect.value = state.metric;
  const grainButtons = ["month", "week"].map((granularity) =>
    h("button", { type: "button", class: "seg", id: `grain-${granularity}`, dataset: { granularity }, "aria-pressed": String(state.granularity === granularity) }, t(`trend.${granularity}`)),
  );
  const canvas = h("canvas", { id: "trend-chart", role: "img", "aria-label": t("trend.chartLabel") });
  const chartBox = h("div", { class: "chart-box" }, canvas);
  const status = h("div", { class: "trend-status" });
  const hint = h("p", { class: "hint", id: "trend-hint" });
  const tableBox = h("div", { class: "trend-table-box" });
  const el = h(
    "section",
    { class: "card trend-card", id: "trend-card" },
    h("h2", { class: "card-title" }, t("trend.title")),
    h("div", { class: "trend-tools" }, metricSelect, h("div", { class: "segmented", role: "group", "aria-label": t("trend.granularity") }, grainButtons)),
    hint,
    chartBox,
    status,
    tableBox,
  );

  let month = null;
  let chart = null;
  let controller = null;
  let gone = false;

  function clear() {
    chart?.destroy();
    chart = null;
  }

  async function load(nextMonth = month) {
    month = nextMonth;
    controller?.abort();
    const mine = (controller = new AbortController());
    const { metric, granularity } = state;
    hint.textContent = metricHint(metric);
    hint.hidden = !hint.textContent;
    const { from, to } = rangeFor(month, granularity);
    status.replaceChildren(stateView("loading", { title: t("trend.loading") }));
    chartBox.hidden = true;
    try {
      const [Chart, data] = await Promise.all([
        loadChartJs(),
        get(`/api/reports/trends?metric=${metric}&granularity=${granularity}&date_from=${from}&date_to=${to}`, { signal: mine.signal }),
      ]);
      if (gone || mine.signal.aborted) return;
      const series = data.series;
      clear();
      status.replaceChildren();
      tableBox.replaceChildren(table(series, metric, granularity));
      if (!series.some((p) => p.value !== null && p.value !== 0)) {
        status.replaceChildren(stateView("empty", { title: t("trend.emptyTitle") }));
      }
      chartBox.hidden = false;
      const multiYear = granularity === "month";
      chart = drawTrendChart(Chart, canvas, {
        points: series.map((p, i) => ({ ...p, label: formatPeriod(p.period, granularity, { withYear: multiYear && (i === 0 || p.period.slice(5, 7) === "01") }) })),
        valueLabel: metricLabel(metric),
        lastYearLabel: t("trend.lastYear"),
        format: (value) => formatMetric(metric, value),
        decimals: METRICS[metric].decimals || 0,
      });
      canvas.dataset.metric = metric;
      canvas.dataset.periods = String(series.length);
      canvas.dataset.granularity = granularity;
    } catch (error) {
      if (gone || mine.signal.aborted) return;
      clear();
      tableBox.replaceChildren();
      if (error && error.name === "ApiError") status.replaceChildren(errorView(error, { title: t("trend.errorTitle"), onRetry: () => load() }));
      else status.replaceChildren(stateView("error", { title: t("trend.errorTitle"), message: t("trend.chartLib"), onRetry: () => load() }));
    }
  }

  metricSelect.addEventListener("change", () => {
    state.metric = metricSelect.value;
    load();
  });
  grainButtons.forEach((button) =>
    button.addEventListener("click", () => {
      state.granularity = button.dataset.granularity;
      grainButtons.forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
      load();
    }),
  );

  return {
    el,
    load,
    destroy() {
      gone = true;
      controller?.abort();
      clear();
    },
  };
}
