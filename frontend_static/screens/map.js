// 找场地: the town map with its boundary and roads. A later issue adds the
// idle-site layer. (附近 has its own screen with a list and a map view.)

import { t } from "../i18n.js";
import { mountMapView } from "../mapview.js";
import { h } from "../ui.js";

export function mount(el, { route }) {
  const screen = h("div", { class: "map-screen", dataset: { mode: "sites" } });
  el.append(screen);
  const view = mountMapView(screen, { label: t(route.titleKey) });
  screen.append(h("p", { class: "map-note" }, t("map.sitesSoon")));
  return () => view.destroy();
}
