// Trend charts with Chart.js, served by the app itself (npm, no CDN). Its UMD
// build is loaded on first use with a <script src> (allowed by script-src 'self')
// and defines window.Chart; screens that never draw a chart never load it.

import { t } from "../common/i18n.js";
import "./strings.js";
import { formatPct } from "./metrics.js";

const CHART_URL = new URL("../../vendor/chartjs/chart.umd.js", import.meta.url).href;
let loading = null;

export function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = CHART_URL;
    script.async = true;
    script.addEventListener("load", () => (window.Chart ? resolve(window.Chart) : reject(new Error("Chart.js did not define Chart"))));
    script.addEventListener("error", () => {
      script.remove();
      reject(new Error("Chart.js could not be loaded"));
    });
    document.head.append(script);
  });
  loading.catch(() => (loading = null)); // a later attempt (back online) may work
  return loading;
}

function cssVar(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * A bar per period (this period's value) and a dashed line (the same period a
 * year before; null values are gaps), with 环比/同比 in the tooltip. Returns the Chart (call .destroy()).
 * `points`: [{label, value, last_year, mom_pct, yoy_pct}], `format(value)` for the axis and tooltip,
 * `decimals` the finest step of the value axis (0: whole numbers only).
 */
export function drawTrendChart(Chart, canvas, { points, valueLabel, lastYearLabel, format, decimals = 0 }) {
  const brand = cssVar("--brand", "#0b5cad");
  const ink = cssVar("--ink-2", "#3b4654");
  const font = { family: getComputedStyle(document.body).fontFamily, size: 14 };
  return new Chart(canvas, {
    data: {
      labels: points.map((p) => p.label),
      datasets: [
        {
          type: "bar",
          label: valueLabel,
          data: points.map((p) => p.value),
          backgroundColor: brand,
          borderRadius: 4,
          maxBarThickness: 36,
          order: 2,
        },
        {
          type: "line",
          label: lastYearLabel,
          data: points.map((p) => p.last_year),
          borderColor: "#b35c00",
          backgroundColor: "#b35c00",
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 3,
          // No data (before the town's first record) is a gap, not a line down to 0 (issue 12).
          spanGaps: false,
          order: 1,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { ticks: { color: ink, font, maxRotation: 0, autoSkip: true }, grid: { display: false } },
        y: { beginAtZero: true, ticks: { color: ink, font, precision: decimals, callback: (value) => format(value) }, grid: { color: "#e3e8ee" } },
      },
      plugins: {
        legend: { position: "bottom", labels: { color: ink, font, boxWidth: 18 } },
        tooltip: {
          titleFont: font,
          bodyFont: font,
          footerFont: font,
          callbacks: {
            label: (item) => `${item.dataset.label}: ${format(item.raw)}`,
            footer: (items) => {
              const p = points[items[0].dataIndex];
              return [`${t("metric.mom")} ${formatPct(p.mom_pct)}`, `${t("metric.yoy")} ${formatPct(p.yoy_pct)}`];
            },
          },
        },
      },
    },
  });
}
