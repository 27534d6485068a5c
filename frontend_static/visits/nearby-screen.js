// 附近 (staff home): one big button reads the position once and lists the
// enterprises nearest the phone, with distance; search by name or 拼音首字母;
// a map view; a tap on an enterprise opens the 签到 sheet.
//
// The last list is kept on the phone, so that in a basement with no signal the
// user can still pick the enterprise (distances recomputed from the new fix).

import { ApiError, get } from "../common/api.js";
import { openCheckinSheet } from "./checkin.js";
import { formatAccuracy, formatAgo, formatDistance } from "../common/format.js";
import { distanceM, fenceOf, readPosition, withinFence } from "../common/geolocate.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { isOnline } from "../common/net.js";
import { mountNearbyMap } from "./nearbymap.js";
import { errorView, fill, h, icon, stateView } from "../common/ui.js";
import { onUserChange } from "../shell/session.js";
import { onVisitsChange, openRecords } from "./store.js";

const LIMIT = 30;
const SEARCH_DELAY_MS = 300;
const CACHE_KEY = "dxe.nearby";
const VIEW_KEY = "dxe.nearbyView";

// The cached list holds where the phone was: it goes when the user logs out
// (the outbox keeps what still has to be sent; this is only a convenience).
onUserChange((user) => {
  if (!user) {
    try {
      localStorage.removeItem(CACHE_KEY);
    } catch {
      // Nothing stored.
    }
  }
});

function readCache(username) {
  try {
    const cache = JSON.parse(localStorage.getItem(CACHE_KEY) || "null");
    return cache && cache.user === username && Array.isArray(cache.items) ? cache : null;
  } catch {
    return null;
  }
}

function writeCache(value) {
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(value));
  } catch {
    // Full or unavailable storage: the list still shows, only not offline later.
  }
}

function readView() {
  try {
    return localStorage.getItem(VIEW_KEY) === "map" ? "map" : "list";
  } catch {
    return "list";
  }
}

/** The cached enterprises measured from a new fix, nearest first. */
function remeasure(items, fix) {
  return items.map((e) => ({ ...e, distance_m: distanceM(fix.lat, fix.lng, e.lat, e.lng) })).sort((a, b) => a.distance_m - b.distance_m || a.id - b.id);
}

