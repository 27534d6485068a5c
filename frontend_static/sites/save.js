// 订阅: an enterprise user keeps the current search (filters, optionally the drawn
// area; without one it covers the whole town); the server sends an in-app notice
// when a new matching site appears.

import { t } from "../common/i18n.js";
import "./strings.js";
import { openSheet } from "../common/sheet.js";
import { saveSearch } from "./api.js";
import { describeFilters, filterParams } from "./filters.js";
import { h, icon, toast } from "../common/ui.js";

/** openSaveSearchSheet(filters, where): where = {polygon} (a drawn area) | null (the whole town) */
export function openSaveSearchSheet(filters, where) {
  const sheet = openSheet({ title: t("sites.saveTitle"), id: "save-search-sheet" });
  const name = h("input", { id: "save-name", name: "name", class: "input", type: "text", maxlength: 50, required: true, value: describeFilters(filters).slice(0, 50) });
  const inView = h(
    "button",
    { type: "button", class: "sites-follow save-in-view", id: "save-in-view", "aria-pressed": String(Boolean(where)) },
    h("span", { class: "sites-follow-box", "aria-hidden": "true" }, icon("check")),
    t("sites.saveInArea"),
  );
  inView.addEventListener("click", () => inView.setAttribute("aria-pressed", String(inView.getAttribute("aria-pressed") !== "true")));
  const error = h("p", { class: "form-error", role: "alert", id: "save-error", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "save-submit" }, t("sites.saveSubmit"));
  const form = h(
    "form",
    { class: "form", id: "save-search-form", novalidate: true },
    h("p", { class: "hint" }, t("sites.saveIntro")),
    h("div", { class: "field" }, h("label", { for: "save-name" }, t("sites.saveName")), name),
    where ? inView : h("p", { class: "hint", id: "save-whole-town" }, t("sites.saveWholeTown")),
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      error.textContent = t("sites.saveNeedName");
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    try {
      const body = { name: name.value.trim(), ...filterParams(filters) };
      for (const key of Object.keys(body)) if (body[key] === null || body[key] === "") delete body[key];
      if (where && inView.getAttribute("aria-pressed") === "true") Object.assign(body, where);
      await saveSearch(body);
      sheet.close();
      toast(t("sites.saved"));
    } catch (failure) {
      error.textContent = failure.offline ? t("sites.saveOffline") : failure.message;
      error.hidden = false;
      submit.disabled = false;
    }
  });
  sheet.setContent(form);
  return sheet;
}
