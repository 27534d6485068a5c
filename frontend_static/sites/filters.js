// 找场地's filters: the value (types, area, rent, status, keyword, order), how
// it becomes API parameters, and the bottom sheet that edits it.

import { t } from "../common/i18n.js";
import "./strings.js";
import { openSheet } from "../common/sheet.js";
import { SITE_STATUSES, SITE_TYPES, formatNumber, statusLabel, typeLabel } from "./format.js";
import { siteIcon } from "./icons.js";
import { h } from "../common/ui.js";

// "distance" is from the map's centre (sites-screen.js sends it as `near`).
const SORTS = ["id", "distance", "rent", "area", "updated"];
const MAX_AREA = 10_000_000;
const MAX_RENT = 10_000;

export function emptyFilters() {
  // Leased sites are hidden unless asked for: a map of offers led with one already let (issue 12).
  return { types: [], statuses: [], showLeased: false, areaMin: null, areaMax: null, rentMax: null, q: "", sort: "id" };
}

function number(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A filters value from anything stored (sessionStorage, a saved search's params). */
export function normalizeFilters(value = {}) {
  const list = (items, allowed) => (Array.isArray(items) ? items.filter((x) => allowed.includes(x)) : []);
  return {
    types: list(value.types, [...SITE_TYPES, "other"]),
    statuses: list(value.statuses, SITE_STATUSES),
    showLeased: value.showLeased === true,
    areaMin: number(value.areaMin ?? value.area_min),
    areaMax: number(value.areaMax ?? value.area_max),
    rentMax: number(value.rentMax ?? value.rent_max),
    q: typeof value.q === "string" ? value.q.slice(0, 50) : "",
    sort: SORTS.includes(value.sort) ? value.sort : "id",
  };
}

/** The API's filter parameters (GET /api/sites, /clusters, saved searches). */
export function filterParams(filters) {
  // No status chosen means every status but 已出租, or all three (spelt out, so that a saved
  // search keeps showing leased sites when applied again) with 显示已出租.
  const statuses = filters.statuses.length ? filters.statuses : SITE_STATUSES.filter((s) => filters.showLeased || s !== "leased");
  return {
    type: filters.types.join(","),
    status: statuses.join(","),
    area_min: filters.areaMin,
    area_max: filters.areaMax,
    rent_max: filters.rentMax,
    q: filters.q.trim(),
  };
}

/** How many filter groups differ from "everything". */
export function activeCount(filters) {
  return [
    filters.types.length,
    filters.statuses.length || filters.showLeased,
    filters.areaMin !== null || filters.areaMax !== null,
    filters.rentMax !== null,
    filters.q.trim(),
  ].filter(Boolean).length;
}

/** "厂房、仓库 · ≥ 500 m² · ≤ 1.50 元/m²/天": a readable name for a search. */
export function describeFilters(filters) {
  const parts = [];
  parts.push(filters.types.length ? filters.types.map(typeLabel).join("、") : t("sites.allTypes"));
  if (filters.areaMin !== null && filters.areaMax !== null) {
    parts.push(t("sites.areaBetween", { min: formatNumber(filters.areaMin), max: formatNumber(filters.areaMax) }));
  } else if (filters.areaMin !== null) {
    parts.push(t("sites.areaAtLeast", { n: formatNumber(filters.areaMin) }));
  } else if (filters.areaMax !== null) {
    parts.push(t("sites.areaAtMost", { n: formatNumber(filters.areaMax) }));
  }
  if (filters.rentMax !== null) parts.push(t("sites.rentAtMost", { n: filters.rentMax.toFixed(2) }));
  if (filters.statuses.length) parts.push(filters.statuses.map(statusLabel).join("、"));
  else if (filters.showLeased) parts.push(t("sites.withLeased"));
  if (filters.q.trim()) parts.push(`“${filters.q.trim()}”`);
  return parts.join(" · ");
}

function chipGroup({ name, legend, values, selected, label }) {
  const buttons = values.map((value) =>
    h(
      "button",
      {
        type: "button",
        class: "filter-chip",
        id: `filter-${name}-${value}`,
        dataset: { value },
        "aria-pressed": String(selected.includes(value)),
        onclick: (event) => {
          const button = event.currentTarget;
          button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
        },
      },
      label(value),
    ),
  );
  const group = h("fieldset", { class: "field filter-group", id: `filter-${name}` }, h("legend", {}, legend), h("div", { class: "filter-chips" }, buttons));
  return { group, read: () => buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.value) };
}

function numberInput(id, value, { placeholder, max }) {
  return h("input", {
    id,
    name: id,
    class: "input",
    type: "number",
    inputmode: "decimal",
    min: 0,
    max,
    step: "any",
    placeholder,
    value: value === null ? "" : String(value),
  });
}

/**
 * The filter bottom sheet. `onApply(filters)` runs with the new value when the
 * user taps 查看结果; with `onSave(filters)` (enterprise users) a second button
 * applies the value and keeps it as a saved search (订阅).
 */
export function openFilterSheet(current, { onApply, onSave = null } = {}) {
  const sheet = openSheet({ title: t("sites.filterTitle"), id: "site-filter-sheet" });
  const types = chipGroup({ name: "type", legend: t("sites.filterType"), values: SITE_TYPES, selected: current.types, label: typeLabel });
  const statuses = chipGroup({ name: "status", legend: t("sites.filterStatus"), values: SITE_STATUSES, selected: current.statuses, label: statusLabel });
  const leased = h(
    "button",
    { type: "button", class: "filter-chip", id: "filter-leased", "aria-pressed": String(current.showLeased) },
    t("sites.filterLeased"),
  );
  leased.addEventListener("click", () => leased.setAttribute("aria-pressed", String(leased.getAttribute("aria-pressed") !== "true")));
  const areaMin = numberInput("filter-area-min", current.areaMin, { placeholder: t("sites.filterMin"), max: MAX_AREA });
  const areaMax = numberInput("filter-area-max", current.areaMax, { placeholder: t("sites.filterMax"), max: MAX_AREA });
  const rentMax = numberInput("filter-rent-max", current.rentMax, { placeholder: t("sites.filterNoLimit"), max: MAX_RENT });
  const q = h("input", {
    id: "filter-q",
    name: "q",
    class: "input",
    type: "search",
    maxlength: 50,
    enterkeyhint: "search",
    autocomplete: "off",
    placeholder: t("sites.filterQHint"),
    value: current.q,
  });
  const sort = h(
    "select",
    { id: "filter-sort", name: "sort", class: "input" },
    SORTS.map((value) => h("option", { value, selected: value === current.sort }, t(`sites.sort.${value}`))),
  );
  const error = h("p", { class: "form-error", role: "alert", id: "filter-error", hidden: true });
  const reset = h("button", { type: "button", class: "btn btn-ghost", id: "filter-reset" }, t("sites.filterReset"));
  const apply = h("button", { type: "submit", class: "btn btn-primary", id: "filter-apply" }, t("sites.filterApply"));
  const save = onSave ? h("button", { type: "button", class: "btn btn-ghost btn-block", id: "sites-save" }, siteIcon("bell"), t("sites.saveTitle")) : null;

  const form = h(
    "form",
    { class: "form filter-form", id: "site-filter-form", novalidate: true },
    types.group,
    h(
      "fieldset",
      { class: "field filter-group" },
      h("legend", {}, t("sites.filterArea")),
      h("div", { class: "filter-range" }, h("label", { class: "visually-hidden", for: "filter-area-min" }, t("sites.filterMin")), areaMin, h("span", { "aria-hidden": "true" }, "–"), h("label", { class: "visually-hidden", for: "filter-area-max" }, t("sites.filterMax")), areaMax),
    ),
    h("div", { class: "field" }, h("label", { for: "filter-rent-max" }, t("sites.filterRent")), rentMax),
    statuses.group,
    h("div", { class: "filter-chips filter-leased" }, leased),
    h("div", { class: "field" }, h("label", { for: "filter-q" }, t("sites.filterQ")), q),
    h("div", { class: "field" }, h("label", { for: "filter-sort" }, t("sites.filterSort")), sort),
    error,
    save,
    h("div", { class: "btn-row filter-actions" }, reset, apply),
  );

  function readNumber(input, max) {
    const raw = input.value.trim();
    if (raw === "") return { value: null };
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > max || input.validity.badInput) return { bad: true };
    return { value };
  }

  reset.addEventListener("click", () => {
    const blank = emptyFilters();
    for (const button of form.querySelectorAll(".filter-chip")) button.setAttribute("aria-pressed", "false");
    areaMin.value = areaMax.value = rentMax.value = q.value = "";
    sort.value = blank.sort;
    error.hidden = true;
  });

  /** The sheet's value, or null (and the reason shown) when a number is wrong. */
  function readForm() {
    const min = readNumber(areaMin, MAX_AREA);
    const max = readNumber(areaMax, MAX_AREA);
    const rent = readNumber(rentMax, MAX_RENT);
    let message = "";
    if (min.bad || max.bad) message = t("sites.filterBadArea");
    else if (rent.bad) message = t("sites.filterBadRent");
    else if (min.value !== null && max.value !== null && max.value < min.value) message = t("sites.filterAreaOrder");
    if (message) {
      error.textContent = message;
      error.hidden = false;
      return null;
    }
    return normalizeFilters({
      types: types.read(),
      statuses: statuses.read(),
      showLeased: leased.getAttribute("aria-pressed") === "true",
      areaMin: min.value,
      areaMax: max.value,
      rentMax: rent.value,
      q: q.value.trim(),
      sort: sort.value,
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = readForm();
    if (!next) return;
    sheet.close();
    onApply(next);
  });
  save?.addEventListener("click", () => {
    const next = readForm();
    if (!next) return;
    sheet.close();
    onApply(next);
    onSave(next);
  });

  sheet.setContent(form);
  return sheet;
}
