// #/demands/new: an enterprise raises its own demand; staff, managers and admins record one
// for an enterprise that called (the server sets the channel). Nothing is queued offline:
// the form keeps what was typed and says so, and the user submits again when online.

import { t } from "../common/i18n.js";
import "./strings.js";
import { raiseDemand, searchEnterprises } from "./api.js";
import { choices } from "../common/choices.js";
import { needsFields } from "./siteneeds.js";
import { wireSubmit } from "../common/actionform.js";
import { fill, h, icon, toast } from "../common/ui.js";

const CATEGORIES = ["labour", "finance", "site", "policy", "approvals", "logistics", "energy", "other"];
const SEARCH_DELAY_MS = 300;

export function mountRaise(el, { role }) {
  const forCaller = role !== "enterprise";
  let enterprise = null;
  let searchTimer = null;
  let searching = null;
  let gone = false;

  const category = choices("demand-category", CATEGORIES.map((value) => ({ value, label: t(`category.${value}`) })), { columns: 4 });
  // 场地: optional structured needs (type, area, where), what the suggested sites are matched on.
  const needs = needsFields("raise");
  needs.el.hidden = true;
  category.el.addEventListener("change", () => (needs.el.hidden = category.value() !== "site"));
  const text = h("textarea", { class: "input textarea", id: "demand-description", maxlength: 1000, rows: 5, "aria-describedby": "demand-description-hint" });
  const count = h("span", { class: "hint char-count" }, t("raise.count", { n: 0 }));
  text.addEventListener("input", () => (count.textContent = t("raise.count", { n: text.value.length })));
  const error = h("p", { class: "field-error", id: "raise-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "raise-submit" }, t("raise.submit"));

  const entField = h("div", { class: "field" });
  const entInput = h("input", { class: "input", id: "raise-enterprise", type: "search", autocomplete: "off", placeholder: t("raise.enterpriseSearch") });
  const entResults = h("ul", { class: "dm-ent-results", id: "raise-enterprise-results" });

  function paintEnterprise() {
    if (enterprise) {
      fill(
        entField,
        h("span", { class: "field-title" }, t("raise.enterprise")),
        h("div", { class: "dm-ent-chosen", id: "raise-enterprise-chosen" }, h("strong", {}, enterprise.name), h("button", { type: "button", class: "btn btn-ghost btn-small", onclick: () => ((enterprise = null), paintEnterprise(), entInput.focus()) }, t("raise.enterpriseChange"))),
      );
    } else {
      fill(entField, h("label", { for: "raise-enterprise" }, t("raise.enterprise"), h("span", { class: "required" }, " *")), entInput, entResults);
    }
  }

  entInput.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, SEARCH_DELAY_MS);
  });

  async function search() {
    const q = entInput.value.trim();
    searching?.abort();
    if (!q) return fill(entResults);
    searching = new AbortController();
    const mine = searching;
    try {
      const page = await searchEnterprises(q, { signal: mine.signal });
      if (mine.signal.aborted || gone) return;
      fill(
        entResults,
        page.items.length
          ? page.items.map((e) => h("li", {}, h("button", { type: "button", class: "btn btn-secondary dm-ent-pick", onclick: () => ((enterprise = e), paintEnterprise()) }, e.name)))
          : h("li", { class: "hint" }, t("raise.enterpriseNone")),
      );
    } catch (err) {
      if (!mine.signal.aborted && !gone) fill(entResults, h("li", { class: "field-error" }, err.message));
    }
  }

  const form = h(
    "form",
    { class: "form dm-raise", id: "raise-form", novalidate: true },
    forCaller ? entField : null,
    h("fieldset", { class: "field" }, h("legend", {}, t("raise.category"), h("span", { class: "required" }, " *")), category.el),
    needs.el,
    h(
      "div",
      { class: "field" },
      h("label", { for: "demand-description" }, t("raise.description"), h("span", { class: "required" }, " *")),
      h("p", { class: "hint", id: "demand-description-hint" }, t("raise.descriptionHint")),
      text,
      count,
    ),
    error,
    h("div", { class: "sticky-actions" }, submit),
  );
  if (forCaller) paintEnterprise();

  wireSubmit({
    form,
    button: submit,
    error,
    label: t("raise.submit"),
    body: () => {
      if (forCaller && !enterprise) throw new Error(t("raise.needEnterprise"));
      if (!category.value()) throw new Error(t("raise.needCategory"));
      if (!text.value.trim()) throw new Error(t("raise.needDescription"));
      const body = { category: category.value(), description: text.value.trim() };
      if (forCaller) body.enterprise_id = enterprise.id;
      if (category.value() === "site") {
        const siteNeeds = needs.value(); // throws the field's Chinese message
        if (Object.keys(siteNeeds).length) body.site_needs = siteNeeds;
      }
      return body;
    },
    send: raiseDemand,
    onDone: (demand) => {
      toast(t("raise.done"));
      location.replace(`#/demands/${demand.id}`);
    },
    offlineText: t("raise.offline"),
    isGone: () => gone,
  });

  el.append(
    h(
      "div",
      { class: "page demands" },
      h("a", { class: "btn btn-ghost btn-small back-link", href: "#/demands" }, t("demand.back")),
      h("h2", { class: "section-title" }, icon(forCaller ? "phone" : "plus", "chip-icon"), forCaller ? t("raise.titlePhone") : t("raise.title")),
      form,
    ),
  );
  return () => {
    gone = true;
    clearTimeout(searchTimer);
    searching?.abort();
  };
}
