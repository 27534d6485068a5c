// The idle sites on the town map, as a few dozen DOM markers whatever the number of sites:
// a page of sites (at most one search page, 200) is grouped here on a screen grid, and
// a view holding more sites than one page shows the server's clusters
// (/api/sites/clusters), so 10,000 sites cost the phone ~50 markers, not 10,000.
// Markers are 44-px touch targets drawn apart (they never cover each other); a tap
// picks the site, a tap on a cluster zooms in. Everything is WGS-84 moved by the map's
// display transform. (Leaflet.markercluster did this before: 34 KB more on the first
// load, its animations' long tasks, and a source map it pointed at but did not ship.)

import { getLang, t } from "../common/i18n.js";
import { clearOfControls } from "../common/map.js";
import "./strings.js";
import { h } from "../common/ui.js";

const GLYPHS = { factory: "厂", office: "办", warehouse: "仓", shop: "商", land: "地", other: "其" };
const GLYPHS_EN = { factory: "F", office: "O", warehouse: "W", shop: "S", land: "L", other: "·" };

// Markers closer than this on screen are drawn as one: the biggest marker (a 58-px
// cluster) then overlaps a neighbour by a few pixels at most, and every tap target keeps
// well over 24 px of its own (Lighthouse's target-size).
const MERGE_PX = 56;

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
 * Greedy grouping of screen points: each item joins the first group whose centre is
 * within MERGE_PX, else starts one. Biggest first (a server cluster's count, else 1), so
 * big groups keep their place. A grid of MERGE_PX cells finds the neighbours: linear time.
 * items: [{point, weight, ...}] → [{point, weight, members: [item]}]
 */
function group(items) {
  const cells = new Map();
  const groups = [];
  const sorted = [...items].sort((a, b) => b.weight - a.weight);
  for (const item of sorted) {
    const cx = Math.floor(item.point.x / MERGE_PX);
    const cy = Math.floor(item.point.y / MERGE_PX);
    let near = null;
    for (let dx = -1; dx <= 1 && !near; dx++) {
      for (let dy = -1; dy <= 1 && !near; dy++) {
        for (const other of cells.get(`${cx + dx},${cy + dy}`) || []) {
          if (other.point.distanceTo(item.point) < MERGE_PX) {
            near = other;
            break;
          }
        }
      }
    }
    if (near) {
      near.weight += item.weight;
      near.members.push(item);
      continue;
    }
    const created = { point: item.point, weight: item.weight, members: [item] };
    groups.push(created);
    const key = `${cx},${cy}`;
    cells.set(key, [...(cells.get(key) || []), created]);
  }
  return groups;
}

/**
 * mountSiteLayer(handle, {onPick}) → {showSites(features), showClusters(clusters), select(id), focus(id), has(id), destroy()}
 * `handle` is drawTownMap()'s {map, L, transform}; `onPick(id)` runs when a site's marker is tapped.
 */
export async function mountSiteLayer(handle, { onPick }) {
  const { map, L, transform } = handle;
  const layer = L.layerGroup().addTo(map);

  let features = new Map(); // site id → GeoJSON Feature: the page of sites shown (grouped on screen)
  let serverClusters = null; // or the server's clusters for a view with more sites than one page
  const markers = new Map(); // site id → its own marker, made once and kept while the site is shown
  let groupMarkers = [];
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

  function latLngOf(feature) {
    const [lng, lat] = feature.geometry.coordinates;
    return transform(lat, lng);
  }

  function markerFor(feature) {
    const p = feature.properties;
    const marker = L.marker(latLngOf(feature), { icon: siteIconFor(feature), title: p.name, alt: p.name, riseOnHover: true, keyboard: true });
    marker.feature = feature;
    marker.on("click", () => onPick(marker.feature.properties.id));
    return marker;
  }

  function zoomTo(bbox, at) {
    const [minLng, minLat, maxLng, maxLat] = bbox;
    const bounds = L.latLngBounds([transform(minLat, minLng), transform(maxLat, maxLng)]);
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(at || bounds.getCenter(), Math.min(map.getZoom() + 3, map.getMaxZoom()));
    else map.fitBounds(bounds, { ...clearOfControls(map, 40), maxZoom: 17 });
  }

  function groupMarker(count, at, { title, extra = "", onClick }) {
    const marker = L.marker(at, { icon: countIcon(L, count, extra), title, alt: title, keyboard: true });
    marker.on("click", onClick);
    return marker;
  }

  /** The server's cells, those that would overlap on screen merged (the bigger one's place). */
  function drawServerClusters() {
    const items = serverClusters.map((cluster) => {
      const at = transform(cluster.lat, cluster.lng);
      return { at, point: map.latLngToLayerPoint(at), weight: cluster.count, cluster };
    });
    return group(items).map(({ members, weight }) => {
      const first = members[0];
      const bbox = members.reduce(
        (b, { cluster: c }) => [Math.min(b[0], c.bbox[0]), Math.min(b[1], c.bbox[1]), Math.max(b[2], c.bbox[2]), Math.max(b[3], c.bbox[3])],
        [...first.cluster.bbox],
      );
      const siteId = members.length === 1 ? first.cluster.site_id : null;
      const title = t("sites.clusterTitle", { n: weight });
      return groupMarker(weight, first.at, {
        title,
        extra: "dxe-site-cluster-server",
        onClick: () => {
          if (siteId) {
            onPick(siteId);
            map.setView(first.at, Math.max(map.getZoom() + 3, 15));
          } else {
            zoomTo(bbox, first.at);
          }
        },
      });
    });
  }

  /** The page's sites: one marker each where they stand apart, a count where they crowd. */
  function drawSites() {
    // Closest in (nothing more to zoom to) every site gets its own marker; the selected one always does.
    const apart = map.getZoom() >= map.getMaxZoom();
    const items = [];
    const own = new Set();
    for (const feature of features.values()) {
      const at = latLngOf(feature);
      if (apart || feature.properties.id === selected) own.add(feature.properties.id);
      else items.push({ at, point: map.latLngToLayerPoint(at), weight: 1, feature });
    }
    const counts = [];
    for (const { members } of group(items)) {
      if (members.length === 1) {
        own.add(members[0].feature.properties.id);
        continue;
      }
      const [minLng, minLat, maxLng, maxLat] = members.reduce(
        (b, { feature }) => {
          const [lng, lat] = feature.geometry.coordinates;
          return [Math.min(b[0], lng), Math.min(b[1], lat), Math.max(b[2], lng), Math.max(b[3], lat)];
        },
        [Infinity, Infinity, -Infinity, -Infinity],
      );
      const title = t("sites.clusterTitle", { n: members.length });
      counts.push(groupMarker(members.length, members[0].at, { title, onClick: () => zoomTo([minLng, minLat, maxLng, maxLat], members[0].at) }));
    }
    for (const [id, marker] of markers) {
      if (!own.has(id)) {
        layer.removeLayer(marker);
        if (!features.has(id)) markers.delete(id);
      }
    }
    for (const id of own) {
      let marker = markers.get(id);
      if (!marker) markers.set(id, (marker = markerFor(features.get(id))));
      if (!layer.hasLayer(marker)) layer.addLayer(marker);
    }
    return counts;
  }

  function redraw() {
    for (const marker of groupMarkers) layer.removeLayer(marker);
    groupMarkers = serverClusters ? drawServerClusters() : drawSites();
    for (const marker of groupMarkers) layer.addLayer(marker);
  }
  map.on("zoomend", redraw);

  function showSites(next) {
    serverClusters = null;
    features = new Map(next.map((feature) => [feature.properties.id, feature]));
    for (const [id, marker] of markers) {
      const feature = features.get(id);
      if (!feature) continue;
      // Same site, maybe new status or type: refresh its icon only when it changed.
      const before = marker.feature.properties;
      if (before.status !== feature.properties.status || before.type !== feature.properties.type) marker.setIcon(siteIconFor(feature));
      marker.feature = feature;
    }
    redraw();
  }

  function showClusters(clusters) {
    features = new Map();
    for (const marker of markers.values()) layer.removeLayer(marker);
    markers.clear();
    serverClusters = clusters;
    redraw();
  }

  function select(id) {
    const before = selected;
    selected = id;
    for (const changed of new Set([before, id])) {
      const marker = changed === null ? null : markers.get(changed);
      if (!marker) continue;
      marker.setIcon(siteIconFor(marker.feature));
      marker.setZIndexOffset(changed === id ? 1000 : 0);
    }
    // The selected site leaves its group (and the one before may join one).
    if (before !== id && !serverClusters) redraw();
  }

  /** Bring a site's marker into view; true when the site is on the map. */
  function focus(id) {
    const feature = features.get(id);
    if (!feature) return false;
    const at = latLngOf(feature);
    if (!map.getBounds().contains(at)) map.panTo(at);
    return true;
  }

  return {
    showSites,
    showClusters,
    select,
    focus,
    has: (id) => features.has(id),
    destroy() {
      map.off("zoomend", redraw);
      layer.remove();
      markers.clear();
      features = new Map();
    },
  };
}
