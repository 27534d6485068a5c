// 画范围: outline an area on the site map with one tap per corner, for "the
// sites inside this area" (POST /api/sites/search). Taps are read back from the
// map as WGS-84, like the view's bbox in sites-screen.js (see TODO gcj02 in common/map.js).

import { t } from "../common/i18n.js";
import { clearOfControls } from "../common/map.js";
import "./strings.js";
import { h, icon } from "../common/ui.js";

const STYLE = { color: "#0b5cad", weight: 3, fillColor: "#0b5cad", fillOpacity: 0.08 };
const MAX_CORNERS = 60; // the server takes more; a thumb never needs them

/** A closed GeoJSON Polygon from Leaflet LatLngs. */
function polygonOf(points) {
  const ring = points.map((p) => [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]);
  return { type: "Polygon", coordinates: [[...ring, ring[0]]] };
}

function side(a, b, c) {
  return Math.sign((b.lng - a.lng) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lng - a.lng));
}

/** Does any edge of the closed outline cross another? (The server refuses such a polygon.) */
function crosses(points) {
  const n = points.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing edge meets the first at a corner
      const [a, b, c, d] = [points[i], points[(i + 1) % n], points[j], points[(j + 1) % n]];
      if (side(a, b, c) !== side(a, b, d) && side(c, d, a) !== side(c, d, b)) return true;
    }
  }
  return false;
}

/** The chosen area as an outline on the map; returns the function that removes it. */
export function showArea({ L, map, transform }, polygon) {
  const ring = polygon.coordinates[0].slice(0, -1).map(([lng, lat]) => transform(lat, lng));
  const outline = L.polygon(ring, { ...STYLE, interactive: false, className: "dxe-area" }).addTo(map);
  return () => outline.remove();
}

/** The view that shows the whole area. */
export function fitArea({ L, map, transform }, polygon) {
  const ring = polygon.coordinates[0].map(([lng, lat]) => transform(lat, lng));
  map.fitBounds(L.latLngBounds(ring), { ...clearOfControls(map, 24), animate: false });
}

/**
 * Let the user tap the corners of an area on the map. A bar over `container`
 * says what to do and holds 撤销 / 取消 / 完成 (three corners or more).
 * Calls onDone(polygon) or onCancel(); returns a function that stops drawing.
 */
export function drawArea({ L, map }, container, { onDone, onCancel }) {
  const points = [];
  const draft = L.polyline([], { ...STYLE, dashArray: "6 6", interactive: false, className: "dxe-area-draft" }).addTo(map);
  const corners = L.layerGroup().addTo(map);
  const hint = h("p", { class: "sites-area-hint", id: "sites-area-hint", role: "status", "aria-live": "polite" });
  const undo = h("button", { type: "button", class: "btn", id: "area-undo" }, t("sites.areaUndo"));
  const cancel = h("button", { type: "button", class: "btn", id: "area-cancel" }, t("sites.areaCancel"));
  const done = h("button", { type: "button", class: "btn btn-primary", id: "area-done" }, icon("check"), t("sites.areaDone"));
  const bar = h("div", { class: "sites-area-bar", id: "sites-area-bar" }, hint, h("div", { class: "sites-area-actions" }, undo, cancel, done));
  container.append(bar);
  container.classList.add("is-drawing");
  // A quick second tap is a corner, not a zoom.
  const zoomOnDoubleTap = map.doubleClickZoom.enabled();
  map.doubleClickZoom.disable();

  function paint() {
    const latlngs = points.map((p) => [p.lat, p.lng]);
    draft.setLatLngs(points.length >= 3 ? [...latlngs, latlngs[0]] : latlngs);
    corners.clearLayers();
    for (const p of points) L.circleMarker(p, { ...STYLE, radius: 7, fillOpacity: 1, fillColor: "#fff", interactive: false }).addTo(corners);
    hint.textContent = points.length ? t("sites.areaCorners", { n: points.length }) : t("sites.areaHint");
    undo.disabled = points.length === 0;
    done.disabled = points.length < 3;
  }

  function onTap(event) {
    if (points.length >= MAX_CORNERS) return;
    points.push(event.latlng.wrap());
    paint();
  }

  function stop() {
    map.off("click", onTap);
    draft.remove();
    corners.remove();
    bar.remove();
    container.classList.remove("is-drawing");
    if (zoomOnDoubleTap) map.doubleClickZoom.enable();
  }

  undo.addEventListener("click", () => {
    points.pop();
    paint();
  });
  cancel.addEventListener("click", () => {
    stop();
    onCancel?.();
  });
  done.addEventListener("click", () => {
    if (points.length < 3) return;
    if (crosses(points)) {
      hint.textContent = t("sites.areaCrossed");
      return;
    }
    const polygon = polygonOf(points);
    stop();
    onDone(polygon);
  });

  map.on("click", onTap);
  paint();
  return stop;
}
