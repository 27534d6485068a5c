// The 签到 sheet: tap an enterprise → the sheet reads the position once, shows
// the measured distance and the GPS accuracy → 签到 → the result (distance,
// in or out of range, flags), or "saved on the phone" when offline.

import { formatTime } from "./format.js";
import { distanceM, fenceOf, GeoError, POOR_ACCURACY_M, readPosition, withinFence } from "./geolocate.js";
import { t } from "./i18n.js";
import { isOnline } from "./net.js";
import { openSheet } from "./sheet.js";
import { h, icon, stateView } from "./ui.js";
import { flagList, measureCard, rangeChip } from "./visitparts.js";
import { checkIn, openRecords } from "./visitstore.js";

// A fix older than this is read again when 签到 is tapped.
const FRESH_MS = 2 * 60 * 1000;

function reading(message) {
  return stateView("loading", { title: message });
}

export function openCheckinSheet(enterprise, { navigate }) {
  const sheet = openSheet({ title: enterprise.name, id: "checkin-sheet" });
  let fix = null;
  let busy = false;

  const head = h("p", { class: "sheet-sub" }, enterprise.address || "");

  function cancelButton() {
    return h("button", { type: "button", class: "btn btn-ghost btn-block", id: "checkin-cancel", onclick: () => sheet.close() }, t("sheet.cancel"));
  }

  async function locate() {
    sheet.setContent(head, reading(t("checkin.reading")));
    let next;
    try {
      next = await readPosition();
    } catch (error) {
      if (sheet.closed) return;
      sheet.setContent(
        head,
        h("div", { id: "checkin-geo-error" }, stateView("error", { title: t("geo.failedTitle"), message: error.message })),
        h(
          "div",
          { class: "sheet-actions" },
          h("button", { type: "button", class: "btn btn-primary btn-block", id: "checkin-relocate", onclick: locate }, t("checkin.relocate")),
          cancelButton(),
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
    const open = (await openRecords()).filter((r) => r.enterprise.id !== enterprise.id);
    if (sheet.closed) return;
    const confirm = h("button", { type: "button", class: "btn btn-primary btn-block btn-big", id: "checkin-confirm" }, icon("check"), t("checkin.confirm"));
    confirm.addEventListener("click", () => submit(confirm));
    sheet.setContent(
      head,
      measureCard({ distance, accuracy: fix.accuracy_m, at: fix.at, idPrefix: "checkin" }),
      rangeChip(inside, radius, "checkin-range"),
      fix.accuracy_m > POOR_ACCURACY_M ? h("p", { class: "notice", id: "checkin-poor" }, icon("warning"), t("checkin.poorAccuracy")) : null,
      !inside ? h("p", { class: "hint" }, t("checkin.outsideHint")) : null,
      open.length ? h("p", { class: "notice", id: "checkin-open" }, icon("clipboard"), t("checkin.openVisit", { name: open[0].enterprise.name })) : null,
      h(
        "div",
        { class: "sheet-actions" },
        confirm,
        h(
          "div",
          { class: "btn-row" },
          h("button", { type: "button", class: "btn btn-secondary", id: "checkin-relocate", onclick: locate }, icon("locate"), t("checkin.relocate")),
          h("button", { type: "button", class: "btn btn-ghost", onclick: () => sheet.close() }, t("sheet.cancel")),
        ),
      ),
      h("p", { class: "privacy" }, t("checkin.privacy")),
    );
    confirm.focus();
  }

  async function submit(button) {
    if (busy) return;
    busy = true;
    button.disabled = true;
    button.textContent = t("checkin.saving");
    try {
      if (Date.now() - fix.at > FRESH_MS) fix = await readPosition();
      const { record, result } = await checkIn({ enterprise, fix, online: isOnline() });
      if (sheet.closed) return;
      sheet.setContent(head, reading(t("checkin.sending")));
      const answer = await result;
      if (sheet.closed) return;
      showResult(record, answer);
    } catch (error) {
      console.error(error);
      busy = false;
      if (sheet.closed) return;
      button.disabled = false;
      button.textContent = t("checkin.confirm");
      sheet.body.append(h("p", { class: "form-error", role: "alert", id: "checkin-error" }, error instanceof GeoError ? error.message : t("store.failed")));
    }
  }

  function showResult(record, answer) {
    const go = () => {
      sheet.close();
      navigate(`visit/${record.client_id}`);
    };
    const parts = [];
    if (answer.status === "sent") {
      const data = answer.data;
      parts.push(
        h(
          "div",
          { class: "result result-ok", id: "checkin-result", dataset: { status: "sent" } },
          h("div", { class: "result-head" }, icon("check", "result-icon"), h("p", { class: "result-title" }, t("checkin.done"))),
          h("p", { class: "result-sub" }, t("checkin.doneAt", { time: formatTime(data.checkin_at) })),
        ),
        measureCard({ distance: data.distance_m, accuracy: record.checkin.accuracy_m, idPrefix: "checkin-server", serverDistance: true }),
        rangeChip(data.within_geofence, fenceOf(enterprise), "checkin-server-range"),
        flagList(data.flags, { id: "checkin-flags" }),
      );
    } else if (answer.status === "attention") {
      parts.push(
        h(
          "div",
          { class: "result result-bad", id: "checkin-result", dataset: { status: "attention" } },
          h("div", { class: "result-head" }, icon("warning", "result-icon"), h("p", { class: "result-title" }, t("checkin.refused"))),
          h("p", { class: "result-sub" }, (answer.error && answer.error.message) || ""),
        ),
        h("p", { class: "hint" }, t("checkin.refusedHint")),
      );
    } else {
      parts.push(
        h(
          "div",
          { class: "result result-queued", id: "checkin-result", dataset: { status: "queued" } },
          h("div", { class: "result-head" }, icon("cloud", "result-icon"), h("p", { class: "result-title" }, t("checkin.queued"))),
          h("p", { class: "result-sub" }, t(answer.error && answer.error.kind === "http" ? "checkin.queuedServer" : "checkin.queuedHint")),
        ),
        measureCard({ distance: record.checkin.distance_m, accuracy: record.checkin.accuracy_m, idPrefix: "checkin-local" }),
      );
    }
    parts.push(
      h(
        "div",
        { class: "sheet-actions" },
        h("button", { type: "button", class: "btn btn-primary btn-block btn-big", id: "checkin-continue", onclick: go }, icon("clipboard"), t("checkin.continue")),
        h("button", { type: "button", class: "btn btn-ghost btn-block", onclick: () => sheet.close() }, t("sheet.close")),
      ),
    );
    sheet.setTitle(enterprise.name);
    sheet.setContent(head, ...parts);
  }

  locate();
  return sheet;
}
