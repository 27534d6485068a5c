// Read-only pieces of a visit, shared by the 签到 sheet, the visit screen and
// the 走访 list: measured distance/accuracy, range, flags with their review,
// sync status, demands, the rating QR code.

import { formatAccuracy, formatDistance, formatTime } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { h, icon } from "../common/ui.js";

const FLAG_KEYS = {
  outside_geofence: "flag.outside_geofence",
  poor_accuracy: "flag.poor_accuracy",
  impossible_speed: "flag.impossible_speed",
  repeated_coordinates: "flag.repeated_coordinates",
  clock_skew: "flag.clock_skew",
  late_sync: "flag.late_sync",
  short_visit: "flag.short_visit",
  off_hours: "flag.off_hours",
};

const REVIEW_KEYS = {
  pending: "review.pending",
  accepted: "review.accepted",
  explained: "review.explained",
  rejected: "review.rejected",
};

export function flagLabel(flag) {
  return FLAG_KEYS[flag] ? t(FLAG_KEYS[flag]) : flag;
}

export function reviewLabel(status) {
  return t(REVIEW_KEYS[status] || "review.pending");
}

/** Two big numbers: distance to the enterprise and GPS accuracy. */
export function measureCard({ distance, accuracy, at = null, idPrefix, serverDistance = false }) {
  return h(
    "div",
    { class: "measure" },
    h(
      "div",
      { class: "measure-item" },
      h("span", { class: "measure-label" }, t(serverDistance ? "measure.serverDistance" : "measure.distance")),
      h("span", { class: "measure-value", id: `${idPrefix}-distance` }, formatDistance(distance)),
    ),
    h(
      "div",
      { class: "measure-item" },
      h("span", { class: "measure-label" }, t("measure.accuracy")),
      h("span", { class: "measure-value", id: `${idPrefix}-accuracy` }, formatAccuracy(accuracy)),
    ),
    at ? h("p", { class: "measure-at" }, t("measure.at", { time: formatTime(at) })) : null,
  );
}

/** In or out of the enterprise's check-in range; `radius` null when it is not known here. */
export function rangeChip(inside, radius, id) {
  const text = radius ? t(inside ? "range.inside" : "range.outside", { radius: Math.round(radius) }) : t(inside ? "range.insideShort" : "range.outsideShort");
  return h("p", { class: `chip ${inside ? "chip-ok" : "chip-warn"}`, id, dataset: { inside: String(Boolean(inside)) } }, icon(inside ? "check" : "warning", "chip-icon"), text);
}

/** "synced" | "pending" | "attention" as a small chip. */
export function syncChip(status, id) {
  const key = { synced: "sync.synced", pending: "sync.pendingShort", attention: "sync.attention" }[status] || "sync.pendingShort";
  return h("span", { class: `chip chip-small chip-${status}`, id, dataset: { sync: status } }, t(key));
}

/**
 * The flags of a visit in Chinese, each with its review (if `reviews` is given)
 * and a 补充说明 button (if `onExplain` is given). No flags → "无异常标记".
 */
export function flagList(flags, { id, reviews = null, onExplain = null } = {}) {
  const list = Array.isArray(flags) ? flags : [];
  if (!list.length) {
    return h("p", { class: "chip chip-ok", id, dataset: { flags: "0" } }, icon("check", "chip-icon"), t("flags.none"));
  }
  return h(
    "ul",
    { class: "flag-list", id, dataset: { flags: String(list.length) } },
    list.map((flag) => {
      const review = reviews ? reviews.find((r) => r.flag === flag) : null;
      return h(
        "li",
        { class: "flag", dataset: { flag } },
        h(
          "div",
          { class: "flag-head" },
          icon("warning", "flag-icon"),
          h("span", { class: "flag-label" }, flagLabel(flag)),
          reviews ? h("span", { class: `chip chip-small review-${review ? review.status : "pending"}` }, reviewLabel(review ? review.status : "pending")) : null,
        ),
        review && review.comment ? h("p", { class: "flag-note" }, t("flags.reviewerSaid", { name: review.reviewer_name || "—", text: review.comment })) : null,
        review && review.explanation ? h("p", { class: "flag-note flag-explanation" }, t("flags.youSaid", { text: review.explanation })) : null,
        onExplain
          ? h(
              "button",
              { type: "button", class: "btn btn-secondary btn-small flag-explain", dataset: { flag }, onclick: () => onExplain(flag) },
              t(review && review.explanation ? "flags.explainAgain" : "flags.explain"),
            )
          : null,
      );
    }),
  );
}

export function demandList(demands) {
  if (!demands || !demands.length) return h("p", { class: "hint" }, t("visit.noDemands"));
  return h(
    "ul",
    { class: "demand-list" },
    demands.map((d) => h("li", { class: "demand" }, h("span", { class: "chip chip-small" }, t(`demand.${d.category}`)), h("span", {}, d.text))),
  );
}

/** The QR code the enterprise scans to rate the visit (an SVG from the server). */
export function qrCard(serverId, ratingUrl) {
  return h(
    "figure",
    { class: "qr", id: "rating-qr" },
    h("img", { class: "qr-img", src: `/api/visits/${serverId}/rating-qr.svg`, alt: t("qr.alt"), width: 240, height: 240 }),
    h("figcaption", { class: "qr-caption" }, t("qr.caption")),
    ratingUrl ? h("p", { class: "qr-url" }, ratingUrl) : null,
  );
}
