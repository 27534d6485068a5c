// The 签到 sheet: tap an enterprise → the sheet reads the position once, shows
// the measured distance and the GPS accuracy (locatesheet.js, shared with 签退)
// → 签到 → the result (distance, in or out of range, flags), or "saved on the
// phone" when offline.

import { formatTime } from "../common/format.js";
import { fenceOf, POOR_ACCURACY_M } from "../common/geolocate.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { isOnline } from "../common/net.js";
import { h, icon, stateView } from "../common/ui.js";
import { openLocateSheet } from "./locatesheet.js";
import { flagList, measureCard, rangeChip } from "./parts.js";
import { checkIn, openRecords } from "./store.js";

export function openCheckinSheet(enterprise, { navigate }) {
  const head = h("p", { class: "sheet-sub" }, enterprise.address || "");
  const sheet = openLocateSheet({
    prefix: "checkin",
    title: enterprise.name,
    head,
    enterprise,
    confirmLabel: t("checkin.confirm"),
    savingLabel: t("checkin.saving"),
    notes: async ({ fix, inside }) => {
      const open = (await openRecords()).filter((r) => r.enterprise.id !== enterprise.id);
      return [
        fix.accuracy_m > POOR_ACCURACY_M ? h("p", { class: "notice", id: "checkin-poor" }, icon("warning"), t("checkin.poorAccuracy")) : null,
        !inside ? h("p", { class: "hint" }, t("checkin.outsideHint")) : null,
        open.length ? h("p", { class: "notice", id: "checkin-open" }, icon("clipboard"), t("checkin.openVisit", { name: open[0].enterprise.name })) : null,
      ];
    },
    footer: h("p", { class: "privacy" }, t("checkin.privacy")),
    onConfirm: async (fix) => {
      const { record, result } = await checkIn({ enterprise, fix, online: isOnline() });
      if (sheet.closed) return;
      sheet.setContent(head, stateView("loading", { title: t("checkin.sending") }));
      const answer = await result;
      if (sheet.closed) return;
      showResult(record, answer);
    },
  });

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

  return sheet;
}
