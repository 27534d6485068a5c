// A site's detail sheet: photos, the key figures, the owner unit and its
// contact's surname (nothing of the phone before a reveal) with "显示联系电话", navigation links for AMap/Baidu/Tencent,
// the specs, and the inquiry form.

import { t } from "../common/i18n.js";
import "./strings.js";
import { currentUser } from "../shell/session.js";
import { openSheet } from "../common/sheet.js";
import { siteDetail } from "./api.js";
import { callLink, loginPrompt, onReveal, reveal, revealedContact } from "./contact.js";
import { awaitingChip, formatArea, formatDay, formatMonthly, formatNumber, formatRent, statusChip, typeChip } from "./format.js";
import { siteIcon } from "./icons.js";
import { inquiryForm } from "./inquiry.js";
import { errorView, fill, h, icon, stateView } from "../common/ui.js";

const NAV_APPS = ["amap", "baidu", "tencent"];

function photos(site) {
  if (!site.photos.length) return h("p", { class: "site-photos-none hint" }, icon("image"), t("sites.noPhotos"));
  return h(
    "div",
    { class: "site-photos", id: "site-photos" },
    site.photos.map((photo, i) =>
      h(
        "a",
        { class: "site-photo", href: photo.url, target: "_blank", rel: "noopener" },
        h("img", { src: photo.thumb_url, alt: t("sites.photoAlt", { name: site.name, n: i + 1 }), loading: "lazy", width: 160, height: 120 }),
      ),
    ),
  );
}

function figure(label, value, id) {
  return h("div", { class: "site-figure" }, h("span", { class: "site-figure-label" }, label), h("span", { class: "site-figure-value", id }, value));
}

function specRow(label, value) {
  if (value === null || value === undefined || value === "") return null;
  return h("div", { class: "row" }, h("span", { class: "row-label" }, label), h("span", { class: "row-value" }, value));
}

function specs(site) {
  const rentQuoted =
    typeof site.rent_value === "number" && site.rent_unit !== "yuan_m2_day"
      ? t("sites.rentQuoted", { value: formatNumber(site.rent_value, 2), unit: t(`sites.rentUnit.${site.rent_unit}`) })
      : null;
  const crane = site.crane === true ? t("sites.yes") : site.crane === false ? t("sites.no") : null;
  const unit = (key, value, digits = 1) => (typeof value === "number" ? t(key, { n: formatNumber(value, digits) }) : null);
  const rows = [
    specRow(t("sites.spec.address"), site.address),
    specRow(t("sites.spec.village"), site.village),
    specRow(t("sites.spec.buildingArea"), unit("sites.areaValue", site.building_area_m2)),
    specRow(t("sites.spec.landArea"), typeof site.land_area_m2 === "number" ? t("sites.landValue", { m2: formatNumber(site.land_area_m2), mu: formatNumber(site.land_area_mu, 2) }) : null),
    specRow(t("sites.spec.rentQuoted"), rentQuoted),
    specRow(t("sites.spec.floors"), unit("sites.floorsValue", site.floors, 0)),
    specRow(t("sites.spec.floorHeight"), unit("sites.metresValue", site.floor_height_m)),
    specRow(t("sites.spec.floorLoad"), unit("sites.loadValue", site.floor_load_kn_m2)),
    specRow(t("sites.spec.power"), unit("sites.powerValue", site.power_kva, 0)),
    specRow(t("sites.spec.crane"), crane),
    specRow(t("sites.spec.fireRating"), site.fire_rating),
    specRow(t("sites.spec.landUse"), site.land_use),
    specRow(t("sites.spec.propertyRights"), site.property_rights),
    specRow(t("sites.spec.availableFrom"), site.available_from ? formatDay(site.available_from) : null),
    specRow(t("sites.spec.lastConfirmed"), site.last_confirmed ? formatDay(site.last_confirmed) : t("sites.neverConfirmed")),
  ].filter(Boolean);
  return h(
    "section",
    { class: "site-section", id: "site-specs" },
    h("h3", { class: "sub-title" }, t("sites.specsTitle")),
    h("div", { class: "rows site-rows" }, rows),
    site.description ? h("p", { class: "site-description" }, site.description) : null,
  );
}

