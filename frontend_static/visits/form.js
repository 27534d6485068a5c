// The 走访记录 form filled in before 签退: purpose, people met, summary and the
// enterprise's demands (诉求). The half-filled form is kept as a draft.

import { t } from "../common/i18n.js";
import "./strings.js";
import { choices } from "../common/choices.js";
import { h, icon } from "../common/ui.js";

export const PURPOSES = ["policy", "service", "factors", "demand_collection", "investment", "safety"];
export const CATEGORIES = ["labour", "finance", "site", "policy", "approvals", "logistics", "energy", "other"];
const MAX_DEMANDS = 20;
const DRAFT_DELAY_MS = 400;

/**
 * mountVisitForm({draft, onDraft}) → {el, values(), validate(), showErrors(errors)}
 * validate() returns a Chinese message for the first problem, or "".
 */
export function mountVisitForm({ draft, onDraft }) {
  const initial = draft || {};
  let timer = null;

  const purposeError = h("p", { class: "field-error", id: "purpose-error", role: "alert", hidden: true });
  const purposes = h(
    "fieldset",
    { class: "field choices", id: "purpose" },
    h("legend", {}, t("form.purpose"), h("span", { class: "required" }, " *")),
    choices("purpose", PURPOSES.map((p) => ({ value: p, label: t(`purpose.${p}`) })), { checked: initial.purpose }).el,
    purposeError,
  );
  purposes.addEventListener("change", () => {
    purposeError.hidden = true;
  });

  const people = h("input", {
    class: "input",
    id: "people-met",
    name: "people_met",
    type: "text",
    maxlength: 200,
    autocomplete: "off",
    placeholder: t("form.peoplePlaceholder"),
    value: initial.people_met || "",
  });
  const summary = h(
    "textarea",
    { class: "input textarea", id: "summary", name: "summary", maxlength: 2000, rows: 4, placeholder: t("form.summaryPlaceholder") },
    initial.summary || "",
  );

  const demandRows = h("ul", { class: "demand-rows", id: "demand-rows" });
  const addDemand = h("button", { type: "button", class: "btn btn-secondary btn-block", id: "add-demand" }, icon("plus"), t("form.addDemand"));
  const demandError = h("p", { class: "field-error", id: "demand-error", role: "alert", hidden: true });

  function renumber() {
    [...demandRows.children].forEach((row, i) => {
      row.querySelector(".demand-no").textContent = t("form.demandNo", { n: i + 1 });
    });
    addDemand.hidden = demandRows.children.length >= MAX_DEMANDS;
  }

  function demandRow(demand = {}) {
    const category = h(
      "select",
      { class: "input demand-category", "aria-label": t("form.demandCategory") },
      h("option", { value: "" }, t("form.chooseCategory")),
      CATEGORIES.map((c) => h("option", { value: c, selected: demand.category === c }, t(`demand.${c}`))),
    );
    const text = h(
      "textarea",
      { class: "input textarea demand-text", rows: 2, maxlength: 1000, "aria-label": t("form.demandText"), placeholder: t("form.demandPlaceholder") },
      demand.text || "",
    );
    const row = h("li", { class: "demand-row" });
    const remove = h("button", { type: "button", class: "btn btn-ghost demand-remove", "aria-label": t("form.removeDemand") }, icon("trash"), t("form.remove"));
    remove.addEventListener("click", () => {
      row.remove();
      renumber();
      changed();
    });
    row.append(h("div", { class: "demand-row-head" }, h("span", { class: "demand-no" }), remove), category, text);
    return row;
  }

  addDemand.addEventListener("click", () => {
    const row = demandRow();
    demandRows.append(row);
    renumber();
    row.querySelector("select").focus();
    changed();
  });
  for (const demand of initial.demands || []) demandRows.append(demandRow(demand));
  renumber();

  function values() {
    const checked = purposes.querySelector("input:checked");
    return {
      purpose: checked ? checked.value : "",
      people_met: people.value.trim(),
      summary: summary.value.trim(),
      demands: [...demandRows.children].map((row) => ({
        category: row.querySelector("select").value,
        text: row.querySelector("textarea").value.trim(),
      })),
    };
  }

  function changed() {
    clearTimeout(timer);
    timer = setTimeout(() => onDraft && onDraft(values()), DRAFT_DELAY_MS);
  }

  function validate() {
    const v = values();
    purposeError.hidden = true;
    demandError.hidden = true;
    if (!v.purpose) {
      purposeError.textContent = t("form.needPurpose");
      purposeError.hidden = false;
      purposes.scrollIntoView({ block: "center" });
      return purposeError.textContent;
    }
    const bad = v.demands.findIndex((d) => !d.category || !d.text);
    if (bad >= 0) {
      demandError.textContent = t("form.badDemand", { n: bad + 1 });
      demandError.hidden = false;
      demandRows.children[bad].scrollIntoView({ block: "center" });
      return demandError.textContent;
    }
    return "";
  }

  const el = h(
    "form",
    { class: "form visit-form", id: "visit-form", novalidate: true },
    purposes,
    h("div", { class: "field" }, h("label", { for: "people-met" }, t("form.people")), people),
    h("div", { class: "field" }, h("label", { for: "summary" }, t("form.summary")), summary),
    h("fieldset", { class: "field" }, h("legend", {}, t("form.demands")), h("p", { class: "hint" }, t("form.demandsHint")), demandRows, demandError, addDemand),
  );
  el.addEventListener("input", changed);
  el.addEventListener("change", changed);
  el.addEventListener("submit", (event) => event.preventDefault());

  return {
    el,
    values,
    validate,
    flush() {
      clearTimeout(timer);
      if (onDraft) onDraft(values());
    },
    destroy() {
      clearTimeout(timer);
    },
  };
}
