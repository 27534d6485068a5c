// One form for one step the server says the caller may take now (a demand's 交办, a
// consultation's 答复, a project's stage move): its fields, a button, and the place for the
// server's refusal. A step refused with 409 means the item moved on meanwhile (someone else
// was quicker): one tap on the refresh button shows it as it is now. The text typed stays in
// the form after any refusal, offline included.

import { t } from "./i18n.js";
import { h } from "./ui.js";

export function showError(error, message) {
  error.textContent = message;
  error.hidden = false;
  error.scrollIntoView({ block: "nearest" });
}

/**
 * Sends a form: body() checks and builds the payload (throws an Error whose message is shown:
 * "please write…"), send(payload) posts it, onDone(result) follows; a refusal (422, 409, 403,
 * 429 come with the server's Chinese reason) or being offline shows in `error`, and the button
 * comes back for another try with everything typed still there.
 */
export function wireSubmit({ form, button, error, label, body, send, onDone, isGone = () => false, offlineText = t("action.offline"), onRefused = () => {} }) {
  // A "please write…" left from the last tap goes once the user types.
  form.addEventListener("input", () => (error.hidden = true));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    let payload;
    try {
      payload = body();
    } catch (err) {
      return showError(error, err.message);
    }
    button.disabled = true;
    button.textContent = t("action.submitting");
    try {
      const result = await send(payload);
      if (!isGone()) onDone(result);
    } catch (err) {
      if (isGone()) return;
      showError(error, err.offline ? offlineText : err.message);
      onRefused(err);
      button.disabled = false;
      button.textContent = label;
    }
  });
}

/**
 * One step's form. id: the prefix of every element id ("demand-assign"); label: the button's text;
 * fields: elements above the button; body(): the payload, or throws an Error whose message is
 * shown ("please write…"); send(payload) → the item as the server now has it;
 * onDone(next): repaint; onRefresh(): reload after a 409.
 */
export function actionForm({ id, label, fields = [], body = () => ({}), send, onDone, onRefresh, formClass = "", buttonClass = "btn-primary", isGone = () => false }) {
  const error = h("p", { class: "field-error", id: `${id}-error`, role: "alert", hidden: true });
  const button = h("button", { type: "submit", class: `btn ${buttonClass} btn-block`, id }, label);
  const refresh = h("button", { type: "button", class: "btn btn-secondary btn-block", id: `${id}-refresh`, hidden: true, onclick: onRefresh }, t("action.refresh"));
  const form = h("form", { class: `card form step-form ${formClass}`.trim(), id: `${id}-form`, novalidate: true }, fields, error, refresh, button);
  wireSubmit({ form, button, error, label, body, send, onDone, isGone, onRefused: (err) => (refresh.hidden = err.status !== 409) });
  return { form, error };
}