function contactSection(site) {
  const box = h("div", { class: "site-contact-body" });
  const section = h(
    "section",
    { class: "site-section site-contact", id: "site-contact" },
    h("h3", { class: "sub-title" }, t("sites.ownerTitle")),
    h("p", { class: "site-owner", id: "site-owner" }, site.owner.name),
    box,
  );

  function showRevealed(contact) {
    fill(
      box,
      h(
        "p",
        { class: "site-contact-line" },
        h("span", { class: "site-contact-name", id: "contact-name" }, contact.contact_name || "—"),
        h("span", { class: "site-contact-phone", id: "contact-phone" }, contact.contact_phone),
      ),
      callLink(contact, { id: "call-phone", className: "btn btn-primary btn-block" }),
    );
  }

  function showMasked() {
    const error = h("p", { class: "form-error", role: "alert", id: "reveal-error", hidden: true });
    const button = h("button", { type: "button", class: "btn btn-secondary btn-block", id: "reveal-phone" }, siteIcon("phone"), t("sites.reveal"));
    button.addEventListener("click", async () => {
      if (!currentUser()) {
        fill(box, masked(), loginPrompt(site.id, { id: "reveal-login" }));
        return;
      }
      button.disabled = true;
      error.hidden = true;
      try {
        showRevealed(await reveal(site.id));
      } catch (failure) {
        // 429 says, in Chinese, how long to wait; offline says to try again later.
        error.textContent = failure.offline ? t("sites.revealOffline") : failure.message;
        error.hidden = false;
        if (button.isConnected) button.disabled = false;
      }
    });
    fill(box, masked(), button, error, h("p", { class: "hint site-reveal-hint" }, t("sites.revealHint")));
  }

  function masked() {
    return h(
      "p",
      { class: "site-contact-line" },
      h("span", { class: "site-contact-name", id: "contact-surname" }, site.contact_surname ? t("sites.contactSurname", { surname: site.contact_surname }) : "—"),
      h("span", { class: "site-contact-phone", id: "contact-phone-masked" }, site.has_contact_phone ? t("sites.phoneHidden") : t("sites.noPhone")),
    );
  }

  const known = revealedContact(site.id);
  if (known) showRevealed(known);
  else showMasked();
  const stop = onReveal((id, contact) => id === site.id && showRevealed(contact));
  return { el: section, stop };
}

function navigation(site) {
  const links = NAV_APPS.filter((app) => site.navigation && site.navigation[app]).map((app) =>
    h("a", { class: "btn btn-secondary site-nav-link", href: site.navigation[app], target: "_blank", rel: "noopener", id: `nav-${app}` }, siteIcon("navigate"), t(`sites.nav.${app}`)),
  );
  return h("section", { class: "site-section", id: "site-nav" }, h("h3", { class: "sub-title" }, t("sites.navTitle")), h("div", { class: "site-nav-links" }, links));
}

/**
 * openSiteDetail(id, {onShowOnMap, onLoaded}) → the sheet handle.
 * `onShowOnMap(site)` (optional) adds a "在地图上查看" button; `onLoaded(site)` runs once it is shown.
 */
export function openSiteDetail(siteId, { onShowOnMap, onLoaded } = {}) {
  let stop = null;
  let controller = new AbortController();
  const sheet = openSheet({
    title: t("sites.detailTitle"),
    id: "site-detail-sheet",
    onClose: () => {
      controller.abort();
      stop?.();
    },
  });
  sheet.dialog.dataset.siteId = String(siteId);

  function render(site) {
    sheet.setTitle(site.name);
    const contact = contactSection(site);
    stop = contact.stop;
    const user = currentUser();
    sheet.setContent(
      h(
        "div",
        { class: "site-detail", id: "site-detail", dataset: { id: site.id } },
        photos(site),
        h("div", { class: "site-card-chips" }, typeChip(site.type), statusChip(site.status), awaitingChip(site.awaiting_confirmation)),
        site.awaiting_confirmation ? h("p", { class: "hint" }, t("sites.awaitingHint")) : null,
        h(
          "div",
          { class: "site-figures" },
          figure(t("sites.area"), formatArea(site.area_m2), "site-area"),
          figure(t("sites.rent"), formatRent(site.rent_per_m2_day), "site-rent"),
          formatMonthly(site.rent_per_m2_day, site.area_m2) ? figure(t("sites.monthly"), formatMonthly(site.rent_per_m2_day, site.area_m2), "site-monthly") : null,
        ),
        contact.el,
        navigation(site),
        onShowOnMap
          ? h("button", { type: "button", class: "btn btn-ghost btn-block", id: "site-show-on-map", onclick: () => (sheet.close(), onShowOnMap(site)) }, icon("map"), t("sites.showOnMap"))
          : null,
        specs(site),
        user ? inquiryForm(site) : h("section", { class: "site-section", id: "site-inquiry" }, h("h3", { class: "sub-title" }, t("sites.inquiryTitle")), loginPrompt(site.id, { id: "inquiry-login", message: t("sites.loginToInquire") })),
      ),
    );
  }

  async function load() {
    controller.abort();
    controller = new AbortController();
    sheet.setContent(stateView("loading", { title: t("sites.detailLoading") }));
    try {
      const site = await siteDetail(siteId, { signal: controller.signal });
      if (sheet.closed) return;
      render(site);
      onLoaded?.(site);
    } catch (error) {
      if (sheet.closed || controller.signal.aborted) return;
      sheet.setContent(errorView(error, { title: error.status === 404 ? t("sites.detailGone") : t("sites.detailError"), onRetry: error.status === 404 ? null : load }));
    }
  }
  load();
  return sheet;
}
