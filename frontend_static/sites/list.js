// The site cards of 找场地: type, area, rent (元/m²/天), status and a call
// button each. The same list is a swipeable strip under the map and a full
// vertical list; the selected site stays selected between the two.

import { formatDistance } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { currentUser } from "../shell/session.js";
import { callLink, onReveal, openLoginPrompt, reveal, revealedContact } from "./contact.js";
import { awaitingChip, formatArea, formatMonthly, formatNumber, formatRent, statusChip, typeChip } from "./format.js";
import { siteIcon } from "./icons.js";
import { appendInSlices } from "../common/tasks.js";
import { errorView, fill, h, stateView, toast } from "../common/ui.js";

/**
 * mountSiteList(parent, {onOpen, onSelect, onResetFilters, onShowAll}) → {render, loading, failed, select, selected, destroy}
 * `onOpen(id)` opens the detail sheet; `onSelect(id)` tells the map; `onShowAll()` brings
 * every town-wide match into view (看全部).
 */
export function mountSiteList(parent, { onOpen, onSelect, onResetFilters, onShowAll }) {
  const status = h("p", { class: "site-list-status", id: "sites-status", role: "status", "aria-live": "polite" });
  const showAll = h("button", { type: "button", class: "btn btn-ghost site-list-all", id: "sites-show-all", hidden: true }, t("sites.showAll"));
  showAll.addEventListener("click", () => onShowAll());
  const head = h("div", { class: "site-list-head" }, status, showAll);
  const list = h("ul", { class: "site-list", id: "site-list", "aria-label": t("sites.listLabel") });
  const stateBox = h("div", { class: "site-list-state", id: "site-list-state", hidden: true });
  const pane = h("section", { class: "site-list-pane", id: "site-list-pane", dataset: { state: "loading" } }, head, list, stateBox);
  parent.append(pane);

  let selectedId = null;
  let features = [];

  function callControl(p) {
    const known = revealedContact(p.id);
    if (known) return callLink(known, { className: "btn btn-secondary site-call" });
    const button = h(
      "button",
      { type: "button", class: "btn btn-secondary site-call", dataset: { id: p.id }, "aria-label": t("sites.callSite", { name: p.name }) },
      siteIcon("phone"),
      t("sites.call"),
    );
    button.addEventListener("click", async (event) => {
      event.stopPropagation();
      if (!currentUser()) {
        openLoginPrompt(p.id);
        return;
      }
      button.disabled = true;
      try {
        await reveal(p.id); // onReveal swaps this button for the number
      } catch (error) {
        toast(error.message);
        if (button.isConnected) button.disabled = false;
      }
    });
    return button;
  }

  function card(feature) {
    const p = feature.properties;
    const monthly = formatMonthly(p.rent_per_m2_day, p.area_m2);
    const open = h(
      "button",
      { type: "button", class: "site-card-main", "aria-label": t("sites.openSite", { name: p.name }) },
      h("span", { class: "site-card-name" }, p.name),
      h("span", { class: "site-card-chips" }, typeChip(p.type), statusChip(p.status), awaitingChip(p.awaiting_confirmation)),
      h(
        "span",
        { class: "site-card-figures" },
        h("span", { class: "site-card-area" }, formatArea(p.area_m2)),
        h("span", { class: "site-card-rent" }, formatRent(p.rent_per_m2_day)),
        monthly ? h("span", { class: "site-card-monthly" }, monthly) : null,
        typeof p.distance_m === "number" ? h("span", { class: "site-card-distance" }, t("sites.fromCentre", { d: formatDistance(p.distance_m) })) : null,
      ),
    );
    open.addEventListener("click", () => {
      select(p.id);
      onSelect(p.id);
      onOpen(p.id);
    });
    return h(
      "li",
      { class: "site-card", dataset: { id: p.id, type: p.type, status: p.status }, "aria-current": p.id === selectedId ? "true" : false },
      open,
      h(
        "div",
        { class: "site-card-foot" },
        h("span", { class: "site-card-owner" }, p.owner_name),
        h("span", { class: "site-card-call", dataset: { id: p.id } }, callControl(p)),
      ),
    );
  }

  const stopReveal = onReveal((id) => {
    const slot = list.querySelector(`.site-card-call[data-id="${id}"]`);
    const feature = features.find((f) => f.id === id);
    if (slot && feature) fill(slot, callControl(feature.properties));
  });

  function setState(kind) {
    pane.dataset.state = kind;
  }

  let renders = 0;

  /** "地图范围内 1 处 · 全镇 55 处": the view alone hid what matched elsewhere (issue 12). */
  function countText(key, total, town) {
    if (typeof town !== "number") {
      if (!features.length) return t(`${key}None`);
      return features.length < total ? t(`${key}Partial`, { n: formatNumber(features.length), total: formatNumber(total) }) : t(key, { n: formatNumber(total) });
    }
    if (!features.length && town === 0) return t(`${key}None`);
    const here = features.length < total ? t(`${key}Partial`, { n: formatNumber(features.length), total: formatNumber(total) }) : t(`${key}Short`, { n: formatNumber(total) });
    return `${here} · ${t("sites.countTown", { n: formatNumber(town) })}`;
  }

  async function render(next, { total, town = null, bbox, query, area = false }) {
    const key = area ? "sites.countArea" : "sites.count";
    const token = ++renders;
    features = next;
    const more = typeof town === "number" && town > total;
    showAll.hidden = !more;
    if (more) showAll.setAttribute("aria-label", t("sites.showAllLabel", { n: formatNumber(town) }));
    stateBox.hidden = true;
    list.hidden = false;
    if (!features.length) {
      fill(list);
      list.hidden = true;
      stateBox.hidden = false;
      fill(
        stateBox,
        stateView("empty", { title: t("sites.emptyTitle"), message: t("sites.emptyMessage"), onRetry: onResetFilters, retryLabel: t("sites.filterReset") }),
      );
    } else {
      // 200 cards in one go were a long task on a cheap phone: a slice at a time ("ready" once all are in).
      fill(list);
      if (!(await appendInSlices(list, features, card, { current: () => token === renders }))) return;
    }
    fill(status, countText(key, total, town));
    pane.dataset.bbox = bbox;
    pane.dataset.query = query;
    pane.dataset.total = String(total);
    pane.dataset.town = typeof town === "number" ? String(town) : "";
    setState(features.length ? "ready" : "empty");
    if (selectedId !== null) scrollToSelected("auto");
  }

  function loading() {
    setState("loading");
    pane.setAttribute("aria-busy", "true");
    if (!features.length && stateBox.hidden) {
      list.hidden = true;
      stateBox.hidden = false;
      fill(stateBox, stateView("loading", { title: t("sites.searching") }));
    }
    fill(status, t("sites.searching"));
  }

  function done() {
    pane.removeAttribute("aria-busy");
  }

  /** A failed search: the last results stay (marked), or the error/offline state shows. */
  function failed(error, { onRetry }) {
    renders++; // a page still being drawn stops here
    setState(error.offline ? "offline" : "error");
    if (features.length) {
      fill(status, error.offline ? t("sites.offlineKept") : t("sites.errorKept", { message: error.message }));
      return;
    }
    list.hidden = true;
    stateBox.hidden = false;
    fill(stateBox, errorView(error, { title: error.offline ? t("sites.offlineTitle") : t("sites.errorTitle"), onRetry }));
    fill(status, "");
  }

  function scrollToSelected(behavior = "smooth") {
    const el = list.querySelector(`.site-card[data-id="${selectedId}"]`);
    if (el && !list.hidden && list.offsetParent !== null) el.scrollIntoView({ block: "nearest", inline: "center", behavior });
  }

  function select(id, { scroll = false } = {}) {
    selectedId = id;
    for (const el of list.querySelectorAll(".site-card")) {
      if (Number(el.dataset.id) === id) el.setAttribute("aria-current", "true");
      else el.removeAttribute("aria-current");
    }
    if (scroll) scrollToSelected();
  }

  return {
    pane,
    render(next, meta) {
      done();
      render(next, meta);
    },
    loading,
    failed(error, options) {
      done();
      failed(error, options);
    },
    select,
    scrollToSelected,
    feature: (id) => features.find((f) => f.id === id) || null,
    destroy() {
      renders++;
      stopReveal();
    },
  };
}
