// The idle sites on the town map: clustered markers (Leaflet.markercluster,
// served by the app) for a town-sized view, the server's clusters for a wide
// one. Markers are 44-px touch targets; a tap picks the site, a tap on a
// cluster zooms in. Everything is WGS-84 moved by the map's display transform.

import { getLang, t } from "../common/i18n.js";
import "./strings.js";
import { loadLeaflet } from "../common/map.js";
import { h } from "../common/ui.js";

const PLUGIN_URL = new URL("../../vendor/leaflet-markercluster/leaflet.markercluster.js", import.meta.url).href;
const GLYPHS = { factory: "厂", office: "办", warehouse: "仓", shop: "商", land: "地", other: "其" };
const GLYPHS_EN = { factory: "F", office: "O", warehouse: "W", shop: "S", land: "L", other: "·" };

// Server clusters closer than this on screen are drawn as one.
const MERGE_PX = 52;

let pluginPromise = null;

/** Leaflet.markercluster (a classic UMD script that wants window.L); null if it cannot load. */
function loadMarkerCluster() {
  pluginPromise ??= loadLeaflet().then(
    () =>
      new Promise((resolve) => {
        if (window.L && window.L.markerClusterGroup) return resolve(window.L);
        const script = h("script", { src: PLUGIN_URL, async: true });
        script.addEventListener("load", () => resolve(window.L && window.L.markerClusterGroup ? window.L : null));
        script.addEventListener("error", () => {
          console.warn("Leaflet.markercluster did not load: markers are drawn unclustered");
          pluginPromise = null;
          resolve(null);
        });
        document.head.append(script);
      }),
  );
  return pluginPromise;
}

function glyph(type) {
  return (getLang() === "en" ? GLYPHS_EN : GLYPHS)[type] || "·";
}

function countIcon(L, count, extra = "") {
  const size = count < 10 ? 44 : count < 100 ? 50 : 58;
  return L.divIcon({
    className: `dxe-site-cluster ${extra}`.trim(),
    html: h("span", { class: "dxe-site-cluster-count" }, String(count)),
    iconSize: [size, size],
  });
}

/**
 * mountSiteLayer(handle, {onPick}) → {showSites(features), showClusters(clusters), select(id), focus(id), destroy()}
 * `handle` is drawTownMap()'s {map, L, transform}; `onPick(id)` runs when a site's marker is tapped.
 */
