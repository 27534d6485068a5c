// A 场地 demand's site needs (type, area range, where) and its suggested idle sites.
// needsFields(): the optional fields of the raise form and of the "set needs" form on a demand
// (the server bounds and checks them again, with the same Chinese messages).
// suggestionsCard(): 推荐场地 on a demand — each site with why it matched, a link to the site
// and 咨询, which sends the site finder's own inquiry from the demand (POST …/site-inquiries).

import { t } from "../common/i18n.js";
import "./strings.js";
import { getSiteSuggestions, sendSiteInquiry, setSiteNeeds } from "./api.js";
import { fill, h, icon, stateView, toast } from "../common/ui.js";

export const SITE_TYPES = ["factory", "office", "warehouse", "shop", "land", "other"];
const RADII = [1, 3, 5, 10, 20];
const AREA_MAX = 1000000;

/** The needs fields; value() → the needs to send ({} when none), or throws Error(message). */
export function needsFields(prefix, initial = {}) {
  const types = new Set(initial.types || []);
  const typeBoxes = SITE_TYPES.map((value) => {
    const input = h("input", { type: "checkbox", class: "choice-input", id: `${prefix}-type-${value}`, value, checked: types.has(value) });
    const wrap = h("label", { class: `choice${types.has(value) ? " is-checked" : ""}`, for: input.id }, input, h("span", { class: "choice-label" }, t(`needs.type.${value}`)));
    input.addEventListener("change", () => wrap.classList.toggle("is-checked", input.checked));
    return { input, wrap };
  });
  const number = (id, value, label) => h("input", { class: "input", id, type: "number", inputmode: "numeric", min: 1, max: AREA_MAX, step: 1, value: value ?? "", "aria-label": label, placeholder: label });
  const areaMin = number(`${prefix}-area-min`, initial.area_min_m2, t("needs.areaMin"));
  const areaMax = number(`${prefix}-area-max`, initial.area_max_m2, t("needs.areaMax"));
  const place = h("input", { class: "input", id: `${prefix}-place`, maxlength: 50, placeholder: t("needs.placeHint"), value: initial.place || "" });
  let point = initial.lat != null ? { lat: initial.lat, lng: initial.lng } : null;
  const radius = h("select", { class: "input", id: `${prefix}-radius` }, RADII.map((km) => h("option", { value: km, selected: km === (initial.radius_km || 5) }, t("needs.radiusKm", { km }))));
  const where = h("p", { class: "hint", id: `${prefix}-point` }, point ? t("needs.pointSet") : "");
  const locate = h("button", { type: "button", class: "btn btn-secondary btn-small", id: `${prefix}-locate` }, icon("pin", "chip-icon"), t("needs.useLocation"));
  const clear = h("button", { type: "button", class: "btn btn-ghost btn-small", id: `${prefix}-unlocate`, hidden: !point }, t("needs.clearLocation"));
  locate.addEventListener("click", () => {
    if (!navigator.geolocation) return (where.textContent = t("needs.noLocation"));
    where.textContent = t("needs.locating");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        point = { lat: Number(pos.coords.latitude.toFixed(6)), lng: Number(pos.coords.longitude.toFixed(6)) };
        where.textContent = t("needs.pointSet");
        clear.hidden = false;
      },
      () => (where.textContent = t("needs.noLocation")),
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
    );
  });
  clear.addEventListener("click", () => {
    point = null;
    where.textContent = "";
    clear.hidden = true;
  });

  const el = h(
    "fieldset",
    { class: "field dm-needs", id: `${prefix}-needs` },
    h("legend", {}, t("needs.title")),
    h("p", { class: "hint" }, t("needs.hint")),
    h("span", { class: "field-title" }, t("needs.types")),
    h("div", { class: "choice-grid choice-cols-3" }, typeBoxes.map((b) => b.wrap)),
    h("span", { class: "field-title" }, t("needs.area")),
    h("div", { class: "dm-area-range" }, areaMin, h("span", {}, "–"), areaMax, h("span", {}, "㎡")),
    h("label", { for: place.id, class: "field-title" }, t("needs.place")),
    place,
    h("div", { class: "dm-near" }, locate, radius, clear),
    where,
  );

  function value() {
    const out = {};
    const chosen = typeBoxes.filter((b) => b.input.checked).map((b) => b.input.value);
    if (chosen.length) out.types = chosen;
    const low = areaMin.value === "" ? null : Number(areaMin.value);
    const high = areaMax.value === "" ? null : Number(areaMax.value);
    for (const v of [low, high]) if (v !== null && !(v >= 1 && v <= AREA_MAX)) throw new Error(t("needs.areaBounds"));
    if (low !== null && high !== null && high < low) throw new Error(t("needs.areaOrder"));
    if (low !== null) out.area_min_m2 = low;
    if (high !== null) out.area_max_m2 = high;
    if (place.value.trim()) out.place = place.value.trim();
    if (point) Object.assign(out, point, { radius_km: Number(radius.value) });
    return out;
  }
  return { el, value };
}

