// 找场地 / 附近: the town map with its boundary and roads. Later issues add the
// site layer (找场地) and the nearby-enterprise list with check-in (附近).

import { ApiError } from "../api.js";
import { t } from "../i18n.js";
import { drawTownMap, loadMapData } from "../map.js";
import { errorView, h, stateView } from "../ui.js";

export function mount(el, { route }) {
  const mapEl = h("div", { class: "map", id: "map", role: "region", "aria-label": t(route.titleKey) });
  const overlay = h("div", { class: "map-overlay" });
  const note = h("p", { class: "map-note" }, t(route.mapMode === "nearby" ? "map.nearbySoon" : "map.sitesSoon"));
  el.append(h("div", { class: "map-screen", dataset: { mode: route.mapMode } }, mapEl, overlay, note));

  let handle = null;
  let controller = null;
  let gone = false;

  function show(view) {
    overlay.replaceChildren(view);
    overlay.hidden = !view;
    overlay.dataset.state = view ? view.dataset.state || "" : "";
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    show(stateView("loading", { title: t("map.loading") }));
    try {
      const data = await loadMapData({ signal: controller.signal });
      if (gone) return;
      if (!handle) handle = await drawTownMap(mapEl, data);
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
    } catch (error) {
      if (gone || controller.signal.aborted) return;
      if (error instanceof ApiError) {
        show(
          error.offline
            ? errorView(error, { title: t("map.offlineTitle"), onRetry: load })
            : errorView(error, { title: t("map.errorTitle"), onRetry: load }),
        );
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
  return () => {
    gone = true;
    controller?.abort();
    handle?.destroy();
  };
}
