// #/consultations/new: an enterprise account (verified or not) asks. The server routes it to
// a department and a named official and answers with the answer-by time; the screen then
// opens the consultation, which shows both at once. Nothing is queued offline: the form keeps
// what was typed and says so.

import { t } from "../common/i18n.js";
import "./strings.js";
import { askConsultation } from "./api.js";
import { choices } from "../common/choices.js";
import { wireSubmit } from "../common/actionform.js";
import { h, icon, toast } from "../common/ui.js";

// The demands' list (backend Consultation.Category = Demand.Category): a consultation can become one.
const CATEGORIES = ["policy", "approvals", "labour", "finance", "site", "logistics", "energy", "other"];

export function mountAsk(el) {
  let gone = false;
  const category = choices("consultation-category", CATEGORIES.map((value) => ({ value, label: t(`cs.category.${value}`) })), { columns: 4 });
  const subject = h("input", { class: "input", id: "consultation-subject", maxlength: 100, autocomplete: "off", "aria-describedby": "consultation-subject-hint" });
  const text = h("textarea", { class: "input textarea", id: "consultation-text", maxlength: 2000, rows: 6, "aria-describedby": "consultation-text-hint" });
  const count = h("span", { class: "hint char-count" }, t("ask.count", { n: 0 }));
  text.addEventListener("input", () => (count.textContent = t("ask.count", { n: text.value.length })));
  const error = h("p", { class: "field-error", id: "ask-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "ask-submit" }, t("ask.submit"));

  const form = h(
    "form",
    { class: "form cs-ask", id: "ask-form", novalidate: true },
    h("fieldset", { class: "field" }, h("legend", {}, t("ask.category"), h("span", { class: "required" }, " *")), h("p", { class: "hint" }, t("ask.categoryHint")), category.el),
    h(
      "div",
      { class: "field" },
      h("label", { for: subject.id }, t("ask.subject"), h("span", { class: "required" }, " *")),
      h("p", { class: "hint", id: "consultation-subject-hint" }, t("ask.subjectHint")),
      subject,
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: text.id }, t("ask.text"), h("span", { class: "required" }, " *")),
      h("p", { class: "hint", id: "consultation-text-hint" }, t("ask.textHint")),
      text,
      count,
    ),
    error,
    h("div", { class: "sticky-actions" }, submit),
  );

  wireSubmit({
    form,
    button: submit,
    error,
    label: t("ask.submit"),
    body: () => {
      if (!category.value()) throw new Error(t("ask.needCategory"));
      if (!subject.value.trim()) throw new Error(t("ask.needSubject"));
      if (!text.value.trim()) throw new Error(t("ask.needText"));
      return { category: category.value(), subject: subject.value.trim(), text: text.value.trim() };
    },
    // 422 / 429 / 409 (no official on duty) come with the server's Chinese message.
    send: askConsultation,
    onDone: (c) => {
      toast(t("consultation.asked"));
      // ?asked=1: the detail opens with how the answer-by time was counted already shown.
      location.replace(`#/consultations/${c.id}?asked=1`);
    },
    offlineText: t("ask.offline"),
    isGone: () => gone,
  });

  el.append(
    h(
      "div",
      { class: "page consultations" },
      h("a", { class: "btn btn-ghost btn-small back-link", href: "#/consultations" }, t("consultation.back")),
      h("h2", { class: "section-title" }, icon("help", "chip-icon"), t("ask.title")),
      h("p", { class: "hint" }, t("consultations.intro")),
      form,
    ),
  );
  return () => {
    gone = true;
  };
}
