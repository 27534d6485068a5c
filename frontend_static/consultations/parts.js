// Small pieces the consultations screens share: overdue, the status chip, the answer-by line.

import { t } from "../common/i18n.js";
import "./strings.js";
import { formatDateTime } from "../common/format.js";
import { h, icon } from "../common/ui.js";

const CHIP = { waiting: "chip-open", answered: "chip-ok", closed: "chip-ok" };

/** Waiting for an answer past its answer-by time (a follow-up keeps the first question's). */
export function isOverdue(c, now = Date.now()) {
  return c.status === "waiting" && Boolean(c.answer_by) && Date.parse(c.answer_by) < now;
}

export function statusChip(c) {
  return h("span", { class: `chip chip-small item-status cs-status ${CHIP[c.status] || ""}`, dataset: { status: c.status } }, c.status_label);
}

/** "答复时限 5月12日 17:30", marked when overdue; the judgement once the first answer came. */
export function answerByLine(c) {
  if (c.answered_on_time !== null && c.answered_on_time !== undefined) {
    const judged = c.answered_on_time ? t("consultations.onTime") : t("consultations.late");
    return h("span", { class: c.answered_on_time ? "cs-ontime" : "item-late" }, `${judged} · ${t("consultations.answered", { at: formatDateTime(c.first_answer_at) })}`);
  }
  if (!c.answer_by) return t("consultations.noClock");
  const line = t("consultations.answerBy", { at: formatDateTime(c.answer_by) });
  if (isOverdue(c)) return h("span", { class: "item-late" }, icon("warning", "chip-icon"), `${t("consultations.overdue")} · ${line}`);
  return line;
}
