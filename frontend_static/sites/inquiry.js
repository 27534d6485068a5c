// "咨询这个场地": area needed, industry, message and phone, sent to the site's
// owner unit (POST /api/sites/{id}/inquiries). Logged-in users only.

import { t } from "../common/i18n.js";
import "./strings.js";
import { sendInquiry } from "./api.js";
import { siteIcon } from "./icons.js";
import { fill, h, icon } from "../common/ui.js";

const MOBILE_RE = /^1[3-9]\d{9}$/;
const FIELDS = ["area_needed", "industry", "message", "phone"];

function field(name, label, control, hint) {
  return h(
    "div",
    { class: "field", dataset: { field: name } },
    h("label", { for: `inquiry-${name}` }, label),
    control,
    hint ? h("p", { class: "hint field-hint" }, hint) : null,
    h("p", { class: "field-error", id: `inquiry-${name}-error`, role: "alert", hidden: true }),
  );
}

/** The inquiry form for one site; replaced by a confirmation once sent. */
export function inquiryForm(site) {
  const box = h("section", { class: "site-section", id: "site-inquiry" });
  const area = h("input", { id: "inquiry-area_needed", name: "area_needed", class: "input", type: "number", inputmode: "decimal", min: 1, step: "any", placeholder: t("sites.inquiryAreaHint") });
  const industry = h("input", { id: "inquiry-industry", name: "industry", class: "input", type: "text", maxlength: 50, placeholder: t("sites.inquiryIndustryHint") });
  const message = h("textarea", { id: "inquiry-message", name: "message", class: "input textarea", maxlength: 1000, required: true, rows: 3, placeholder: t("sites.inquiryMessageHint") });
  const phone = h("input", { id: "inquiry-phone", name: "phone", class: "input", type: "tel", inputmode: "numeric", maxlength: 11, autocomplete: "tel-national", placeholder: t("sites.inquiryPhoneHint") });
  const error = h("p", { class: "form-error", role: "alert", id: "inquiry-error", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "inquiry-submit" }, siteIcon("mail"), t("sites.inquirySend"));
  const form = h(
    "form",
    { class: "form inquiry-form", id: "inquiry-form", novalidate: true },
    field("area_needed", t("sites.inquiryArea"), area),
    field("industry", t("sites.inquiryIndustry"), industry),
    field("message", t("sites.inquiryMessage"), message),
    field("phone", t("sites.inquiryPhone"), phone),
    error,
    submit,
  );

  function showErrors(errors) {
    for (const name of FIELDS) {
      const el = form.querySelector(`#inquiry-${name}-error`);
      el.textContent = errors[name] || "";
      el.hidden = !errors[name];
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { message: message.value.trim(), industry: industry.value.trim() };
    const errors = {};
    if (area.value.trim() !== "") {
      const n = Number(area.value);
      if (!Number.isFinite(n) || n <= 0) errors.area_needed = t("sites.inquiryBadArea");
      else body.area_needed = n;
    }
    if (phone.value.trim() !== "") {
      if (!MOBILE_RE.test(phone.value.trim())) errors.phone = t("sites.inquiryBadPhone");
      else body.phone = phone.value.trim();
    }
    if (!body.message) errors.message = t("sites.inquiryNeedMessage");
    showErrors(errors);
    error.hidden = true;
    if (Object.keys(errors).length) return;
    submit.disabled = true;
    fill(submit, t("sites.inquirySending"));
    try {
      const sent = await sendInquiry(site.id, body);
      fill(
        box,
        h(
          "div",
          { class: "result site-inquiry-sent", id: "inquiry-sent", role: "status", dataset: { id: sent.id } },
          h("div", { class: "result-head" }, icon("check", "result-icon"), h("p", { class: "result-title" }, t("sites.inquirySent"))),
          h("p", { class: "result-sub" }, t("sites.inquirySentHint", { owner: sent.site.owner_name, phone: sent.phone })),
        ),
      );
    } catch (failure) {
      if (failure.errors) showErrors(failure.errors);
      error.textContent = failure.offline ? t("sites.inquiryOffline") : failure.message;
      error.hidden = false;
      submit.disabled = false;
      fill(submit, siteIcon("mail"), t("sites.inquirySend"));
    }
  });

  box.append(h("h3", { class: "sub-title" }, t("sites.inquiryTitle")), h("p", { class: "hint" }, t("sites.inquiryIntro")), form);
  if (site.status === "leased") {
    // Asking about a site that is let anyway is allowed (a part may come free), but not by mistake.
    form.hidden = true;
    const anyway = h("button", { type: "button", class: "btn btn-secondary btn-block", id: "inquiry-anyway" }, t("sites.leasedAnyway"));
    const warning = h(
      "div",
      { class: "notice inquiry-leased", id: "inquiry-leased", role: "alert" },
      h("p", {}, icon("warning"), h("strong", {}, t("sites.leasedAsk"))),
      h("p", { class: "hint" }, t("sites.leasedAskHint")),
      anyway,
    );
    anyway.addEventListener("click", () => {
      warning.remove();
      form.hidden = false;
      message.focus();
    });
    form.before(warning);
  }
  return box;
}
