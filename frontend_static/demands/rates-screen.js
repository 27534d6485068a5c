// 按时率 (#/demand-rates, managers and admins): each official's on-time rate for demands
// (this month, the board's rows: GET /api/demands/board) and for consultations (any month,
// GET /api/consultations/stats). A tap on an official shows how the figure is made: for a
// demand row the counts and the formula; for consultations the very rows counted
// (/stats/rows), each with its answer-by time, its first answer and the verdict.

import { get, queryString } from "../common/api.js";
import { isMonth, today } from "../common/dates.js";
import { formatDateTime } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { explainSheet, formatRate, rateLines, rowsHref } from "./board-screen.js";
import { openSheet } from "../common/sheet.js";
import { errorView, fill, h, stateView } from "../common/ui.js";

const KINDS = ["demands", "consultations"];
const ROWS_LIMIT = 200;

function rateRow({ id, name, rate, line, onclick }) {
  return h(
    "li",
    {},
    h(
      "button",
      { type: "button", class: "card mb-rate-row", id, onclick },
      h("span", { class: "mb-rate-name" }, name),
      h("span", { class: "mb-rate-value" }, rate),
      h("span", { class: "hint mb-rate-line" }, line),
    ),
  );
}

function verdict(row) {
  if (row.answered_on_time === true) return "on_time";
  return row.first_answer_at ? "late" : "missed";
}

async function openConsultRows(official, month) {
  const sheet = openSheet({ title: t("rates.rowsTitle", { name: official.official_name, month }), id: "rates-rows-sheet" });
  sheet.setContent(stateView("loading"));
  try {
    const page = await get(`/api/consultations/stats/rows?${queryString({ month, official_id: official.official_id, limit: ROWS_LIMIT })}`);
    if (sheet.closed) return;
    sheet.setContent(
      h("p", { class: "hint" }, t("rates.consultLine", official)),
      page.count > page.items.length ? h("p", { class: "hint" }, t("rates.rowsMore", { shown: page.items.length, n: page.count })) : null,
      h(
        "ul",
        { class: "item-list", id: "rates-rows" },
        page.items.map((row) => {
          const judged = verdict(row);
          return h(
            "li",
            { class: "card mb-judged", id: `consultation-${row.id}`, dataset: { verdict: judged } },
            h("div", { class: "item-card-head" }, h("span", { class: `chip chip-small ${judged === "on_time" ? "chip-ok" : "chip-warn"}` }, t(`rates.judged.${judged}`)), h("span", { class: "hint" }, row.enterprise_name || row.asked_by_name)),
            h("p", { class: "dm-card-text" }, row.subject),
            h("p", { class: "hint" }, t("rates.answerBy", { at: formatDateTime(row.answer_by) })),
            h("p", { class: "hint" }, row.first_answer_at ? t("rates.answeredAt", { at: formatDateTime(row.first_answer_at) }) : t("rates.notAnswered")),
            row.deadline_explained ? h("p", { class: "hint mb-explain-line" }, row.deadline_explained) : null,
          );
        }),
      ),
    );
  } catch (error) {
    if (!sheet.closed) sheet.setContent(errorView(error, { title: t("rates.rowsError") }));
  }
}

export function mount(el, { params }) {
  let kind = KINDS.includes(params.get("kind")) ? params.get("kind") : "demands";
  const thisMonth = today().slice(0, 7);
  let month = isMonth(params.get("month") || "") ? params.get("month") : thisMonth;
  const controller = new AbortController();
  const body = h("div", { class: "mb-body", id: "rates-body", "aria-live": "polite" });
  const monthInput = h("input", { type: "month", class: "input", id: "rates-month", value: month, max: thisMonth });
  const monthField = h("label", { class: "field mb-month" }, h("span", { class: "field-title" }, t("rates.month")), monthInput);
  const buttons = Object.fromEntries(
    KINDS.map((key) => [key, h("button", { type: "button", class: "seg", id: `rates-kind-${key}`, onclick: () => show(key) }, t(`rates.kind.${key}`))]),
  );
  el.append(
    h("div", { class: "page demand-rates" }, h("div", { class: "segmented", role: "group", "aria-label": t("rates.title") }, Object.values(buttons)), monthField, body),
  );
  monthInput.addEventListener("change", () => {
    if (!isMonth(monthInput.value)) return;
    month = monthInput.value;
    show(kind);
  });

  function show(key) {
    kind = key;
    for (const [k, b] of Object.entries(buttons)) b.setAttribute("aria-pressed", String(k === key));
    // The board counts the current month only: the month picker is the consultations'.
    monthField.hidden = key !== "consultations";
    history.replaceState(null, "", `#/demand-rates?${queryString({ kind, month: key === "consultations" ? month : "" })}`);
    load();
  }

  async function loadDemands() {
    const board = await get("/api/demands/board", { signal: controller.signal });
    const rows = board.officials.filter((row) => row.resolved);
    return [
      h("p", { class: "hint mb-explain", id: "rates-explain" }, t("rates.demandsHint", { month: board.month.slice(0, 7), explain: board.explain.on_time_rate })),
      rows.length
        ? h(
            "ul",
            { class: "item-list", id: "rates-list" },
            rows.map((row) =>
              rateRow({
                id: `rate-${row.kind}-${row.id}`,
                name: row.kind === "unit" ? t("board.unitRow", { name: row.name }) : row.name,
                rate: formatRate(row.on_time_rate),
                line: t("rates.demandLine", row),
                onclick: () =>
                  explainSheet({
                    id: "on_time_rate",
                    figure: `${row.name} · ${t("board.figure.on_time_rate")}`,
                    text: board.explain.on_time_rate,
                    lines: rateLines(row, board),
                    href: rowsHref(row.filter, { open: "true", name: row.name }),
                    n: row.open,
                  }),
              }),
            ),
          )
        : stateView("empty", { title: t("rates.empty") }),
    ];
  }

  async function loadConsultations() {
    const stats = await get(`/api/consultations/stats?${queryString({ month })}`, { signal: controller.signal });
    return [
      h("p", { class: "hint mb-explain", id: "rates-explain" }, t("rates.consultHint")),
      stats.scope?.explanation ? h("p", { class: "hint" }, stats.scope.explanation) : null,
      stats.officials.length
        ? h(
            "ul",
            { class: "item-list", id: "rates-list" },
            stats.officials.map((row) =>
              rateRow({
                id: `rate-official-${row.official_id}`,
                name: row.official_name,
                rate: typeof row.rate === "number" ? `${Math.round(row.rate * 1000) / 10}%` : t("board.rateNone"),
                line: t("rates.consultLine", row),
                onclick: () => openConsultRows(row, stats.month),
              }),
            ),
          )
        : stateView("empty", { title: t("rates.empty") }),
    ];
  }

  // A tap on the other kind while the first answer is still coming must not be overwritten by it:
  // only the latest load may fill the body (a slow board answer once replaced the consultations').
  let latest = 0;
  async function load() {
    const mine = ++latest;
    fill(body, stateView("loading"));
    try {
      const content = await (kind === "consultations" ? loadConsultations() : loadDemands());
      if (mine === latest) fill(body, ...content);
    } catch (error) {
      if (controller.signal.aborted || mine !== latest) return;
      fill(body, errorView(error, { title: t("rates.loadError"), onRetry: load }));
    }
  }

  show(kind);
  return () => controller.abort();
}
