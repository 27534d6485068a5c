// 报表: the month's 经济数据汇总 (dashboard cards with 环比/同比, vacant sites by
// type) and the trend chart. Pick the month, or step month by month.

import { get } from "../common/api.js";
import { addMonths, formatMonth, isMonth, today } from "../common/dates.js";
import { renderDashboard } from "./dashboard.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { mountTrendCard } from "./trendcard.js";
import { errorView, h, icon, stateView } from "../common/ui.js";

let lastMonth = null;

export function mount(el, { params }) {
  const thisMonth = today().slice(0, 7);
  const wanted = params.get("month");
  let month = isMonth(wanted) && wanted <= thisMonth ? wanted : lastMonth || thisMonth;

  const monthInput = h("input", { type: "month", class: "input", id: "report-month", value: month, max: thisMonth, "aria-label": t("report.month") });
  const prevButton = h("button", { type: "button", class: "btn btn-secondary day-step", id: "month-prev", "aria-label": t("report.prevMonth") }, "‹ ", t("report.prevMonthShort"));
  const nextButton = h("button", { type: "button", class: "btn btn-secondary day-step", id: "month-next", "aria-label": t("report.nextMonth") }, t("report.nextMonthShort"), " ›");
  const heading = h("h2", { class: "report-heading", id: "report-heading" });
  const partial = h("p", { class: "hint", id: "report-partial", hidden: true }, t("report.partial"));
  const dash = h("div", { class: "dash", id: "dash-body" });
  const trend = mountTrendCard();

  el.append(
    h(
      "div",
      { class: "wide-page reports" },
      h("section", { class: "card controls-card" }, h("div", { class: "field" }, h("span", { class: "field-title" }, t("report.month")), h("div", { class: "day-stepper" }, prevButton, monthInput, nextButton))),
      h("a", { class: "card link-card", id: "report-economy", href: "#/economy" }, h("span", {}, h("span", { class: "link-card-title" }, t("report.economyLink")), h("span", { class: "hint link-card-hint" }, t("report.economyHint"))), icon("navigate")),
      heading,
      partial,
      dash,
      trend.el,
    ),
  );

  let controller = null;
  let gone = false;

  async function loadDashboard() {
    controller?.abort();
    const mine = (controller = new AbortController());
    dash.replaceChildren(stateView("loading", { title: t("report.loading") }));
    try {
      const data = await get(`/api/reports/dashboard?month=${month}`, { signal: mine.signal });
      if (gone || mine.signal.aborted) return;
      dash.replaceChildren(...renderDashboard(data));
      // 本月至今: the server compares its first n days with the same days before (like for like).
      const days = data.visits.days;
      partial.textContent = days ? t("report.partial", { n: days }) : "";
      partial.hidden = !days;
    } catch (error) {
      if (gone || mine.signal.aborted) return;
      dash.replaceChildren(errorView(error, { title: t(error.offline ? "report.offlineTitle" : "report.errorTitle"), onRetry: loadDashboard }));
    }
  }

  function show() {
    lastMonth = month;
    history.replaceState(history.state, "", `#/reports?month=${month}`);
    monthInput.value = month;
    nextButton.disabled = month >= thisMonth;
    heading.textContent = t("report.heading", { month: formatMonth(month) });
    partial.hidden = true; // shown once the dashboard says how many days this month has so far
    loadDashboard();
    trend.load(month);
  }

  monthInput.addEventListener("change", () => {
    if (!isMonth(monthInput.value) || monthInput.value > thisMonth) {
      monthInput.value = month;
      return;
    }
    month = monthInput.value;
    show();
  });
  prevButton.addEventListener("click", () => {
    month = addMonths(month, -1);
    show();
  });
  nextButton.addEventListener("click", () => {
    if (month >= thisMonth) return;
    month = addMonths(month, 1);
    show();
  });

  show();
  return () => {
    gone = true;
    controller?.abort();
    trend.destroy();
  };
}
