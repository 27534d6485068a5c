// Names on the town map, from our own base layers (/api/basemap): a road's name at the
// middle of its line, an area's (a village's) at the middle of its outline. Without tiles
// the map had lines and no names (issue 12). The town boundary is not labelled: its name
// is the screen's. Labels never take a tap: the map and its markers stay what is tapped.

import { h } from "./ui.js";

const PANE = "dxe-labels";
// Road names from this zoom on: across the whole town they would cover each other.
const ROAD_LABEL_ZOOM = 14;
const AREA_LABEL_ZOOM = 12;

const HALO = "0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff";

function labelIcon(L, name, kind) {
  const text = h("span", { class: `dxe-map-label dxe-map-label-${kind}` }, name);
  // Styled here (CSSOM, allowed by the CSP) so the module carries everything it needs.
  Object.assign(text.style, {
    position: "absolute",
    transform: "translate(-50%, -50%)",
    whiteSpace: "nowrap",
    fontSize: kind === "road" ? "12px" : "14px",
    fontWeight: kind === "road" ? "500" : "700",
    color: kind === "road" ? "#6b4100" : "#1f3b5c",
    textShadow: HALO,
    pointerEvents: "none",
  });
  return L.divIcon({ html: text, className: "dxe-map-label-anchor", iconSize: null });
}

/** The point `fraction` of the way along a line, in map pixels at zoom 16. */
function pointAlong(map, latlngs, fraction) {
  const points = latlngs.map((ll) => map.project(ll, 16));
  let total = 0;
  for (let i = 1; i < points.length; i++) total += points[i].distanceTo(points[i - 1]);
  let left = total * fraction;
  for (let i = 1; i < points.length; i++) {
    const step = points[i].distanceTo(points[i - 1]);
    if (step >= left && step > 0) return points[i - 1].add(points[i].subtract(points[i - 1]).multiplyBy(left / step));
    left -= step;
  }
  return points[0];
}

// Where along a road its name goes: the middle, unless another name is already there
// (two roads crossing at their middles wrote one name over the other).
const FRACTIONS = [0.5, 0.35, 0.65, 0.2, 0.8];
const APART_PX = 120; // at zoom 16, about 130 m

function placeOnLine(map, latlngs, taken) {
  let best = null;
  for (const fraction of FRACTIONS) {
    const at = pointAlong(map, latlngs, fraction);
    best ??= at;
    if (taken.every((other) => other.distanceTo(at) >= APART_PX)) {
      best = at;
      break;
    }
  }
  taken.push(best);
  return map.unproject(best, 16);
}

function leaves(layer, out = []) {
  if (typeof layer.eachLayer === "function") layer.eachLayer((child) => leaves(child, out));
  else out.push(layer);
  return out;
}

/**
 * addMapLabels(handle) → {destroy}: labels for the named features of handle.layers
 * (drawTownMap's base layers), in a pane above the lines and below every marker.
 */
export function addMapLabels({ map, L, layers }) {
  if (!map.getPane(PANE)) {
    const pane = map.createPane(PANE);
    pane.style.zIndex = "450"; // above overlayPane (400, the roads), below markerPane (600)
    pane.style.pointerEvents = "none";
  }
  const roads = L.layerGroup();
  const taken = [];
  const areas = L.layerGroup();
  for (const [kind, group] of Object.entries(layers || {})) {
    if (kind === "boundary") continue;
    for (const leaf of leaves(group)) {
      const name = leaf.feature?.properties?.name;
      if (!name || typeof leaf.getLatLngs !== "function") continue;
      const isArea = leaf instanceof L.Polygon;
      const at = isArea ? leaf.getBounds().getCenter() : placeOnLine(map, leaf.getLatLngs().flat(Infinity), taken);
      L.marker(at, { icon: labelIcon(L, name, isArea ? "area" : "road"), pane: PANE, interactive: false, keyboard: false }).addTo(isArea ? areas : roads);
    }
  }

  function update() {
    const zoom = map.getZoom();
    for (const [group, from] of [
      [roads, ROAD_LABEL_ZOOM],
      [areas, AREA_LABEL_ZOOM],
    ]) {
      if (zoom >= from && !map.hasLayer(group)) group.addTo(map);
      else if (zoom < from && map.hasLayer(group)) group.remove();
    }
  }
  map.on("zoomend", update);
  update();
  return {
    destroy() {
      map.off("zoomend", update);
      roads.remove();
      areas.remove();
    },
  };
}
