// The owner's editor for one listing: photos (add, remove) and the specs
// (PATCH /api/sites/{id}; only changed fields are sent; saving also confirms
// the listing is current).

import { t } from "../common/i18n.js";
import "./strings.js";
import { openSheet } from "../common/sheet.js";
import { addSitePhoto, deleteSitePhoto, updateSite } from "./api.js";
import { RENT_UNITS, formatMonthly, formatRent } from "./format.js";
import { fill, h, icon, toast } from "../common/ui.js";

const MAX_PHOTOS = 12;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

// name, kind, extra attributes
const FIELDS = [
  ["name", "text", { maxlength: 200, required: true }],
  ["address", "text", { maxlength: 255 }],
  ["building_area_m2", "number", {}],
  ["land_area_m2", "number", {}],
  ["rent_value", "number", {}],
  ["rent_unit", "rent_unit", {}],
  ["available_from", "date", {}],
  ["floors", "int", {}],
  ["floor_height_m", "number", {}],
  ["floor_load_kn_m2", "number", {}],
  ["power_kva", "number", {}],
  ["crane", "crane", {}],
  ["fire_rating", "text", { maxlength: 20 }],
  ["land_use", "text", { maxlength: 20 }],
  ["property_rights", "text", { maxlength: 100 }],
  ["contact_name", "text", { maxlength: 50 }],
  ["contact_mobile", "tel", { maxlength: 20 }],
  ["description", "textarea", { maxlength: 2000 }],
];

function control(name, kind, value, extra) {
  const id = `edit-${name}`;
  const common = { id, name, class: "input", ...extra };
  if (kind === "textarea") return h("textarea", { ...common, class: "input textarea", rows: 4 }, value ?? "");
  if (kind === "rent_unit") {
    return h("select", common, RENT_UNITS.map((unit) => h("option", { value: unit, selected: unit === value }, t(`sites.rentUnit.${unit}`))));
  }
  if (kind === "crane") {
    const current = value === true ? "true" : value === false ? "false" : "";
    return h(
      "select",
      common,
      [
        ["", t("sites.unknown")],
        ["true", t("sites.yes")],
        ["false", t("sites.no")],
      ].map(([v, label]) => h("option", { value: v, selected: v === current }, label)),
    );
  }
  const type = { number: "number", int: "number", date: "date", tel: "tel" }[kind] || "text";
  const attrs = { ...common, type, value: value ?? "" };
  if (kind === "number") Object.assign(attrs, { inputmode: "decimal", step: "any", min: 0 });
  if (kind === "int") Object.assign(attrs, { inputmode: "numeric", step: 1, min: 0 });
  return h("input", attrs);
}

function read(kind, el) {
  const raw = el.value.trim();
  if (kind === "number" || kind === "int") return raw === "" ? null : Number(raw);
  if (kind === "crane") return raw === "" ? null : raw === "true";
  if (kind === "date") return raw === "" ? null : raw;
  return raw;
}

function same(a, b) {
  return (a ?? "") === (b ?? "") || (typeof a === "number" && typeof b === "number" && Math.abs(a - b) < 1e-9);
}

function photoSection(site, onChange) {
  const grid = h("ul", { class: "edit-photos", id: "edit-photos" });
  const status = h("p", { class: "hint", role: "status", id: "edit-photo-status" });
  const input = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp", class: "file-input", id: "edit-photo-input", multiple: true });
  const add = h("label", { class: "btn btn-secondary file-button", id: "edit-photo-add" }, icon("camera"), t("owner.addPhoto"), input);
  let photos = [...site.photos];

  function render() {
    fill(
      grid,
      photos.map((photo, i) => {
        const remove = h("button", { type: "button", class: "icon-button edit-photo-remove", "aria-label": t("owner.removePhoto", { n: i + 1 }) }, icon("trash"));
        remove.addEventListener("click", async () => {
          remove.disabled = true;
          try {
            await deleteSitePhoto(site.id, photo.id);
            photos = photos.filter((p) => p.id !== photo.id);
            render();
            onChange(photos);
          } catch (error) {
            toast(error.message);
            remove.disabled = false;
          }
        });
        return h("li", { class: "edit-photo", dataset: { id: photo.id } }, h("img", { src: photo.thumb_url, alt: t("sites.photoAlt", { name: site.name, n: i + 1 }), width: 96, height: 72 }), remove);
      }),
    );
    add.hidden = photos.length >= MAX_PHOTOS;
    status.textContent = t("owner.photoCount", { n: photos.length, max: MAX_PHOTOS });
  }

  input.addEventListener("change", async () => {
    const files = [...input.files];
    input.value = "";
    for (const file of files) {
      if (photos.length >= MAX_PHOTOS) break;
      if (file.size > MAX_PHOTO_BYTES) {
        toast(t("photo.tooBig", { name: file.name }));
        continue;
      }
      status.textContent = t("owner.uploading", { name: file.name });
      try {
        const photo = await addSitePhoto(site.id, file);
        if (!photos.some((p) => p.id === photo.id)) photos.push(photo);
      } catch (error) {
        toast(error.message);
      }
      render();
      onChange(photos);
    }
  });

  render();
  return h("section", { class: "site-section" }, h("h3", { class: "sub-title" }, t("owner.photos")), grid, status, add);
}