function siteCard(site, { canInquire, demandId, onSent }) {
  const facts = [site.type_label, site.area_m2 != null ? `${Math.round(site.area_m2).toLocaleString("en-US")}㎡` : null, site.village || null, site.status_label].filter(Boolean).join(" · ");
  const card = h(
    "li",
    { class: "card dm-suggestion", dataset: { siteId: site.id } },
    h("a", { class: "dm-suggestion-name", href: site.url }, site.name),
    h("p", { class: "hint" }, facts, site.owner_name ? ` · ${site.owner_name}` : ""),
    h("ul", { class: "dm-reasons" }, site.reasons.map((r) => h("li", {}, r))),
  );
  if (!canInquire) return card;
  if (site.inquired) {
    card.append(h("p", { class: "chip chip-small chip-ok dm-inquired" }, t("suggest.inquired")));
    return card;
  }
  const open = h("button", { type: "button", class: "btn btn-primary btn-small dm-inquire", id: `suggest-inquire-${site.id}` }, t("suggest.inquire"));
  card.append(open);
  open.addEventListener("click", () => {
    open.hidden = true;
    const message = h("textarea", { class: "input textarea", id: `suggest-message-${site.id}`, maxlength: 1000, rows: 3 }, t("suggest.messageDefault", { name: site.name }));
    const phone = h("input", { class: "input", id: `suggest-phone-${site.id}`, type: "tel", inputmode: "numeric", maxlength: 11, placeholder: t("suggest.phoneHint") });
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const send = h("button", { type: "submit", class: "btn btn-primary btn-block", id: `suggest-send-${site.id}` }, t("suggest.send"));
    const form = h(
      "form",
      { class: "form dm-inquiry-form", novalidate: true },
      h("label", { for: message.id }, t("suggest.message")),
      message,
      h("label", { for: phone.id }, t("suggest.phone")),
      phone,
      error,
      send,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.hidden = true;
      if (!message.value.trim()) return Object.assign(error, { textContent: t("suggest.needMessage"), hidden: false });
      send.disabled = true;
      try {
        const body = { site_id: site.id, message: message.value.trim() };
        if (phone.value.trim()) body.phone = phone.value.trim();
        await sendSiteInquiry(demandId, body);
        toast(t("suggest.sent"));
        onSent();
      } catch (err) {
        error.textContent = err.offline ? t("action.offline") : err.message;
        error.hidden = false;
        send.disabled = false;
      }
    });
    card.append(form);
    message.focus();
  });
  return card;
}

/** 推荐场地 for a 场地 demand; onChange() reloads the demand (its timeline notes what was done). */
export function suggestionsCard(demand, { signal, onChange }) {
  const body = h("div", { class: "dm-suggestions-body" }, stateView("loading", { title: t("suggest.loading") }));
  const section = h("section", { class: "card dm-suggestions", id: "demand-suggestions" }, h("h3", { class: "sub-title" }, icon("search", "chip-icon"), t("suggest.title")), body);

  function needsForm(needs) {
    const fields = needsFields("demand-needs", needs);
    const error = h("p", { class: "field-error", id: "demand-needs-error", role: "alert", hidden: true });
    const save = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "demand-needs-save" }, t("suggest.saveNeeds"));
    const form = h("form", { class: "form", id: "demand-needs-form", novalidate: true }, fields.el, error, save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.hidden = true;
      let payload;
      try {
        payload = fields.value();
      } catch (err) {
        return Object.assign(error, { textContent: err.message, hidden: false });
      }
      save.disabled = true;
      try {
        await setSiteNeeds(demand.id, payload);
        toast(t("suggest.needsSaved"));
        onChange();
      } catch (err) {
        error.textContent = err.offline ? t("action.offline") : err.message;
        error.hidden = false;
        save.disabled = false;
      }
    });
    return form;
  }

  async function load() {
    try {
      const page = await getSiteSuggestions(demand.id, { signal });
      if (signal.aborted) return;
      const needs = page.needs;
      const parts = [];
      if (needs.empty) {
        parts.push(h("p", { class: "hint", id: "suggest-no-needs" }, page.can_set_needs ? t("suggest.noNeeds") : t("suggest.noNeedsOfficial")));
        if (page.can_set_needs) parts.push(needsForm(needs));
        return fill(body, parts);
      }
      parts.push(h("p", { class: "dm-needs-summary", id: "suggest-needs" }, t("suggest.needs", { summary: needs.summary })));
      if (page.can_set_needs) {
        const edit = h("details", { class: "explain", id: "suggest-edit" }, h("summary", {}, t("suggest.editNeeds")));
        edit.addEventListener("toggle", () => {
          if (edit.open && edit.children.length === 1) edit.append(needsForm(needs));
        });
        parts.push(edit);
      }
      parts.push(
        page.items.length
          ? h("ol", { class: "dm-suggestion-list", id: "suggest-list" }, page.items.map((site) => siteCard(site, { canInquire: page.can_inquire, demandId: demand.id, onSent: onChange })))
          : h("p", { class: "hint", id: "suggest-none" }, t("suggest.none")),
      );
      if (!page.can_inquire && page.items.length) parts.push(h("p", { class: "hint" }, t("suggest.officialHint")));
      fill(body, parts);
    } catch (err) {
      if (!signal.aborted) fill(body, h("p", { class: "field-error", role: "alert" }, err.message));
    }
  }
  load();
  return section;
}
