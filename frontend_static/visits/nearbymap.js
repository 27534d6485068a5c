// 附近's map view: the town map with the phone's last fix (and its accuracy
// circle) and the nearby enterprises as 44-px tappable pins.

import { t } from "../common/i18n.js";
import { clearOfControls } from "../common/map.js";
import "./strings.js";
import { mountMapView } from "../common/mapview.js";
import { h } from "../common/ui.js";

/**
 * mountNearbyMap(parent, {onPick}) → {show(fix, items), destroy()}
 * `onPick(enterprise)` runs when a pin is tapped.
 */
export function mountNearbyMap(parent, { onPick }) {
  const view = mountMapView(parent, { label: t("nearby.mapLabel") });
  let layer = null;
  let latest = null;

  function draw(handle) {
    if (!handle || !latest) return;
    const { map, L, transform } = handle;
    layer?.remove();
    layer = L.layerGroup().addTo(map);
    const points = [];
    const { fix, items } = latest;
    if (fix) {
      const here = transform(fix.lat, fix.lng);
      if (fix.accuracy_m) L.circle(here, { radius: fix.accuracy_m, className: "dxe-accuracy", weight: 1 }).addTo(layer);
      L.marker(here, {
        icon: L.divIcon({ className: "dxe-me", html: h("span", { class: "dxe-me-dot" }), iconSize: [22, 22] }),
        keyboard: false,
        interactive: false,
        title: t("nearby.me"),
        // Leaflet stacks markers by latitude: a pin just south of the phone covered its dot (issue 12).
        zIndexOffset: 10_000,
      }).addTo(layer);
      points.push(here);
    }
    for (const enterprise of items) {
      const at = transform(enterprise.lat, enterprise.lng);
      const pin = L.marker(at, {
        icon: L.divIcon({ className: "dxe-pin", html: h("span", { class: "dxe-pin-dot" }), iconSize: [44, 44] }),
        title: enterprise.name,
        alt: enterprise.name,
        riseOnHover: true,
      });
      // A node, not a string: Leaflet puts a string in as HTML, and names come from the server.
      pin.bindTooltip(h("span", { class: "map-tooltip" }, enterprise.name), { direction: "top", offset: [0, -18] });
      pin.on("click", () => onPick(enterprise));
      pin.addTo(layer);
      points.push(at);
    }
    if (points.length === 1) map.setView(points[0], 17);
    else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { ...clearOfControls(map, 40), maxZoom: 18 });
  }

  return {
    show(fix, items) {
      latest = { fix, items };
      view.ready.then(draw);
    },
    destroy() {
      view.destroy();
    },
  };
}
