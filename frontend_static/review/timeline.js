// 轨迹's timeline: the day's points in time order — number, time, 签到/签退,
// enterprise, distance from it, flags with their review status — and between two
// points the leg's distance, time and speed. Each point is one big button.

import { formatDistance, formatDuration, formatTime } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { formatNumber } from "./metrics.js";
import { pointReview } from "./trailmap.js";
import { h, icon } from "../common/ui.js";
import { flagLabel, reviewLabel } from "../visits/parts.js";

const FAST_KMH = 120; // a leg faster than this is worth a second look (the server flags > 200)

function legRow(leg) {
  // null: two places at the same moment (the server has no finite speed for it).
  const fast = leg.speed_kmh === null || leg.speed_kmh > FAST_KMH;
  return h(
    "li",
    { class: `leg ${fast ? "leg-fast" : ""}`, dataset: { from: String(leg.from_index), to: String(leg.to_index) } },
    h("span", { class: "leg-line", "aria-hidden": "true" }),
    h(
      "span",
      { class: "leg-text" },
      t("trail.leg", { distance: formatDistance(leg.distance_m), time: formatDuration(leg.seconds), speed: formatNumber(leg.speed_kmh, { decimals: 1 }) }),
    ),
    fast ? icon("warning", "leg-icon") : null,
  );
}

function flagChips(point) {
  if (!point.flags.length) return null;
  return h(
    "ul",
    { class: "timeline-flags" },
    point.flags.map((f) =>
      h(
        "li",
        { class: "timeline-flag", dataset: { flag: f.flag, status: f.status } },
        h("span", { class: "timeline-flag-label" }, flagLabel(f.flag)),
        h("span", { class: `chip chip-small review-${f.status}` }, reviewLabel(f.status)),
      ),
    ),
  );
}

function pointItem(point, index, { selected, onPick }) {
  const review = pointReview(point);
  return h(
    "li",
    { class: "timeline-point" },
    h(
      "button",
      {
        type: "button",
        class: `timeline-item kind-${point.kind} ${review ? `is-flagged review-${review}` : ""}`,
        id: `point-${index}`,
        dataset: { index: String(index), visit: String(point.visit_id), kind: point.kind, flagged: String(Boolean(review)) },
        "aria-current": index === selected ? "true" : false,
        onclick: () => onPick(index),
      },
      h("span", { class: "timeline-num", "aria-hidden": "true" }, String(index + 1)),
      h(
        "span",
        { class: "timeline-main" },
        h(
          "span",
          { class: "timeline-when" },
          h("span", { class: "timeline-time" }, formatTime(point.at)),
          h("span", { class: `chip chip-small kind-chip kind-chip-${point.kind}` }, t(point.kind === "in" ? "trail.in" : "trail.out")),
        ),
        h("span", { class: "timeline-name" }, point.enterprise_name),
        h(
          "span",
          { class: "timeline-meta" },
          t("trail.fromEnterprise", { distance: formatDistance(point.distance_m) }),
          typeof point.accuracy_m === "number" ? ` · ${t("trail.accuracy", { n: Math.round(point.accuracy_m) })}` : "",
        ),
        flagChips(point),
      ),
      h("span", { class: "chevron", "aria-hidden": "true" }, "›"),
    ),
  );
}

/** renderTimeline(trail, {selected, onPick}) → <ol> */
export function renderTimeline(trail, { selected = null, onPick }) {
  const legsByFrom = new Map(trail.legs.map((leg) => [leg.from_index, leg]));
  const items = [];
  trail.points.forEach((point, index) => {
    items.push(pointItem(point, index, { selected, onPick }));
    const leg = legsByFrom.get(index);
    if (leg && index < trail.points.length - 1) items.push(legRow(leg));
  });
  return h("ol", { class: "timeline", id: "timeline", "aria-label": t("trail.timelineLabel") }, items);
}
