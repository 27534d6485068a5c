// The town map: Leaflet from our own static files (no CDN), the town boundary
// and roads from /api/basemap, and a tile layer only when /api/config names one.
// With no tile server (intranet, tests, tiles blocked) the map still draws our
// own vector data. All our data is WGS-84 [lng, lat] GeoJSON.

import { get } from "./api.js";
import { t } from "./i18n.js";
import { yieldToMain } from "./tasks.js";
import { h } from "./ui.js";

const FALLBACK_VIEW = { center: [35, 105], zoom: 4 }; // China, when we know nothing better
const NO_TILES_MAX_ZOOM = 19;

export const STYLE = {
  boundary: { color: "#0b5cad", weight: 3, opacity: 0.95, fillColor: "#0b5cad", fillOpacity: 0.06, className: "dxe-boundary" },
  roads: { color: "#8a5300", weight: 3, opacity: 0.9, className: "dxe-road" },
  other: { color: "#444", weight: 2, className: "dxe-layer" },
};

let leafletPromise = null;

/**
 * Leaflet's ES module build, loaded on first use so the login screen stays light.
 * Plugins written for the classic build (markercluster) want a global, extensible
 * `L`: we provide a plain-object copy of the module namespace as window.L.
 */
export function loadLeaflet() {
  // A literal path, so the build bundles (and minifies) it; unbuilt, it is the vendor file's URL.
  leafletPromise ??= import("../../vendor/leaflet/leaflet-src.esm.js").then((module) => {
    if (!window.L) window.L = { ...module };
    return module;
  });
  leafletPromise.catch(() => (leafletPromise = null)); // let a later attempt retry
  return leafletPromise;
}

const identity = (lat, lng) => [lat, lng];

/**
 * How our WGS-84 coordinates must be moved to sit on the chosen tiles.
 * OpenStreetMap and Tianditu tiles are WGS-84 (CGCS2000): nothing to do.
 * AMap/Tencent tiles are GCJ-02: every point we draw must be shifted 100–700 m.
 */
export function displayTransform(tiles) {
  if (!tiles || tiles.crs === "wgs84") return identity;
  if (tiles.crs === "gcj02") {
    // TODO(gcj02): no GCJ-02 tiles are in use yet. Before enabling MAP_TILES=amap,
    // return the WGS-84 → GCJ-02 transform here (the same formula as
    // geo/chinacoords.py, tested against it), and apply the inverse to anything
    // read back from the map (taps, drawn shapes) before it is sent to the server.
    console.warn("GCJ-02 tiles: WGS-84 data is drawn unshifted (TODO gcj02 in map.js)");
    return identity;
  }
  console.warn(`Unknown tile CRS ${tiles.crs}: drawing data unshifted`);
  return identity;
}

/** /api/config and /api/basemap, fetched together. Throws ApiError. */
export async function loadMapData({ signal } = {}) {
  const [config, layers] = await Promise.all([get("/api/config", { signal }), get("/api/basemap", { signal })]);
  return { config: config || { tiles: null, town: null }, layers: layers && Array.isArray(layers.items) ? layers.items : [] };
}

function textPopup(text) {
  return h("span", { class: "map-popup" }, text);
}

/**
 * Draw the town map into `container`. Returns {map, L, layers, transform, destroy}.
 * `layers` maps each base layer's kind to its Leaflet layer.
 */