export function mount(el, { user, navigate }) {
  const cached = readCache(user.username);
  // What the list shows: the base list (no search) and where it was measured from.
  let base = cached ? { fix: cached.fix, items: cached.items, at: cached.at, source: "cache" } : null;
  let shown = base ? base.items : [];
  let query = "";
  let view = readView();
  let map = null;
  let gone = false;
  let searchTimer = null;
  let searchToken = 0;

  const openBanner = h("div", { id: "open-banner" });
  const search = h("input", {
    type: "search",
    class: "input",
    id: "nearby-search",
    enterkeyhint: "search",
    autocomplete: "off",
    placeholder: t("nearby.searchPlaceholder"),
    "aria-label": t("nearby.searchPlaceholder"),
  });
  const viewList = h("button", { type: "button", class: "seg", id: "view-list" }, icon("list"), t("nearby.viewList"));
  const viewMap = h("button", { type: "button", class: "seg", id: "view-map" }, icon("map"), t("nearby.viewMap"));
  const status = h("p", { class: "nearby-status", id: "nearby-status", role: "status", "aria-live": "polite" });
  const cachedNote = h("p", { class: "notice nearby-cached", id: "nearby-cached", hidden: true });
  const listPane = h("div", { class: "nearby-list-pane", id: "nearby-list-pane" });
  const mapPane = h("div", { class: "nearby-map", id: "nearby-map-pane" });
  const locateButton = h("button", { type: "button", class: "btn btn-primary btn-block btn-big", id: "locate" }, icon("locate"), t("nearby.locate"));

  el.append(
    h(
      "div",
      { class: "page nearby" },
      openBanner,
      h(
        "div",
        { class: "nearby-tools" },
        search,
        h("div", { class: "nearby-bar" }, status, h("div", { class: "segmented", role: "group", "aria-label": t("nearby.viewLabel") }, viewList, viewMap)),
      ),
      cachedNote,
      listPane,
      mapPane,
      h("div", { class: "sticky-actions" }, locateButton),
    ),
  );

  // --- the open visit, if any ---------------------------------------------------------
  async function renderOpenBanner() {
    const open = await openRecords().catch(() => []);
    if (gone) return;
    fill(
      openBanner,
      ...open
        .slice(0, 1)
        .map((r) =>
          h(
            "a",
            { class: "card open-banner", href: `#/visit/${r.client_id}`, id: "open-visit" },
            icon("clipboard"),
            h("span", { class: "open-banner-text" }, h("span", { class: "open-banner-label" }, t("nearby.openVisit")), h("strong", {}, r.enterprise.name)),
            h("span", { class: "chevron", "aria-hidden": "true" }, "›"),
          ),
        ),
    );
  }

  // --- list and map -------------------------------------------------------------------
  function pick(enterprise) {
    openCheckinSheet(enterprise, { navigate });
  }

  function item(enterprise, fix) {
    const inside = fix ? withinFence(enterprise.distance_m, fenceOf(enterprise), fix.accuracy_m) : false;
    return h(
      "li",
      {},
      h(
        "button",
        { type: "button", class: "enterprise", dataset: { id: enterprise.id }, onclick: () => pick(enterprise) },
        h(
          "span",
          { class: "enterprise-text" },
          h("span", { class: "enterprise-name" }, enterprise.name),
          enterprise.address ? h("span", { class: "enterprise-address" }, enterprise.address) : null,
        ),
        h(
          "span",
          { class: "enterprise-side" },
          typeof enterprise.distance_m === "number" ? h("span", { class: "enterprise-distance" }, formatDistance(enterprise.distance_m)) : null,
          inside ? h("span", { class: "chip chip-small chip-ok" }, t("nearby.inRange")) : null,
        ),
      ),
    );
  }

  function renderStatus(fix, { offline = false, at = null } = {}) {
    cachedNote.hidden = !offline;
    fill(cachedNote, offline ? [icon("offline"), t("nearby.cachedList", { ago: formatAgo(at) })] : null);
    if (!fix) {
      fill(status);
      status.hidden = true;
      return;
    }
    status.hidden = false;
    fill(status, icon("locate"), h("span", {}, t("nearby.fixInfo", { accuracy: formatAccuracy(fix.accuracy_m), ago: formatAgo(fix.at) })));
  }

  function showList(items, fix) {
    shown = items;
    if (!items.length) {
      fill(
        listPane,
        query
          ? stateView("empty", { title: t("nearby.noMatchTitle", { q: query }), message: t("nearby.noMatchMessage") })
          : stateView("empty", { title: t("nearby.emptyTitle"), message: t("nearby.emptyMessage") }),
      );
    } else {
      fill(
        listPane,
        h(
          "ul",
          { class: "enterprise-list", id: "nearby-list" },
          items.map((e) => item(e, fix)),
        ),
      );
    }
    if (map) map.show(fix, items);
  }

  function showIdle() {
    fill(
      listPane,
      h(
        "div",
        { class: "state state-idle", dataset: { state: "idle" } },
        icon("locate", "state-icon"),
        h("p", { class: "state-title" }, t("nearby.idleTitle")),
        h("p", { class: "state-message" }, t("nearby.idleMessage")),
      ),
    );
  }

  function setView(next) {
    view = next;
    try {
      localStorage.setItem(VIEW_KEY, view);
    } catch {
      // Not remembered: fine.
    }
    viewList.setAttribute("aria-pressed", String(view === "list"));
    viewMap.setAttribute("aria-pressed", String(view === "map"));
    listPane.hidden = view !== "list";
    mapPane.hidden = view !== "map";
    if (view === "map" && !map) {
      map = mountNearbyMap(mapPane, { onPick: pick });
      map.show(base ? base.fix : null, shown);
    }
  }
  viewList.addEventListener("click", () => setView("list"));
  viewMap.addEventListener("click", () => setView("map"));

  // --- 定位 -----------------------------------------------------------------------------
  async function locate() {
    locateButton.disabled = true;
    fill(locateButton, icon("locate"), t("nearby.locating"));
    fill(listPane, stateView("loading", { title: t("nearby.locating") }));
    try {
      let fix;
      try {
        fix = await readPosition();
      } catch (error) {
        if (gone) return;
        fill(listPane, h("div", { id: "geo-error" }, stateView("error", { title: t("geo.failedTitle"), message: error.message, onRetry: locate })));
        if (view === "map") setView("list");
        return;
      }
      if (gone) return;
      fill(listPane, stateView("loading", { title: t("nearby.loading") }));
      try {
        const { items } = await get(`/api/enterprises/nearby?lat=${fix.lat}&lng=${fix.lng}&limit=${LIMIT}`);
        if (gone) return;
        base = { fix, items, at: Date.now(), source: "server" };
        writeCache({ user: user.username, fix, items, at: base.at });
        renderStatus(fix);
      } catch (error) {
        if (gone) return;
        const saved = readCache(user.username);
        if (error instanceof ApiError && error.offline && saved) {
          base = { fix, items: remeasure(saved.items, fix), at: saved.at, source: "cache" };
          renderStatus(fix, { offline: true, at: saved.at });
        } else {
          const title = error.offline ? t("nearby.offlineTitle") : t("nearby.errorTitle");
          fill(listPane, errorView(error, { title, onRetry: locate }));
          return;
        }
      }
      query = search.value.trim();
      if (query) await runSearch();
      else showList(base.items, base.fix);
    } finally {
      if (!gone) {
        locateButton.disabled = false;
        fill(locateButton, icon("locate"), t(base ? "nearby.relocate" : "nearby.locate"));
      }
    }
  }
  locateButton.addEventListener("click", locate);

  // --- search -------------------------------------------------------------------------------
  function localMatches(q) {
    const needle = q.toLowerCase();
    return base.items.filter((e) => e.name.toLowerCase().includes(needle) || (e.address || "").toLowerCase().includes(needle));
  }

  async function runSearch() {
    const token = ++searchToken;
    if (!query) {
      if (base) showList(base.items, base.fix);
      else showIdle();
      return;
    }
    if (!base) {
      await searchWithoutFix(token);
      return;
    }
    if (!isOnline()) {
      showList(localMatches(query), base.fix);
      return;
    }
    fill(listPane, stateView("loading", { title: t("nearby.searching") }));
    try {
      const { fix } = base;
      const { items } = await get(`/api/enterprises/nearby?lat=${fix.lat}&lng=${fix.lng}&limit=${LIMIT}&q=${encodeURIComponent(query)}`);
      if (gone || token !== searchToken) return;
      showList(items, fix);
    } catch (error) {
      if (gone || token !== searchToken) return;
      if (error.offline) showList(localMatches(query), base.fix);
      else fill(listPane, errorView(error, { title: t("nearby.errorTitle"), onRetry: runSearch }));
    }
  }
  // Before the first fix (indoors, GPS still warming up) staff usually know whom they
  // came to see: the server finds the name or 拼音首字母 town-wide, with no distance.
  async function searchWithoutFix(token) {
    if (!isOnline()) {
      fill(listPane, stateView("empty", { title: t("nearby.locateFirst"), message: t("nearby.offlineNoFix") }));
      return;
    }
    fill(listPane, stateView("loading", { title: t("nearby.searching") }));
    try {
      const { items } = await get(`/api/enterprises/nearby?limit=${LIMIT}&q=${encodeURIComponent(query)}`);
      if (gone || token !== searchToken) return;
      showList(items, null);
      if (items.length) listPane.prepend(h("p", { class: "notice nearby-nofix", id: "nearby-nofix" }, icon("locate"), t("nearby.noFixNote")));
    } catch (error) {
      if (gone || token !== searchToken) return;
      const title = error.offline ? t("nearby.locateFirst") : t("nearby.errorTitle");
      fill(listPane, errorView(error, { title, onRetry: runSearch }));
    }
  }

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      query = search.value.trim();
      runSearch();
    }, SEARCH_DELAY_MS);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      clearTimeout(searchTimer);
      query = search.value.trim();
      runSearch();
      search.blur();
    }
  });

  // --- start -----------------------------------------------------------------------------------
  if (base) {
    showList(base.items, base.fix);
    renderStatus(base.fix, { offline: false });
    fill(locateButton, icon("locate"), t("nearby.relocate"));
  } else {
    showIdle();
    renderStatus(null);
  }
  setView(view);
  renderOpenBanner();
  const stopVisits = onVisitsChange(renderOpenBanner);

  return () => {
    gone = true;
    clearTimeout(searchTimer);
    stopVisits();
    map?.destroy();
  };
}
