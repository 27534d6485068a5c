// 找场地 (enterprises, visitors, admins): the town map with the idle sites as
// clustered markers and their cards in step with the view ("search as I move
// the map"), or the sites inside an area drawn with taps (画范围), a filter
// sheet, a map/list toggle that keeps the selected site, the detail sheet, and
// 订阅 for enterprise users.
//
// Routes: #/sites, #/sites/<id> (open that site: where the login prompt and
// notices lead), #/sites?saved=<id> (a saved search, from its notice).
// The view, filters and selection are kept for the browser tab (sessionStorage),
// so logging in from the prompt comes back to the same place.

import { t } from "../common/i18n.js";
import { clearOfControls } from "../common/map.js";
import "./strings.js";
import { mountMapView } from "../common/mapview.js";
import { onNetChange } from "../common/net.js";
import { listSavedSearches, queryString, searchSites, searchSitesInArea, siteClusters } from "./api.js";
import { drawArea, fitArea, showArea } from "./area.js";
import { openSiteDetail } from "./detail.js";
import { activeCount, emptyFilters, filterParams, normalizeFilters, openFilterSheet } from "./filters.js";
import { siteIcon } from "./icons.js";
import { mountSiteLayer } from "./layer.js";
import { mountSiteList } from "./list.js";
import { openSaveSearchSheet } from "./save.js";
import { h, icon, toast } from "../common/ui.js";
import { joinBanner } from "../join/banner.js";

const STATE_KEY = "dxe.sites";
const LIMIT = 200;
// Below this zoom (a view wider than a town) the map draws the server's clusters.
const CLUSTER_BELOW_ZOOM = 12;
const MOVE_DELAY_MS = 250;
const FOCUS_ZOOM = 16;
// 看全部 fits the map to at most this many matches (the API's page limit): a town has fewer.
const ALL_LIMIT = 500;

function readState() {
  try {
    const state = JSON.parse(sessionStorage.getItem(STATE_KEY) || "null");
    return state && typeof state === "object" ? state : {};
  } catch {
    return {};
  }
}

function writeState(state) {
  try {
    sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
  } catch {
    // Storage unavailable: the screen works, only without coming back to the same view.
  }
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

/** The map's view as the API's bbox "minLng,minLat,maxLng,maxLat". */
function viewBbox(map) {
  // TODO(gcj02): with GCJ-02 tiles these are display coordinates; map.js's inverse transform goes here.
  const b = map.getBounds();
  const parts = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)];
  return parts.map((n) => n.toFixed(6)).join(",");
}

function boundsOf(params) {
  if (Array.isArray(params.bbox) && params.bbox.length === 4) return params.bbox;
  if (params.polygon && Array.isArray(params.polygon.coordinates)) {
    const points = params.polygon.coordinates.flat(params.polygon.type === "MultiPolygon" ? 2 : 1);
    if (!points.length) return null;
    const lngs = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    return [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)];
  }
  return null;
}

