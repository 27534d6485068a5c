// 督办看板 (#/demand-board, managers and admins; GET /api/demands/board): what is overdue,
// due today, due soon and open, this month's on-time rate, the counts by status and each
// official's row, as the API sorts them. Every figure explains itself in one tap (怎么算的？,
// the server's own words) and opens the very demands it counts: #/demand-board/list?…
// lists GET /api/demands?board=true&<the figure's filter>, the board's scope row for row.

import { get, queryString } from "../common/api.js";
import { formatDateTime } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { demandCard } from "./demands-screen.js";
import { exportButton } from "./export.js";
import { openSheet } from "../common/sheet.js";
import { errorView, fill, h, icon, stateView } from "../common/ui.js";

/** The list parameters of a total: open=true for 办理中, due=… for the others. */
export function figureParams(key) {
  return key === "open" ? { open: "true" } : { due: key };
}

/** The list a figure opens: its filter (status, a row's desk), a total's parameters, the board's unit. */
export function rowsHref(filter, extra = {}) {
  return `#/demand-board/list?${queryString({ ...filter, ...extra })}`;
}

export function formatRate(rate) {
  return typeof rate === "number" ? `${rate}%` : t("board.rateNone");
}

function monthLabel(board) {
  return board.month.slice(0, 7);
}

/** The explanation sheet: the server's text, and the way to the rows when there are any. */
export function explainSheet({ id, figure, text, lines = [], href, n }) {
  const sheet = openSheet({ title: t("board.whyTitle", { figure }), id: "board-why-sheet" });
  sheet.setContent(
    h("p", { class: "mb-explain", id: "board-why-text", dataset: { figure: id } }, text),
    ...lines.map((line) => h("p", { class: "hint mb-explain-line" }, line)),
    href && n ? h("a", { class: "btn btn-primary btn-block", id: "board-why-open", href, onclick: () => sheet.close() }, t("board.openRows", { n })) : null,
  );
  return sheet;
}

export function rateLines(row, board) {
  const figures = { month: monthLabel(board), resolved: row.resolved, on_time: row.on_time, late: row.late, no_deadline: row.no_deadline };
  const breakdown = t("board.rateBreakdown", figures);
  return [breakdown, row.on_time + row.late ? t("board.rateFormula", { ...figures, rate: formatRate(row.on_time_rate) }) : t("board.rateNoJudged")];
}

function figureCard(board, key, { value, href, tone = "" }) {
  const label = t(`board.figure.${key}`);
  const shown = value === null || value === undefined ? "—" : value;
  return h(
    "div",
    { class: `stat mb-stat ${tone}`, id: `board-${key}`, dataset: { value: String(shown) } },
    h(
      href ? "a" : "div",
      { class: "mb-stat-open", id: `board-${key}-open`, href },
      h("span", { class: "stat-value", id: `board-${key}-value` }, String(shown)),
      h("span", { class: "stat-label" }, label),
    ),
    h(
      "button",
      {
        type: "button",
        class: "mb-why",
        id: `board-${key}-why`,
        onclick: () =>
          explainSheet({
            id: key,
            figure: label,
            text: board.explain[key] || "",
            lines: key === "on_time_rate" ? rateLines({ resolved: board.month_resolved, on_time: board.month_on_time, late: board.month_late, no_deadline: board.month_no_deadline, on_time_rate: board.month_on_time_rate }, board) : [],
            href,
            n: typeof value === "number" && key !== "on_time_rate" ? value : 0,
          }),
      },
      icon("help", "chip-icon"),
      t("board.why"),
    ),
  );
}

function sectionHead(board, key) {
  const label = t(`board.figure.${key}`);
  return h(
    "div",
    { class: "mb-section-head" },
    h("h2", { class: "card-title" }, label),
    h(
      "button",
      { type: "button", class: "mb-why", id: `board-${key}-why`, onclick: () => explainSheet({ id: key, figure: label, text: board.explain[key] || "" }) },
      icon("help", "chip-icon"),
      t("board.why"),
    ),
  );
}

function statusSection(board, unitId) {
  return h(
    "section",
    { class: "card mb-section", id: "board-status" },
    sectionHead(board, "by_status"),
    h(
      "ul",
      { class: "mb-status-list" },
      board.by_status.map((row) =>
        h(
          "li",
          {},
          h(
            "a",
            { class: "mb-status-row", id: `board-status-${row.status}`, href: rowsHref(row.filter, { label: row.label, board_unit_id: unitId }), dataset: { count: String(row.count) } },
            h("span", {}, row.label),
            h("span", { class: "mb-num" }, String(row.count)),
          ),
        ),
      ),
    ),
  );
}

function rowName(row) {
  return row.kind === "unit" ? t("board.unitRow", { name: row.name }) : row.name;
}

