// One site inquiry (场地咨询) as a card: who asks, what they need, the message,
// their phone; the answer once given. The owner unit gets an answer form that
// can also change the site's status (POST /api/sites/inquiries/{id}/answer).

import { formatDateTime } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { answerInquiry, getInquiry } from "./api.js";
import { SITE_STATUSES, formatArea, statusLabel } from "./format.js";
import { siteIcon } from "./icons.js";
import { fill, h, toast } from "../common/ui.js";

function statusChipOf(inquiry) {
  const answered = inquiry.status === "answered";
  return h("span", { class: `chip chip-small ${answered ? "chip-ok" : "chip-pending"} inquiry-status`, dataset: { status: inquiry.status } }, t(`inquiries.status.${inquiry.status}`));
}

function answerForm(inquiry, onAnswered, onAnsweredElsewhere) {
  const id = `answer-${inquiry.id}`;
  const text = h("textarea", { id, name: "answer", class: "input textarea", maxlength: 1000, rows: 3, required: true, placeholder: t("inquiries.answerHint") });
  const status = h(
    "select",
    { id: `${id}-status`, name: "site_status", class: "input" },
    h("option", { value: "" }, t("inquiries.keepStatus")),
    SITE_STATUSES.map((value) => h("option", { value }, t("inquiries.setStatus", { status: statusLabel(value) }))),
  );
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block inquiry-answer-submit" }, t("inquiries.answerSend"));
  const form = h(
    "form",
    { class: "form inquiry-answer", novalidate: true, dataset: { id: inquiry.id } },
    h("div", { class: "field" }, h("label", { for: id }, t("inquiries.answerLabel")), text),
    h("div", { class: "field" }, h("label", { for: `${id}-status` }, t("inquiries.statusLabel")), status),
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = text.value.trim();
    if (!answer) {
      error.textContent = t("inquiries.needAnswer");
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    try {
      const body = { answer };
      if (status.value) body.site_status = status.value;
      onAnswered(await answerInquiry(inquiry.id, body));
    } catch (failure) {
      if (failure.code === "already_answered") {
        // A colleague answered first: show their answer instead of a form that can only fail.
        const current = await getInquiry(inquiry.id).catch(() => null);
        if (current) {
          toast(failure.message);
          onAnsweredElsewhere(current);
          return;
        }
      }
      error.textContent = failure.offline ? t("inquiries.answerOffline") : failure.message;
      error.hidden = false;
      submit.disabled = false;
    }
  });
  return form;
}

/**
 * inquiryCard(inquiry, {siteLink, onAnswered}) → <li>
 * siteLink: link the site's name to #/sites/<id> (for those who can open 找场地).
 * showPhone: the inquirer's phone as a call button (the owner's view).
 */
export function inquiryCard(inquiry, { siteLink = false, showPhone = false, onAnswered = null } = {}) {
  const li = h("li", { class: "card inquiry-card", id: `inquiry-${inquiry.id}`, dataset: { id: inquiry.id, status: inquiry.status } });

  function render(item) {
    const needs = [
      item.area_needed_m2 ? t("inquiries.needArea", { area: formatArea(item.area_needed_m2) }) : null,
      item.industry ? t("inquiries.industry", { industry: item.industry }) : null,
    ].filter(Boolean);
    li.dataset.status = item.status;
    fill(
      li,
      h(
        "div",
        { class: "inquiry-head" },
        siteLink ? h("a", { class: "inquiry-site", href: `#/sites/${item.site.id}` }, item.site.name) : h("span", { class: "inquiry-site" }, item.site.name),
        statusChipOf(item),
      ),
      h("p", { class: "inquiry-from" }, t("inquiries.from", { who: item.enterprise_name || item.user_name }), " · ", formatDateTime(item.created_at)),
      needs.length ? h("p", { class: "inquiry-needs" }, needs.join(" · ")) : null,
      h("p", { class: "inquiry-message" }, item.message),
      showPhone ? h("a", { class: "btn btn-secondary inquiry-phone", href: `tel:${item.phone}` }, siteIcon("phone"), item.phone) : null,
      item.answer
        ? h(
            "div",
            { class: "inquiry-answer-shown" },
            h("p", { class: "inquiry-answer-label" }, t("inquiries.answered", { at: formatDateTime(item.answered_at) })),
            h("p", { class: "inquiry-answer-text" }, item.answer),
          )
        : null,
      item.can_answer && item.status === "new"
        ? answerForm(
            item,
            (updated) => {
              render(updated);
              onAnswered?.(updated);
            },
            render,
          )
        : null,
    );
  }
  render(inquiry);
  return li;
}