export function mount(el, { role, args, params }) {
  const saved = readState();
  let filters = normalizeFilters(saved.filters || emptyFilters());
  let view = saved.view === "list" ? "list" : "map";
  let selected = Number.isInteger(saved.selected) ? saved.selected : null;
  let follow = saved.follow !== false;
  let camera = saved.camera && Array.isArray(saved.camera.center) ? saved.camera : null;
  // A drawn area (GeoJSON Polygon) replaces the view as what is searched, until cleared.
  let area = saved.area && saved.area.type === "Polygon" && Array.isArray(saved.area.coordinates) ? saved.area : null;
  let removeOutline = null;
  let stopDrawing = null;
  let handle = null;
  let layer = null;
  let gone = false;
  let moveTimer = null;
  let controller = null;
  let seq = 0;
  let lastBbox = null;
  let detail = null;

  function persist() {
    writeState({ filters, view, selected, follow, camera, area });
  }

  // --- the page -------------------------------------------------------------------------
  const filterCount = h("span", { class: "sites-filter-count", id: "sites-filter-count", hidden: true });
  const filterButton = h("button", { type: "button", class: "btn btn-secondary sites-filter", id: "sites-filter" }, siteIcon("filter"), h("span", {}, t("sites.filter")), filterCount);
  // Icons with a name for screen readers: at 360 px every floating pixel is map lost (issue 12).
  const viewMap = h("button", { type: "button", class: "seg", id: "sites-view-map", "aria-label": t("sites.viewMap") }, icon("map"));
  const viewList = h("button", { type: "button", class: "seg", id: "sites-view-list", "aria-label": t("sites.viewList") }, icon("list"));
  const followButton = h("button", { type: "button", class: "sites-follow", id: "sites-follow" }, h("span", { class: "sites-follow-box", "aria-hidden": "true" }, icon("check")), t("sites.follow"));
  const searchHere = h("button", { type: "button", class: "btn btn-primary sites-search-here", id: "sites-search-here", hidden: true }, icon("search"), t("sites.searchHere"));
  const drawButton = h("button", { type: "button", class: "sites-follow sites-draw", id: "sites-draw" }, icon("area"), t("sites.drawArea"));
  const areaChip = h("button", { type: "button", class: "sites-follow sites-area-chip", id: "sites-area-clear", hidden: true }, icon("close"), t("sites.areaClear"));
  // 移动地图时搜索 and 画范围 are seldom touched: one 更多 button opens them, with their words.
  const moreMenu = h("div", { class: "sites-more-menu", id: "sites-more-menu", hidden: true }, followButton, drawButton);
  const moreButton = h(
    "button",
    { type: "button", class: "sites-more", id: "sites-more", "aria-label": t("sites.more"), "aria-expanded": "false", "aria-controls": "sites-more-menu" },
    icon("more"),
  );
  const mapPane = h("div", { class: "sites-map-pane", id: "sites-map-pane" });
  // The toolbar floats over the map (the map keeps the height), and over the list in list view.
  // [data-map-control]: map.js keeps fitted markers clear of it.
  const bar = h(
    "div",
    { class: "sites-bar", "data-map-control": "" },
    filterButton,
    moreButton,
    h("div", { class: "segmented sites-views", role: "group", "aria-label": t("sites.viewLabel") }, viewMap, viewList),
  );
  const body = h("div", { class: "sites-body" }, mapPane, bar, moreMenu);
  // A visitor's start page: the way to an account sits above the map, not in front of it.
  const root = h("div", { class: "sites-screen", id: "sites-screen", dataset: { view } }, role ? null : joinBanner(), body);
  el.append(root);

  const mapView = mountMapView(mapPane, { label: t("sites.mapLabel") });
  mapPane.append(h("div", { class: "sites-map-tools", "data-map-control": "" }, areaChip, searchHere));

  // --- 更多 ----------------------------------------------------------------------------------
  function setMenu(open) {
    moreMenu.hidden = !open;
    moreButton.setAttribute("aria-expanded", String(open));
  }
  moreButton.addEventListener("click", () => setMenu(moreMenu.hidden));
  // A tap anywhere else, or Escape, closes it.
  const onOutside = (event) => {
    if (!moreMenu.hidden && !moreMenu.contains(event.target) && !moreButton.contains(event.target)) setMenu(false);
  };
  const onEscape = (event) => {
    if (event.key === "Escape" && !moreMenu.hidden) {
      setMenu(false);
      moreButton.focus();
    }
  };
  document.addEventListener("pointerdown", onOutside, true);
  document.addEventListener("keydown", onEscape);
  const list = mountSiteList(body, {
    onOpen: (id) => openDetail(id),
    onSelect: (id) => select(id),
    onResetFilters: () => applyFilters(emptyFilters()),
    onShowAll: () => showAllMatches(),
  });

  // --- filters --------------------------------------------------------------------------
  function paintFilters() {
    const n = activeCount(filters);
    filterCount.textContent = String(n);
    filterCount.hidden = n === 0;
    filterButton.setAttribute("aria-label", n ? t("sites.filterActive", { n }) : t("sites.filter"));
  }

  function applyFilters(next) {
    filters = normalizeFilters(next);
    persist();
    paintFilters();
    runSearch();
  }

  // 订阅 (saved searches) is for enterprise users: from the filter sheet, with the filters just chosen.
  // It covers the whole town unless an area was drawn: the map view of the moment is no
  // choice the user made, and new sites just outside it went unnoticed (issue 12).
  const onSave = role === "enterprise" ? (chosen) => openSaveSearchSheet(chosen, area ? { polygon: area } : null) : null;
  filterButton.addEventListener("click", () => openFilterSheet(filters, { onApply: applyFilters, onSave }));

  // --- view toggle and selection ------------------------------------------------------------
  function setView(next) {
    view = next;
    root.dataset.view = view;
    viewMap.setAttribute("aria-pressed", String(view === "map"));
    viewList.setAttribute("aria-pressed", String(view === "list"));
    persist();
    if (view === "map" && handle) {
      handle.map.invalidateSize();
      if (selected !== null) layer?.focus(selected);
    }
    if (selected !== null) requestAnimationFrame(() => list.scrollToSelected("auto"));
  }
  viewMap.addEventListener("click", () => setView("map"));
  viewList.addEventListener("click", () => setView("list"));

  function select(id, { scroll = false } = {}) {
    selected = id;
    list.select(id, { scroll });
    layer?.select(id);
    persist();
  }

  function openDetail(id, { fromRoute = false } = {}) {
    detail?.close();
    detail = openSiteDetail(id, {
      onShowOnMap: (site) => {
        select(site.id);
        setView("map");
        showOnMap(site);
      },
      // Opened from a link (login prompt, notice): make sure the map shows the site.
      onLoaded: fromRoute ? (site) => mapView.ready.then((ready) => ready && !gone && ensureVisible(ready, site)) : null,
    });
  }

  function ensureVisible(ready, site) {
    const at = ready.transform(site.lat, site.lng);
    if (!ready.map.getBounds().contains(at)) ready.map.setView(at, Math.max(ready.map.getZoom(), FOCUS_ZOOM), { animate: false });
  }

  function showOnMap(site) {
    if (!handle) return;
    if (!layer?.focus(site.id)) handle.map.setView(handle.transform(site.lat, site.lng), Math.max(handle.map.getZoom(), FOCUS_ZOOM));
  }

  // --- 画范围: the sites inside a drawn area ----------------------------------------------------
  function paintArea() {
    removeOutline?.();
    removeOutline = area && handle ? showArea(handle, area) : null;
    root.dataset.area = area ? "on" : "off";
    followButton.hidden = Boolean(area);
    drawButton.hidden = Boolean(area);
    moreButton.hidden = Boolean(area); // both its tools are for the view, not an area
    if (area) setMenu(false);
    areaChip.hidden = !area;
    if (area) searchHere.hidden = true;
  }

  function setArea(next, { fit = false } = {}) {
    area = next;
    persist();
    paintArea();
    if (area && fit && handle) fitArea(handle, area);
    runSearch();
  }

  drawButton.addEventListener("click", () => {
    setMenu(false);
    if (!handle || stopDrawing) return;
    stopDrawing = drawArea(handle, mapPane, {
      onDone: (polygon) => {
        stopDrawing = null;
        setArea(polygon);
      },
      onCancel: () => (stopDrawing = null),
    });
  });
  areaChip.addEventListener("click", () => setArea(null));

  // --- search as I move the map ------------------------------------------------------------------
  function paintFollow() {
    followButton.setAttribute("aria-pressed", String(follow));
    if (follow) searchHere.hidden = true;
  }
  followButton.addEventListener("click", () => {
    setMenu(false);
    follow = !follow;
    persist();
    paintFollow();
    if (follow && handle && viewBbox(handle.map) !== lastBbox) runSearch();
  });
  searchHere.addEventListener("click", () => runSearch());

  function onMoveEnd() {
    const map = handle.map;
    const c = map.getCenter();
    camera = { center: [c.lat, c.lng], zoom: map.getZoom() };
    persist();
    clearTimeout(moveTimer);
    if (area) return; // the drawn area, not the view, is what is searched
    if (follow) moveTimer = setTimeout(runSearch, MOVE_DELAY_MS);
    else searchHere.hidden = viewBbox(map) === lastBbox;
  }

  /** The POST body: the GET parameters without the empty ones, plus the polygon. */
  function areaBody(params) {
    const body = { polygon: area };
    for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== "") body[key] = value;
    return body;
  }

  async function runSearch() {
    if (!handle || gone) return;
    clearTimeout(moveTimer);
    const map = handle.map;
    const bbox = area ? "area" : viewBbox(map);
    const zoom = map.getZoom();
    const wide = !area && zoom < CLUSTER_BELOW_ZOOM;
    // The view's clusters come along (in parallel: one wait, not two): when the view holds more
    // sites than one page, the map shows them all as counts rather than the page's 200 alone.
    const withClusters = !area;
    const base = area ? filterParams(filters) : { ...filterParams(filters), bbox };
    const pageParams = { ...base, sort: filters.sort, limit: LIMIT };
    if (filters.sort === "distance") {
      // From the map's centre; with an area, from the area's (panning does not search again then).
      const [w, s, e, n] = area ? boundsOf({ polygon: area }) : [];
      const c = area ? { lat: (s + n) / 2, lng: (w + e) / 2 } : map.getCenter();
      pageParams.near = `${c.lat.toFixed(6)},${c.lng.toFixed(6)}`;
    }
    controller?.abort();
    const mine = (controller = new AbortController());
    const token = ++seq;
    searchHere.hidden = true;
    list.loading();
    try {
      const [page, clusters] = await Promise.all([
        area ? searchSitesInArea(areaBody(pageParams), { signal: mine.signal }) : searchSites(pageParams, { signal: mine.signal }),
        withClusters ? siteClusters({ ...base, zoom: Math.floor(zoom) }, { signal: mine.signal }) : null,
      ]);
      if (gone || token !== seq) return;
      lastBbox = bbox;
      // The map first (a few dozen markers), then the cards (drawn a slice at a time).
      if (wide || (clusters && page.count > page.items.length)) layer.showClusters(clusters.clusters);
      else layer.showSites(page.items);
      // The list envelope: items are GeoJSON Features, count is every match.
      list.render(page.items, {
        total: page.count,
        town: page.town_count,
        bbox,
        query: area ? `polygon&${queryString(pageParams)}` : queryString(pageParams),
        area: Boolean(area),
      });
      if (selected !== null) {
        list.select(selected);
        layer.select(selected);
      }
    } catch (error) {
      if (gone || token !== seq || mine.signal.aborted) return;
      if (area && error.status === 422) {
        // The server refused the drawn area: say why and go back to the view, instead
        // of failing again on every retry and reload.
        toast(error.message);
        setArea(null);
        return;
      }
      list.failed(error, { onRetry: runSearch });
    }
  }

  // --- 看全部: every town-wide match brought into view -------------------------------------------
  async function showAllMatches() {
    if (!handle || gone) return;
    const params = { ...filterParams(filters), sort: "id", limit: ALL_LIMIT };
    try {
      const page = await searchSites(params);
      if (gone || !page.items.length) return;
      if (area) {
        area = null;
        paintArea();
      }
      const points = page.items.map((f) => handle.transform(f.geometry.coordinates[1], f.geometry.coordinates[0]));
      // fitBounds fires moveend (which may wait MOVE_DELAY_MS); search the new view now.
      handle.map.fitBounds(points, { ...clearOfControls(handle.map, 24), maxZoom: FOCUS_ZOOM, animate: false });
      persist();
      runSearch();
    } catch (error) {
      if (!gone) toast(error.offline ? t("sites.offlineTitle") : error.message);
    }
  }

  // --- start ------------------------------------------------------------------------------
  paintFilters();
  paintFollow();
  setView(view);
  list.loading();

  mapView.ready.then(async (ready) => {
    if (!ready || gone) return;
    if (camera) ready.map.setView(camera.center, camera.zoom, { animate: false });
    const siteLayer = await mountSiteLayer(ready, { onPick: (id) => select(id, { scroll: true }) });
    if (gone) {
      siteLayer.destroy();
      return;
    }
    handle = ready;
    layer = siteLayer;
    if (selected !== null) layer.select(selected);
    handle.map.on("moveend", onMoveEnd);
    paintArea();
    const savedId = params.get("saved");
    if (savedId) await applySavedSearch(Number(savedId));
    else runSearch();
  });

  async function applySavedSearch(id) {
    try {
      const { items: searches } = await listSavedSearches();
      if (gone) return;
      const found = searches.find((s) => s.id === id);
      if (!found) {
        toast(t("sites.savedGone"));
        runSearch();
        return;
      }
      filters = normalizeFilters(found.params);
      paintFilters();
      persist();
      if (found.params.polygon?.type === "Polygon") {
        setArea(found.params.polygon, { fit: true });
        toast(t("sites.savedApplied", { name: found.name }));
        return;
      }
      area = null;
      paintArea();
      const box = boundsOf(found.params);
      if (box) {
        const [w, s, e, n] = box;
        // fitBounds fires moveend, which searches; search now too in case the view did not change.
        handle.map.fitBounds([handle.transform(s, w), handle.transform(n, e)], { ...clearOfControls(handle.map), animate: false });
      }
      runSearch();
      toast(t("sites.savedApplied", { name: found.name }));
    } catch (error) {
      if (!gone) toast(error.message);
      runSearch();
    }
  }

  // Back online: a search that failed for want of a network runs again by itself.
  const stopNet = onNetChange((online) => {
    if (online && list.pane.dataset.state === "offline") runSearch();
  });

  const openId = Number(args[0]);
  if (Number.isInteger(openId) && openId > 0) {
    select(openId);
    openDetail(openId, { fromRoute: true });
  }

  return () => {
    gone = true;
    document.removeEventListener("pointerdown", onOutside, true);
    document.removeEventListener("keydown", onEscape);
    stopDrawing?.();
    removeOutline?.();
    stopNet();
    clearTimeout(moveTimer);
    controller?.abort();
    persist();
    handle?.map.off("moveend", onMoveEnd);
    layer?.destroy();
    list.destroy();
    mapView.destroy();
  };
}