export async function drawTownMap(container, { config, layers }) {
  const L = await loadLeaflet();
  const tiles = config.tiles;
  const transform = displayTransform(tiles);
  const map = L.map(container, {
    zoomControl: false,
    attributionControl: true,
    maxZoom: tiles ? tiles.max_zoom : NO_TILES_MAX_ZOOM,
    tapTolerance: 20,
    // Without tiles nothing gets blurry at fractional zooms: fit the town snugly.
    zoomSnap: tiles ? 1 : 0.25,
    preferCanvas: false, // SVG paths: crisp, and each feature stays tappable
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  // Bottom right, above the attribution: the top edge is for each screen's own bar, and a
  // zoom control under it covered markers (issue 12). 44-px buttons (app.css).
  L.control.zoom({ position: "bottomright", zoomInTitle: t("map.zoomIn"), zoomOutTitle: t("map.zoomOut") }).addTo(map);

  if (tiles) {
    L.tileLayer(tiles.url, {
      attribution: tiles.attribution,
      maxZoom: tiles.max_zoom,
      subdomains: tiles.subdomains || "abc",
      crossOrigin: false,
    }).addTo(map);
  }

  const coordsToLatLng = (coords) => {
    const [lat, lng] = transform(coords[1], coords[0]);
    return L.latLng(lat, lng);
  };
  const drawn = {};
  const added = [];
  // Boundary first so that roads are drawn above it.
  const ordered = [...layers].sort((a, b) => (a.kind === "boundary" ? -1 : 0) - (b.kind === "boundary" ? -1 : 0));
  for (const layer of ordered) {
    const style = STYLE[layer.kind] || STYLE.other;
    const geo = L.geoJSON(layer.geojson, {
      style: () => style,
      coordsToLatLng,
      onEachFeature: (feature, featureLayer) => {
        const name = feature.properties && feature.properties.name;
        const label = name || layer.name;
        if (label) featureLayer.bindPopup(() => textPopup(label));
      },
    });
    added.push([layer.kind, geo]);
    drawn[layer.kind] = drawn[layer.kind] ? L.featureGroup([drawn[layer.kind], geo]) : geo;
  }

  // The view first (the layers' bounds need no drawing), then the layers in a task of their
  // own: on a cheap phone the map, the fit and the drawing together were one long task.
  fitTown(L, map, config, drawn, transform);
  await yieldToMain();
  for (const [kind, geo] of added) {
    geo.addTo(map);
    if (kind === "boundary") geo.bringToBack();
  }
  // The container may only get its final size after the screen is laid out.
  const resize = () => map.invalidateSize();
  requestAnimationFrame(resize);
  window.addEventListener("resize", resize);

  return {
    map,
    L,
    layers: drawn,
    transform, // (lat, lng) WGS-84 → where to draw it on these tiles
    destroy() {
      window.removeEventListener("resize", resize);
      // Leaflet's zoom animation finishes from timers (~250 ms) that throw
      // ("_leaflet_pos") if the map was removed meanwhile: let them run out first.
      map.stop();
      setTimeout(() => map.remove(), 400);
    },
  };
}

/**
 * fitBounds/flyToBounds options that keep what is fitted clear of the controls floating
 * over the map: Leaflet's own and anything marked [data-map-control] (a screen's bar),
 * plus `margin` px on every side. Each control pushes in the one edge that costs least
 * (a bar across the top: the top edge; the zoom buttons in a corner: the right edge).
 */
export function clearOfControls(map, margin = 16) {
  const container = map.getContainer();
  const box = container.getBoundingClientRect();
  const inset = { left: 0, top: 0, right: 0, bottom: 0 };
  const floating = [...container.querySelectorAll(".leaflet-control")];
  for (const bar of document.querySelectorAll("[data-map-control]")) floating.push(...bar.children);
  for (const el of floating) {
    if (el.offsetParent === null) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= box.left || r.left >= box.right || r.bottom <= box.top || r.top >= box.bottom) continue;
    const needs = { left: r.right - box.left, top: r.bottom - box.top, right: box.right - r.left, bottom: box.bottom - r.top };
    const edge = Object.keys(needs).reduce((a, b) => (needs[b] < needs[a] ? b : a));
    inset[edge] = Math.max(inset[edge], needs[edge]);
  }
  return {
    paddingTopLeft: [inset.left + margin, inset.top + margin],
    paddingBottomRight: [inset.right + margin, inset.bottom + margin],
  };
}

function fitTown(L, map, config, drawn, transform) {
  const padding = clearOfControls(map);
  if (drawn.boundary && drawn.boundary.getBounds().isValid()) {
    map.fitBounds(drawn.boundary.getBounds(), padding);
    return;
  }
  const town = config.town;
  if (town && Array.isArray(town.bbox) && town.bbox.length === 4) {
    const [minLng, minLat, maxLng, maxLat] = town.bbox;
    map.fitBounds([transform(minLat, minLng), transform(maxLat, maxLng)], padding);
    return;
  }
  const all = Object.values(drawn);
  if (all.length) {
    const bounds = L.featureGroup(all).getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, padding);
      return;
    }
  }
  if (town && Array.isArray(town.center)) map.setView(transform(town.center[0], town.center[1]), 13);
  else map.setView(FALLBACK_VIEW.center, FALLBACK_VIEW.zoom);
}