function officialsSection(board, unitId) {
  const cell = (row, key) =>
    h(
      "td",
      {},
      h(
        "a",
        { class: `mb-cell${key === "overdue" && row.overdue ? " is-bad" : ""}`, href: rowsHref(row.filter, { ...figureParams(key), name: rowName(row), board_unit_id: unitId }), dataset: { due: key } },
        String(row[key]),
      ),
    );
  // The admin's city board has a row per department: its name opens that department's board.
  const nameHref = (row) =>
    board.rows_are_units && row.kind === "unit" ? `#/demand-board?unit_id=${row.id}` : rowsHref(row.filter, { open: "true", name: rowName(row), board_unit_id: unitId });
  const body = board.officials.length
    ? h(
        "table",
        { class: "mb-table", id: "board-officials" },
        h(
          "thead",
          {},
          h("tr", {}, ["name", "overdue", "due_today", "open", "rate"].map((col) => h("th", { scope: "col" }, t(`board.col.${col}`)))),
        ),
        h(
          "tbody",
          {},
          board.officials.map((row) =>
            h(
              "tr",
              { id: `board-row-${row.kind}-${row.id}`, dataset: { kind: row.kind, id: String(row.id) } },
              h("th", { scope: "row" }, h("a", { class: "mb-cell mb-name", href: nameHref(row) }, rowName(row))),
              cell(row, "overdue"),
              cell(row, "due_today"),
              cell(row, "open"),
              h(
                "td",
                {},
                h(
                  "button",
                  {
                    type: "button",
                    class: "mb-cell mb-rate",
                    onclick: () => explainSheet({ id: "on_time_rate", figure: `${rowName(row)} · ${t("board.figure.on_time_rate")}`, text: board.explain.on_time_rate, lines: rateLines(row, board) }),
                  },
                  formatRate(row.on_time_rate),
                ),
              ),
            ),
          ),
        ),
      )
    : stateView("empty", { title: t("board.noOfficials") });
  return h(
    "section",
    { class: "card mb-section", id: "board-officials-card" },
    sectionHead(board, "officials"),
    board.officials.length ? h("p", { class: "hint" }, t("board.rowsHint")) : null,
    body,
  );
}

function paintBoard(body, board, unitId) {
  const total = (key) => rowsHref({}, { ...figureParams(key), board_unit_id: unitId });
  fill(
    body,
    unitId ? h("a", { class: "btn btn-secondary mb-back", id: "board-to-city", href: "#/demand-board" }, t("board.toCity")) : null,
    h("p", { class: "hint mb-scope", id: "board-scope" }, t("board.scope", { scope: board.scope }), " · ", t("board.asOf", { at: formatDateTime(board.now) })),
    h(
      "div",
      { class: "stats mb-stats", id: "board-totals" },
      figureCard(board, "overdue", { value: board.overdue, href: total("overdue"), tone: board.overdue ? "stat-bad" : "" }),
      figureCard(board, "due_today", { value: board.due_today, href: total("due_today") }),
      figureCard(board, "due_soon", { value: board.due_soon, href: board.due_soon === null ? null : total("due_soon") }),
      figureCard(board, "open", { value: board.open, href: total("open") }),
      figureCard(board, "on_time_rate", { value: formatRate(board.month_on_time_rate), href: "#/demand-rates" }),
      figureCard(board, "pending_calendar", { value: board.pending_calendar, href: total("pending_calendar") }),
    ),
    officialsSection(board, unitId),
    statusSection(board, unitId),
    h(
      "div",
      { class: "btn-row mb-tools" },
      h("a", { class: "btn btn-secondary", id: "board-to-rates", href: "#/demand-rates" }, icon("chart"), t("board.toRates")),
      exportButton(),
    ),
  );
}

function mountBoard(el, { params }) {
  const unitId = /^\d+$/.test(params.get("unit_id") || "") ? params.get("unit_id") : null;
  const body = h("div", { class: "mb-body", id: "board-body", "aria-live": "polite" });
  el.append(h("div", { class: "page demand-board" }, body));
  const controller = new AbortController();

  async function load() {
    fill(body, stateView("loading"));
    try {
      const board = await get(`/api/demands/board?${queryString({ unit_id: unitId })}`, { signal: controller.signal });
      paintBoard(body, board, unitId);
    } catch (error) {
      if (controller.signal.aborted) return;
      fill(body, errorView(error, { title: t("board.loadError"), onRetry: load }));
    }
  }

  load();
  return () => controller.abort();
}

const FILTER_KEYS = ["status", "due", "open", "assignee_id", "assignee_unit_id", "desk_unit_id", "board_unit_id"];

/** #/demand-board/list?due=overdue&assignee_id=7&name=…: the demands behind one figure. */
function mountList(el, { params }) {
  const filter = Object.fromEntries(FILTER_KEYS.filter((key) => params.get(key)).map((key) => [key, params.get(key)]));
  const figure = filter.due ? t(`board.figure.${filter.due}`) : filter.open ? t("board.figure.open") : filter.status ? t("board.list.status", { label: params.get("label") || filter.status }) : t("board.title");
  const name = params.get("name");
  const head = h("p", { class: "hint", id: "board-list-count" });
  const body = h("div", { class: "dm-body", id: "board-list-body", "aria-live": "polite" });
  el.append(
    h(
      "div",
      { class: "page demands" },
      h("a", { class: "btn btn-secondary mb-back", id: "board-list-back", href: filter.board_unit_id ? `#/demand-board?unit_id=${filter.board_unit_id}` : "#/demand-board" }, t("board.list.back")),
      h("h2", { class: "card-title", id: "board-list-title" }, name ? t("board.list.of", { figure, name }) : t("board.list.title", { figure })),
      head,
      body,
    ),
  );
  const controller = new AbortController();

  async function load() {
    fill(body, stateView("loading"));
    try {
      const page = await get(`/api/demands?${queryString({ ...filter, board: "true", limit: 200 })}`, { signal: controller.signal });
      head.textContent = t("board.list.count", { n: page.count });
      head.dataset.count = String(page.count);
      if (!page.items.length) return fill(body, stateView("empty", { title: t("board.list.empty") }));
      fill(body, h("ul", { class: "item-list", id: "board-list" }, page.items.map((d) => demandCard(d, { showEnterprise: true }))));
    } catch (error) {
      if (controller.signal.aborted) return;
      fill(body, errorView(error, { title: t("demands.listError"), onRetry: load }));
    }
  }

  load();
  return () => controller.abort();
}

export function mount(el, ctx) {
  return ctx.args[0] === "list" ? mountList(el, ctx) : mountBoard(el, ctx);
}
