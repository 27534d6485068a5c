// A town map inside a screen, with its loading, empty, error and offline states
// drawn over it. Used by 找场地 (the whole screen) and 附近 (the map view).

import { ApiError } from "./api.js";
import { t } from "./i18n.js";
import { drawTownMap, loadLeaflet, loadMapData } from "./map.js";
import { addMapLabels } from "./maplabels.js";
import { yieldToMain } from "./tasks.js";
import { errorView, h, stateView } from "./ui.js";

/**
 * mountMapView(parent, {label}) → {mapEl, ready, destroy}
 * `ready` resolves with the drawn map's handle ({map, L, ...}), or null when the
 * view was destroyed first; it never rejects (failures show in the overlay,
 * with a retry button that resolves `ready` when it works).
 */
export function mountMapView(parent, { label }) {
  const mapEl = h("div", { class: "map", id: "map", role: "region", "aria-label": label });
  const overlay = h("div", { class: "map-overlay" });
  parent.append(mapEl, overlay);

  let handle = null;
  let controller = null;
  let gone = false;
  let resolveReady;
  const ready = new Promise((resolve) => (resolveReady = resolve));

  function show(view) {
    overlay.replaceChildren(...(view ? [view] : []));
    overlay.hidden = !view;
    overlay.dataset.state = view ? view.dataset.state || "" : "";
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    overlay.classList.remove("map-overlay-card");
    show(stateView("loading", { title: t("map.loading") }));
    // Leaflet comes while the data does (one wait, not two); drawTownMap awaits the same promise.
    if (!handle) loadLeaflet().catch(() => null);
    try {
      const data = await loadMapData({ signal: controller.signal });
      if (gone) return;
      if (!handle) {
        await loadLeaflet();
        await yieldToMain(); // Leaflet's evaluation and the map's drawing: two tasks, not one long one
        if (gone) return;
        handle = await drawTownMap(mapEl, data);
      }
      if (!handle.labels) handle.labels = addMapLabels(handle); // road and area names (issue 12)
      if (gone) {
        handle.destroy();
        return;
      }
      mapEl.dataset.ready = "true";
      if (!data.layers.length && !data.config.tiles) {
        show(stateView("empty", { title: t("map.emptyTitle"), message: t("map.emptyMessage") }));
        overlay.classList.add("map-overlay-card");
      } else {
        show(null);
      }
      resolveReady(handle);
    } catch (error) {
      if (gone || controller.signal.aborted) return;
      if (error instanceof ApiError) {
        show(error.offline ? errorView(error, { title: t("map.offlineTitle"), onRetry: load }) : errorView(error, { title: t("map.errorTitle"), onRetry: load }));
        if (error.offline && error.kind !== "not-json") {
          overlay.querySelector(".state-message").textContent = t("map.offlineMessage");
        }
      } else {
        console.error(error);
        show(stateView("error", { title: t("map.errorTitle"), message: t("error.mapLib"), onRetry: load }));
      }
    }
  }

  load();
  return {
    mapEl,
    ready,
    destroy() {
      gone = true;
      controller?.abort();
      handle?.destroy();
      resolveReady(null);
    },
  };
}
