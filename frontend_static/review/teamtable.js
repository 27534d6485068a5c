// The team report as a sortable table: tap a column header to sort by it (tap
// again to turn the order round); empty values always sort last. Each person's
// name opens their trail. Phones scroll the table sideways, the name stays put.

import { t } from "../common/i18n.js";
import "./strings.js";
import { formatNumber } from "./metrics.js";
import { h } from "../common/ui.js";

const COLUMNS = [
  { key: "staff_name", labelKey: "team.col.name", text: true },
  { key: "team", labelKey: "team.col.team", text: true, optional: true },
  { key: "visits", labelKey: "team.col.visits" },
  { key: "enterprises", labelKey: "team.col.enterprises" },
  { key: "coverage_pct", labelKey: "team.col.coverage" },
  { key: "avg_duration_min", labelKey: "team.col.duration" },
  { key: "flagged_visits", labelKey: "team.col.flagged" },
  { key: "avg_rating", labelKey: "team.col.rating" },
  { key: "demands", labelKey: "team.col.demands" },
  { key: "demands_assigned", labelKey: "team.col.demandsAssigned" },
  { key: "demands_resolved", labelKey: "team.col.demandsResolved" },
  { key: "demands_overdue", labelKey: "team.col.demandsOverdue" },
];

function compare(key, text, direction) {
  const sign = direction === "asc" ? 1 : -1;
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    const xNone = x === null || x === undefined || x === "";
    const yNone = y === null || y === undefined || y === "";
    if (xNone || yNone) return xNone === yNone ? 0 : xNone ? 1 : -1;
    if (text) return sign * String(x).localeCompare(String(y), "zh-CN");
    return sign * (x - y) || a.staff_name.localeCompare(b.staff_name, "zh-CN");
  };
}

export function sortRows(rows, { key, direction }) {
  const column = COLUMNS.find((c) => c.key === key) || COLUMNS[2];
  return [...rows].sort(compare(column.key, Boolean(column.text), direction));
}

function coverageTone(pct) {
  if (pct === null || pct === undefined) return "none";
  if (pct >= 80) return "good";
  if (pct >= 50) return "fair";
  return "low";
}

function cell(column, row, hrefFor) {
  const value = row[column.key];
  switch (column.key) {
    case "staff_name":
      return h(
        "th",
        { scope: "row", class: "col-name" },
        h("a", { class: "team-person", href: hrefFor(row), dataset: { staff: String(row.staff_id) } }, h("span", { class: "team-person-name" }, value), h("span", { class: "chevron", "aria-hidden": "true" }, "›")),
      );
    case "team":
      return h("td", { class: "col-text" }, value || "—");
    case "coverage_pct":
      return h(
        "td",
        { class: `col-num coverage coverage-${coverageTone(value)}`, dataset: { coverage: value === null ? "" : String(value) } },
        h("span", { class: "num" }, value === null ? "—" : `${formatNumber(value, { decimals: 1 })}%`),
        h("span", { class: "sub" }, row.assigned ? t("team.covered", { n: row.assigned_covered, of: row.assigned }) : t("team.noAssigned")),
      );
    case "avg_duration_min":
      return h("td", { class: "col-num" }, h("span", { class: "num" }, formatNumber(value)), value === null ? null : h("span", { class: "sub" }, t("team.minutes")));
    case "demands_overdue":
    case "flagged_visits":
      return h("td", { class: `col-num flagged ${value > 0 ? "flagged-some" : ""}` }, h("span", { class: "num" }, formatNumber(value)));
    case "avg_rating":
      return h("td", { class: "col-num" }, h("span", { class: "num" }, formatNumber(value, { decimals: 1 })));
    default:
      return h("td", { class: "col-num" }, h("span", { class: "num" }, formatNumber(value)));
  }
}

/**
 * renderTeamTable({rows, totals, sort, onSort, hrefFor}) → element
 * sort = {key, direction: "asc" | "desc"}; onSort(nextSort) when a header is tapped.
 */
export function renderTeamTable({ rows, totals, sort, onSort, hrefFor }) {
  const teams = new Set(rows.map((r) => r.team));
  const columns = COLUMNS.filter((c) => !c.optional || teams.size > 1);
  const sorted = sortRows(rows, sort);

  const head = h(
    "tr",
    {},
    columns.map((column) => {
      const active = sort.key === column.key;
      const next = active ? (sort.direction === "asc" ? "desc" : "asc") : column.text ? "asc" : "desc";
      return h(
        "th",
        {
          scope: "col",
          class: `${column.key === "staff_name" ? "col-name" : column.text ? "col-text" : "col-num"}`,
          "aria-sort": active ? (sort.direction === "asc" ? "ascending" : "descending") : "none",
        },
        h(
          "button",
          { type: "button", class: "sort-button", dataset: { sort: column.key }, onclick: () => onSort({ key: column.key, direction: next }) },
          t(column.labelKey),
          h("span", { class: "sort-mark", "aria-hidden": "true" }, active ? (sort.direction === "asc" ? "▲" : "▼") : "↕"),
        ),
      );
    }),
  );

  const totalCells = columns.map((column) => {
    if (column.key === "staff_name") return h("th", { scope: "row", class: "col-name" }, t("team.totalsLabel", { n: totals.staff }));
    if (["visits", "flagged_visits", "demands", "demands_assigned", "demands_resolved", "demands_overdue"].includes(column.key)) {
      const value = totals[column.key];
      const bad = ["flagged_visits", "demands_overdue"].includes(column.key) && value > 0;
      return h("td", { class: `col-num ${bad ? "flagged flagged-some" : ""}`, id: `total-${column.key}` }, h("span", { class: "num" }, formatNumber(value)));
    }
    return h("td", { class: column.text ? "col-text" : "col-num" }, "");
  });

  return h(
    "div",
    { class: "table-scroll", role: "region", "aria-label": t("team.tableLabel"), tabindex: "0" },
    h(
      "table",
      { class: "team-table", id: "team-table" },
      h("caption", { class: "visually-hidden" }, t("team.tableCaption")),
      h("thead", {}, head),
      h("tbody", {}, sorted.map((row) => h("tr", { dataset: { staff: String(row.staff_id) } }, columns.map((column) => cell(column, row, hrefFor))))),
      h("tfoot", {}, h("tr", { class: "totals" }, totalCells)),
    ),
  );
}
