// 我的场地 (site owners): the unit's own listings, least recently confirmed
// first. Each card changes the status in one tap, confirms "仍在招租" (listings
// unconfirmed for 90 days are flagged and the owner is reminded), and opens
// the editor for specs and photos. #/my-sites/<id> opens that listing's editor.

import { t } from "../common/i18n.js";
import "./strings.js";
import { confirmSite, mySites, updateSite } from "./api.js";
import { openSiteEditor } from "./edit.js";
import { SITE_STATUSES, awaitingChip, formatArea, formatDay, formatMonthly, formatRentTyped, statusLabel, typeChip } from "./format.js";
import { siteIcon } from "./icons.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";

const PAGE = 100;

export function mount(el, { args }) {
  const openId = Number(args[0]) || null;
  let awaitingOnly = false;
  let gone = false;
  let token = 0;

  const allButton = h("button", { type: "button", class: "seg", id: "mysites-all" }, t("owner.all"));
  const awaitingButton = h("button", { type: "button", class: "seg", id: "mysites-awaiting" }, t("owner.awaitingOnly"));
  const body = h("div", { id: "mysites-body" });
  el.append(h("div", { class: "page mysites" }, h("div", { class: "segmented", role: "group", "aria-label": t("owner.filterLabel") }, allButton, awaitingButton), body));

  function card(site) {
    const li = h("li", { class: "card mysite-card", id: `mysite-${site.id}`, dataset: { id: site.id, status: site.status } });

    function render(s) {
      site = s;
      li.dataset.status = s.status;
      li.dataset.awaiting = String(s.awaiting_confirmation);
      const statusButtons = SITE_STATUSES.map((status) =>
        h(
          "button",
          { type: "button", class: "seg", id: `status-${s.id}-${status}`, dataset: { status }, "aria-pressed": String(s.status === status) },
          statusLabel(status),
        ),
      );
      for (const button of statusButtons) {
        button.addEventListener("click", async () => {
          if (button.dataset.status === site.status) return;
          statusButtons.forEach((b) => (b.disabled = true));
          try {
            const updated = await updateSite(site.id, { status: button.dataset.status });
            render(updated);
            toast(t("owner.statusChanged", { status: statusLabel(updated.status) }));
          } catch (error) {
            toast(error.message);
            statusButtons.forEach((b) => (b.disabled = false));
          }
        });
      }
      const confirm = h(
        "button",
        { type: "button", class: `btn ${s.awaiting_confirmation ? "btn-primary" : "btn-secondary"} mysite-confirm`, id: `confirm-${s.id}` },
        icon("check"),
        t("owner.confirm"),
      );
      confirm.addEventListener("click", async () => {
        confirm.disabled = true;
        try {
          const answer = await confirmSite(site.id);
          render({ ...site, last_confirmed: answer.last_confirmed, awaiting_confirmation: answer.awaiting_confirmation });
          toast(t("owner.confirmed"));
        } catch (error) {
          toast(error.message);
          confirm.disabled = false;
        }
      });
      const edit = h("button", { type: "button", class: "btn btn-secondary mysite-edit", id: `edit-${s.id}` }, siteIcon("edit"), t("owner.edit"));
      edit.addEventListener("click", () => openEditor());
      fill(
        li,
        h("div", { class: "mysite-head" }, h("span", { class: "mysite-name" }, s.name), h("span", { class: "site-card-chips" }, typeChip(s.type), awaitingChip(s.awaiting_confirmation))),
        s.awaiting_confirmation ? h("p", { class: "notice mysite-awaiting" }, icon("warning"), t("owner.awaitingHint")) : null,
        // The rent in the unit the owner typed it in: shown per day, a monthly figure
        // just typed looked unchanged (issue 12); the monthly total beside it.
        h(
          "p",
          { class: "site-card-figures" },
          h("span", { class: "site-card-area" }, formatArea(s.area_m2)),
          h("span", { class: "site-card-rent" }, formatRentTyped(s.rent_value, s.rent_unit)),
          formatMonthly(s.rent_per_m2_day, s.area_m2) ? h("span", { class: "site-card-monthly" }, formatMonthly(s.rent_per_m2_day, s.area_m2)) : null,
        ),
        h("p", { class: "hint mysite-meta" }, t("owner.lastConfirmed", { date: s.last_confirmed ? formatDay(s.last_confirmed) : t("sites.neverConfirmed") }), " · ", t("owner.photoShort", { n: s.photos.length })),
        h("div", { class: "segmented mysite-status", role: "group", "aria-label": t("owner.statusLabel") }, statusButtons),
        h("div", { class: "btn-row mysite-actions" }, confirm, edit),
      );
    }

    function openEditor() {
      openSiteEditor(site, {
        onSaved: (updated, { photosOnly = false } = {}) => {
          render(photosOnly ? { ...site, photos: updated.photos } : updated);
        },
      });
    }

    li.openEditor = openEditor;
    render(site);
    return li;
  }

  async function load() {
    const mine = ++token;
    allButton.setAttribute("aria-pressed", String(!awaitingOnly));
    awaitingButton.setAttribute("aria-pressed", String(awaitingOnly));
    fill(body, stateView("loading", { title: t("owner.loading") }));
    try {
      const page = await mySites(awaitingOnly ? { awaiting: true, limit: PAGE } : { limit: PAGE });
      if (gone || mine !== token) return;
      if (!page.items.length) {
        fill(body, stateView("empty", awaitingOnly ? { title: t("owner.noneAwaiting") } : { title: t("owner.emptyTitle"), message: t("owner.emptyMessage") }));
        return;
      }
      const awaiting = page.items.filter((s) => s.awaiting_confirmation).length;
      const cards = page.items.map(card);
      fill(
        body,
        h("p", { class: "hint", id: "mysites-count" }, t("owner.count", { n: page.count }), awaiting && !awaitingOnly ? ` · ${t("owner.awaitingCount", { n: awaiting })}` : ""),
        h("ul", { class: "mysite-list", id: "mysite-list" }, cards),
      );
      const target = openId && cards.find((c) => Number(c.dataset.id) === openId);
      if (target) {
        target.scrollIntoView({ block: "start" });
        target.openEditor();
      }
    } catch (error) {
      if (gone || mine !== token) return;
      fill(body, errorView(error, { title: error.offline ? t("owner.offlineTitle") : t("owner.errorTitle"), onRetry: load }));
    }
  }

  allButton.addEventListener("click", () => {
    awaitingOnly = false;
    load();
  });
  awaitingButton.addEventListener("click", () => {
    awaitingOnly = true;
    load();
  });
  load();
  return () => {
    gone = true;
  };
}
