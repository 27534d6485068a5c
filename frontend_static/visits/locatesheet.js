// The locate-and-confirm sheet that check-in and check-out share: it reads the position
// once, shows the distance to the enterprise, the GPS accuracy and whether that is within
// its range, and confirms with a fix no older than FRESH_MS. What happens after the
// confirmation (the check-in's result in the sheet, the check-out's on the page) is the
// caller's `onConfirm`.
//
// Element ids carry the prefix ("checkin" / "checkout"): #<prefix>-sheet, -distance,
// -accuracy, -range, -confirm, -relocate, -cancel, -geo-error, -error.

import { distanceM, fenceOf, GeoError, readPosition, withinFence } from "../common/geolocate.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { openSheet } from "../common/sheet.js";
import { h, icon, stateView } from "../common/ui.js";
import { measureCard, rangeChip } from "./parts.js";

// A fix older than this is read again when the confirm button is tapped (the sheet stayed open a while).
export const FRESH_MS = 2 * 60 * 1000;

/**
 * Options:
 *   prefix       "checkin" or "checkout": the sheet's id and its elements' ids
 *   title        the sheet's title
 *   head         the node under it (the address; the caller keeps it for its own content)
 *   enterprise   {lat, lng, geofence…}: where the user should be
 *   confirmLabel, savingLabel
 *   notes        async ({fix, distance, radius, inside}) => nodes shown above the buttons
 *   footer       nodes below the buttons
 *   onConfirm    async (fix) => …; a throw puts the button back with the error under it
 * Returns the sheet (from common/sheet.js).
 */
export function openLocateSheet({ prefix, title, head, enterprise, confirmLabel, savingLabel, notes = null, footer = null, onConfirm }) {
  const sheet = openSheet({ title, id: `${prefix}-sheet` });
  let fix = null;
  let busy = false;

  function cancelButton(extraClass) {
    return h("button", { type: "button", class: `btn btn-ghost ${extraClass}`, id: `${prefix}-cancel`, onclick: () => sheet.close() }, t("sheet.cancel"));
  }

  async function locate() {
    sheet.setContent(head, stateView("loading", { title: t("checkin.reading") }));
    let next;
    try {
      next = await readPosition();
    } catch (error) {
      if (sheet.closed) return;
      sheet.setContent(
        head,
        h("div", { id: `${prefix}-geo-error` }, stateView("error", { title: t("geo.failedTitle"), message: error.message })),
        h(
          "div",
          { class: "sheet-actions" },
          h("button", { type: "button", class: "btn btn-primary btn-block", id: `${prefix}-relocate`, onclick: locate }, t("checkin.relocate")),
          cancelButton("btn-block"),
        ),
      );
      return;
    }
    if (sheet.closed) return;
    fix = next;
    await preview();
  }

  async function preview() {
    const distance = distanceM(fix.lat, fix.lng, enterprise.lat, enterprise.lng);
    const radius = fenceOf(enterprise);
    const inside = withinFence(distance, radius, fix.accuracy_m);
    const extra = notes ? await notes({ fix, distance, radius, inside }) : [];
    if (sheet.closed) return;
    const confirm = h("button", { type: "button", class: "btn btn-primary btn-block btn-big", id: `${prefix}-confirm` }, icon("check"), confirmLabel);
    confirm.addEventListener("click", () => submit(confirm));
    sheet.setContent(
      head,
      measureCard({ distance, accuracy: fix.accuracy_m, at: fix.at, idPrefix: prefix }),
      rangeChip(inside, radius, `${prefix}-range`),
      ...extra,
      h(
        "div",
        { class: "sheet-actions" },
        confirm,
        h(
          "div",
          { class: "btn-row" },
          h("button", { type: "button", class: "btn btn-secondary", id: `${prefix}-relocate`, onclick: locate }, icon("locate"), t("checkin.relocate")),
          cancelButton(""),
        ),
      ),
      footer,
    );
    confirm.focus();
  }

  async function submit(button) {
    if (busy) return;
    busy = true;
    button.disabled = true;
    button.textContent = savingLabel;
    try {
      if (Date.now() - fix.at > FRESH_MS) fix = await readPosition();
      await onConfirm(fix);
    } catch (error) {
      console.error(error);
      busy = false;
      if (sheet.closed) return;
      button.disabled = false;
      button.replaceChildren(icon("check"), confirmLabel);
      sheet.body.querySelector(`#${prefix}-error`)?.remove();
      sheet.body.append(h("p", { class: "form-error", role: "alert", id: `${prefix}-error` }, error instanceof GeoError ? error.message : t("store.failed")));
    }
  }

  locate();
  return sheet;
}