// backend/sites/rent.py, for the preview under the rent while typing.
function perM2Day(value, unit, area) {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  if (unit === "yuan_m2_day") return value;
  if (unit === "yuan_m2_month") return (value * 12) / 365;
  return area >= 1 ? value / area / 365 : null;
}

/** The rent and its unit on one line, the unit a choice right beside the number, and what it comes to. */
function rentField(controls) {
  const preview = h("p", { class: "hint field-hint", id: "edit-rent-preview", "aria-live": "polite" });
  function update() {
    const area = read("number", controls.building_area_m2) ?? read("number", controls.land_area_m2);
    const perDay = perM2Day(read("number", controls.rent_value), controls.rent_unit.value, area);
    const monthly = formatMonthly(perDay, area);
    preview.textContent = perDay === null ? "" : [t("owner.rentPerDay", { rent: formatRent(perDay) }), monthly].filter(Boolean).join(" · ");
  }
  for (const name of ["rent_value", "rent_unit", "building_area_m2", "land_area_m2"]) controls[name].addEventListener("input", update);
  update();
  return h(
    "div",
    { class: "field", dataset: { field: "rent_value" } },
    h("label", { for: "edit-rent_value" }, t("owner.field.rent_value")),
    h("div", { class: "edit-rent-row" }, controls.rent_value, h("label", { class: "visually-hidden", for: "edit-rent_unit" }, t("owner.field.rent_unit")), controls.rent_unit),
    preview,
    h("p", { class: "field-error", id: "edit-rent_value-error", role: "alert", hidden: true }),
    h("p", { class: "field-error", id: "edit-rent_unit-error", role: "alert", hidden: true }),
  );
}

/** openSiteEditor(site, {onSaved(updatedSite)}) */
export function openSiteEditor(site, { onSaved }) {
  const sheet = openSheet({ title: t("owner.editTitle", { name: site.name }), id: "site-edit-sheet" });
  const controls = {};
  for (const [name, kind, extra] of FIELDS) controls[name] = control(name, kind, site[name], extra);
  const fields = FIELDS.map(([name]) => {
    if (name === "rent_unit") return null; // beside the rent (rentField)
    if (name === "rent_value") return rentField(controls);
    return h(
      "div",
      { class: "field", dataset: { field: name } },
      h("label", { for: `edit-${name}` }, t(`owner.field.${name}`)),
      controls[name],
      h("p", { class: "field-error", id: `edit-${name}-error`, role: "alert", hidden: true }),
    );
  });
  const error = h("p", { class: "form-error", role: "alert", id: "edit-error", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "edit-save" }, t("owner.save"));
  const form = h("form", { class: "form site-edit-form", id: "site-edit-form", novalidate: true }, fields, error, h("p", { class: "hint" }, t("owner.saveConfirms")), submit);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = {};
    const errors = {};
    for (const [name, kind] of FIELDS) {
      const value = read(kind, controls[name]);
      if ((kind === "number" || kind === "int") && value !== null && (!Number.isFinite(value) || value < 0 || (kind === "int" && !Number.isInteger(value)))) {
        errors[name] = t("owner.badNumber");
        continue;
      }
      if (!same(value, site[name])) changes[name] = value;
    }
    if (!read("text", controls.name)) errors.name = t("owner.needName");
    for (const [name] of FIELDS) {
      const el = form.querySelector(`#edit-${name}-error`);
      el.textContent = errors[name] || "";
      el.hidden = !errors[name];
    }
    error.hidden = true;
    if (Object.keys(errors).length) return;
    submit.disabled = true;
    try {
      const updated = await updateSite(site.id, changes);
      sheet.close();
      toast(t("owner.saved"));
      onSaved(updated);
    } catch (failure) {
      for (const [name, message] of Object.entries(failure.errors || {})) {
        const el = form.querySelector(`#edit-${name}-error`);
        if (el) {
          el.textContent = message;
          el.hidden = false;
        }
      }
      error.textContent = failure.offline ? t("owner.offline") : failure.message;
      error.hidden = false;
      submit.disabled = false;
    }
  });

  sheet.setContent(photoSection(site, (photos) => onSaved({ ...site, photos }, { photosOnly: true })), h("h3", { class: "sub-title" }, t("owner.specs")), form);
  return sheet;
}
