// 轨迹's map: the town map with one day's points as numbered pins in time order
// (check-in filled, check-out hollow, flagged ones red with a "!"), the path
// between them, and the selected point ringed. Pins are 44-px tap targets.

import { formatTime } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { mountMapView } from "../common/mapview.js";
import { h } from "../common/ui.js";

const NUDGE_PX = 28; // a pin closer than this to an earlier one is drawn beside it
const FIT_MAX_ZOOM = 18;

/** "pending" when any flag waits, "rejected" when any was rejected, else "reviewed"; null without flags. */
export function pointReview(point) {
  if (!point.flags || !point.flags.length) return null;
  const statuses = point.flags.map((f) => f.status);
  if (statuses.includes("pending")) return "pending";
  if (statuses.includes("rejected")) return "rejected";
  return "reviewed";
}

export function pointTitle(point, index) {
  const kind = t(point.kind === "in" ? "trail.in" : "trail.out");
  return `${index + 1}. ${formatTime(point.at)} ${kind} ${point.enterprise_name}`;
}

/**
 * mountTrailMap(parent, {onPick}) → {show(trail, {fit}), select(index), destroy()}
 * `onPick(index)` runs when a pin is tapped.
 */
export function mountTrailMap(parent, { onPick }) {
  const view = mountMapView(parent, { label: t("trail.mapLabel") });
  let handle = null;
  let layer = null;
  let markers = [];
  let latest = null;
  let selected = null;

  function pin(point, index) {
    const review = pointReview(point);
    const classes = ["dxe-trail-pin", `kind-${point.kind}`];
    if (review) classes.push("is-flagged", `review-${review}`);
    return handle.L.divIcon({
      className: classes.join(" "),
      html: h("span", { class: "dxe-trail-dot" }, String(index + 1), review === "pending" || review === "rejected" ? h("span", { class: "dxe-trail-bang", "aria-hidden": "true" }, "!") : null),
      iconSize: [44, 44],
    });
  }

  /** Pins drawn on top of earlier ones (check-in and check-out at one door) move aside, away from them. */
  function nudge() {
    if (!handle || !latest) return;
    const shown = [];
    markers.forEach((marker, i) => {
      const el = marker.getElement();
      const at = handle.map.latLngToLayerPoint(marker.getLatLng());
      let x = at.x;
      let y = at.y;
      const crowded = shown.find((p) => Math.hypot(p.x - x, p.y - y) < NUDGE_PX);
      if (crowded) {
        const before = i > 0 ? handle.map.latLngToLayerPoint(markers[i - 1].getLatLng()) : crowded;
        let dx = at.x - before.x;
        let dy = at.y - before.y;
        const length = Math.hypot(dx, dy);
        [dx, dy] = length > 1 ? [dx / length, dy / length] : [Math.SQRT1_2, -Math.SQRT1_2];
        x = crowded.x + dx * NUDGE_PX;
        y = crowded.y + dy * NUDGE_PX;
      }
      shown.push({ x, y });
      if (!el) return;
      const dot = el.querySelector(".dxe-trail-dot");
      el.dataset.nudged = String(Boolean(crowded));
      if (dot) dot.style.transform = crowded ? `translate(${Math.round(x - at.x)}px, ${Math.round(y - at.y)}px)` : "";
    });
  }

  function draw(fit) {
    if (!handle || !latest) return;
    const { map, L, transform } = handle;
    layer?.remove();
    layer = L.layerGroup().addTo(map);
    const latlngs = latest.points.map((p) => transform(p.lat, p.lng));
    if (latlngs.length > 1) {
      L.polyline(latlngs, { className: "dxe-trail-casing", color: "#ffffff", weight: 8, opacity: 0.9, interactive: false }).addTo(layer);
      L.polyline(latlngs, { className: "dxe-trail-path", color: "#0b5cad", weight: 4, opacity: 0.9, interactive: false }).addTo(layer);
    }
    markers = latest.points.map((point, index) => {
      const review = pointReview(point);
      const marker = L.marker(latlngs[index], {
        icon: pin(point, index),
        title: pointTitle(point, index),
        keyboard: true,
        riseOnHover: true,
        // Flagged pins above the others, later pins above earlier ones.
        zIndexOffset: (review ? 10000 : 0) + index * 100,
      });
      marker.on("click", () => onPick(index));
      marker.addTo(layer);
      const el = marker.getElement();
      if (el) {
        el.dataset.index = String(index);
        el.dataset.kind = point.kind;
        if (review) el.dataset.review = review;
      }
      return marker;
    });
    if (fit) {
      // A day's visits are often a few hundred metres apart: zoom right in, but not past the map's limit.
      const maxZoom = Math.min(FIT_MAX_ZOOM, map.getMaxZoom());
      if (latlngs.length === 1) map.setView(latlngs[0], Math.min(17, maxZoom));
      // Room for the pins' size and for the zoom buttons in the top right corner.
      else if (latlngs.length > 1) map.fitBounds(L.latLngBounds(latlngs), { paddingTopLeft: [40, 64], paddingBottomRight: [88, 40], maxZoom });
      else if (handle.layers.boundary) map.fitBounds(handle.layers.boundary.getBounds(), { padding: [16, 16] });
    }
    markSelected();
    nudge();
  }

  function markSelected() {
    markers.forEach((marker, i) => marker.getElement()?.classList.toggle("is-selected", i === selected));
  }

  view.ready.then((ready) => {
    if (!ready) return;
    handle = ready;
    handle.map.on("zoomend", nudge);
    draw(true);
  });

  return {
    mapEl: view.mapEl,
    /** Draw a trail; `fit` moves the map onto it (a new day), else only pins change (a review). */
    show(trail, { fit = true } = {}) {
      latest = trail;
      if (fit) selected = null;
      draw(fit);
    },
    select(index) {
      selected = index;
      markSelected();
      const marker = markers[index];
      if (marker && handle && !handle.map.getBounds().contains(marker.getLatLng())) handle.map.panTo(marker.getLatLng());
    },
    destroy() {
      view.destroy();
    },
  };
}