export async function mountSiteLayer(handle, { onPick }) {
  const { map, L, transform } = handle;
  const plugin = await loadMarkerCluster();
  const clustered = plugin
    ? plugin.markerClusterGroup({
        showCoverageOnHover: false,
        spiderfyOnMaxZoom: true,
        zoomToBoundsOnClick: true,
        maxClusterRadius: 48,
        chunkedLoading: true,
        iconCreateFunction: (cluster) => countIcon(L, cluster.getChildCount()),
      })
    : L.layerGroup();
  const wide = L.layerGroup();
  clustered.addTo(map);
  wide.addTo(map);

  const markers = new Map(); // site id → marker
  let selected = null;

  function siteIconFor(feature) {
    const p = feature.properties;
    const classes = ["dxe-site", `dxe-site-${p.type}`, `dxe-site-${p.status}`];
    if (p.id === selected) classes.push("is-selected");
    return L.divIcon({
      className: classes.join(" "),
      html: h("span", { class: "dxe-site-dot", dataset: { id: p.id } }, glyph(p.type)),
      iconSize: [44, 44],
    });
  }

  function markerFor(feature) {
    const [lng, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const marker = L.marker(transform(lat, lng), { icon: siteIconFor(feature), title: p.name, alt: p.name, riseOnHover: true, keyboard: true });
    marker.feature = feature;
    marker.on("click", () => onPick(p.id));
    return marker;
  }

  function showSites(features) {
    wide.clearLayers();
    const keep = new Set(features.map((f) => f.id));
    const gone = [...markers.entries()].filter(([id]) => !keep.has(id));
    if (gone.length) {
      if (clustered.removeLayers) clustered.removeLayers(gone.map(([, m]) => m));
      else gone.forEach(([, m]) => clustered.removeLayer(m));
      gone.forEach(([id]) => markers.delete(id));
    }
    const added = [];
    for (const feature of features) {
      const known = markers.get(feature.id);
      if (known) {
        // Same site, maybe new status or type: refresh its icon only when it changed.
        const before = known.feature.properties;
        if (before.status !== feature.properties.status || before.type !== feature.properties.type) known.setIcon(siteIconFor(feature));
        known.feature = feature;
        continue;
      }
      const marker = markerFor(feature);
      markers.set(feature.id, marker);
      added.push(marker);
    }
    if (added.length) {
      if (clustered.addLayers) clustered.addLayers(added);
      else added.forEach((m) => clustered.addLayer(m));
    }
  }

  /** The server's grid cells, with those that would overlap on screen merged (bigger one's place). */
  function mergeOverlapping(clusters) {
    const placed = [];
    for (const cluster of [...clusters].sort((a, b) => b.count - a.count)) {
      const at = transform(cluster.lat, cluster.lng);
      const point = map.latLngToLayerPoint(at);
      const near = placed.find((other) => other.point.distanceTo(point) < MERGE_PX);
      if (!near) {
        placed.push({ ...cluster, at, point, bbox: [...cluster.bbox] });
        continue;
      }
      near.count += cluster.count;
      near.site_id = null;
      near.bbox = [
        Math.min(near.bbox[0], cluster.bbox[0]),
        Math.min(near.bbox[1], cluster.bbox[1]),
        Math.max(near.bbox[2], cluster.bbox[2]),
        Math.max(near.bbox[3], cluster.bbox[3]),
      ];
    }
    return placed;
  }

  function showClusters(clusters) {
    if (markers.size) {
      clustered.clearLayers();
      markers.clear();
    }
    wide.clearLayers();
    for (const cluster of mergeOverlapping(clusters)) {
      const at = cluster.at;
      const marker = L.marker(at, {
        icon: countIcon(L, cluster.count, "dxe-site-cluster-server"),
        title: t("sites.clusterTitle", { n: cluster.count }),
        alt: t("sites.clusterTitle", { n: cluster.count }),
        keyboard: true,
      });
      marker.on("click", () => {
        if (cluster.site_id) {
          onPick(cluster.site_id);
          map.setView(at, Math.max(map.getZoom() + 3, 15));
          return;
        }
        const [minLng, minLat, maxLng, maxLat] = cluster.bbox;
        const bounds = L.latLngBounds([transform(minLat, minLng), transform(maxLat, maxLng)]);
        if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), map.getZoom() + 3);
        else map.fitBounds(bounds, { padding: [40, 40], maxZoom: 17 });
      });
      wide.addLayer(marker);
    }
  }

  function paintSelection(id, on) {
    const marker = markers.get(id);
    if (!marker) return;
    marker.setIcon(siteIconFor(marker.feature));
    if (on) marker.setZIndexOffset(1000);
    else marker.setZIndexOffset(0);
  }

  function select(id) {
    const before = selected;
    selected = id;
    if (before !== null && before !== id) paintSelection(before, false);
    if (id !== null) paintSelection(id, true);
  }

  /** Bring a site's marker into view (opening its cluster); true when it is on the map. */
  function focus(id) {
    const marker = markers.get(id);
    if (!marker) return false;
    if (clustered.zoomToShowLayer) clustered.zoomToShowLayer(marker, () => null);
    else if (!map.getBounds().contains(marker.getLatLng())) map.panTo(marker.getLatLng());
    return true;
  }

  return {
    showSites,
    showClusters,
    select,
    focus,
    has: (id) => markers.has(id),
    destroy() {
      clustered.remove();
      wide.remove();
      markers.clear();
    },
  };
}
