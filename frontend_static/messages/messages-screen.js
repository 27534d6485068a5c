// 诉求与消息 (enterprise users): the in-app notices (answers to my site
// inquiries, new sites for my saved searches), my inquiries with their
// answers, and my saved searches (订阅); the ways to 我的诉求 (demands/) and 在线咨询
// (consultations/) on top.

import { parseHash } from "../shell/nav.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { inquiryCard } from "../sites/inquirycard.js";
import { onUnreadChange, unreadCount } from "./badge.js";
import { markSeen, mountNotices } from "./notices.js";
import { deleteSavedSearch, listInquiries, listSavedSearches } from "../sites/api.js";
import { describeFilters, normalizeFilters } from "../sites/filters.js";
import { formatDateTime } from "../common/format.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";

const TABS = ["notices", "inquiries", "saved"];

export function mount(el, { params }) {
  let tab = TABS.includes(params.get("tab")) ? params.get("tab") : "notices";
  let focusInquiry = Number(params.get("inquiry")) || null;
  let notices = null;
  let gone = false;
  let token = 0;

  const buttons = Object.fromEntries(TABS.map((key) => [key, h("button", { type: "button", class: "seg", id: `messages-${key}`, onclick: () => show(key) }, t(`messages.tab.${key}`))]));
  const badge = h("span", { class: "seg-badge", id: "messages-unread", hidden: true });
  buttons.notices.append(badge);
  const body = h("div", { class: "messages-body", id: "messages-body" });
  el.append(
    h(
      "div",
      { class: "page messages" },
      h(
        "a",
        { class: "card link-card", id: "messages-demands", href: "#/demands" },
        h("span", {}, h("span", { class: "link-card-title" }, t("messages.demands")), h("span", { class: "hint link-card-hint" }, t("messages.demandsHint"))),
        icon("navigate"),
      ),
      h(
        "a",
        { class: "card link-card", id: "messages-consultations", href: "#/consultations" },
        h("span", {}, h("span", { class: "link-card-title" }, t("messages.consultations")), h("span", { class: "hint link-card-hint" }, t("messages.consultationsHint"))),
        icon("navigate"),
      ),
      h("div", { class: "segmented messages-tabs", role: "group", "aria-label": t("messages.tabsLabel") }, Object.values(buttons)),
      body,
    ),
  );

  const paintBadge = (n) => {
    badge.textContent = String(n);
    badge.hidden = n === 0;
  };
  const stopUnread = onUnreadChange(paintBadge);
  paintBadge(unreadCount());

  function openNotice(notice) {
    const { name, args } = parseHash(notice.url || "");
    if (name === "inquiries" && args[0]) {
      // An answer to my inquiry: shown here, under 我的咨询.
      focusInquiry = Number(args[0]);
      show("inquiries");
    } else if (name === "sites" || name === "messages" || name === "consultations") {
      location.hash = notice.url.slice(1);
    }
  }

  function show(key) {
    tab = key;
    token += 1;
    for (const [k, b] of Object.entries(buttons)) b.setAttribute("aria-pressed", String(k === key));
    notices?.destroy();
    notices = null;
    fill(body);
    if (key === "notices") notices = mountNotices(body, { onOpen: openNotice });
    else if (key === "inquiries") loadInquiries();
    else loadSaved();
  }

  async function loadInquiries() {
    const mine = token;
    fill(body, stateView("loading"));
    try {
      const page = await listInquiries({ limit: 50 });
      if (gone || mine !== token) return;
      if (!page.items.length) {
        fill(body, stateView("empty", { title: t("messages.noInquiries"), message: t("messages.noInquiriesHint") }));
        return;
      }
      fill(body, h("ul", { class: "inquiry-list", id: "my-inquiries" }, page.items.map((item) => inquiryCard(item, { siteLink: true }))));
      markSeen("sites.inquiry_answer", page.items.filter((i) => i.answer).map((i) => i.id));
      const card = focusInquiry && body.querySelector(`#inquiry-${focusInquiry}`);
      if (card) {
        card.classList.add("is-focused");
        card.scrollIntoView({ block: "start" });
      }
    } catch (error) {
      if (!gone && mine === token) fill(body, errorView(error, { title: t("messages.inquiriesError"), onRetry: loadInquiries }));
    }
  }

  function savedCard(search) {
    const remove = h("button", { type: "button", class: "btn btn-danger btn-small saved-delete", "aria-label": t("messages.savedDelete", { name: search.name }) }, icon("trash"));
    const li = h(
      "li",
      { class: "card saved-card", dataset: { id: search.id } },
      h("div", { class: "saved-main" }, h("p", { class: "saved-name" }, search.name), h("p", { class: "saved-what" }, describeFilters(normalizeFilters(search.params))), h("p", { class: "saved-at hint" }, formatDateTime(search.created_at))),
      h("div", { class: "saved-actions" }, h("a", { class: "btn btn-secondary btn-small", href: `#/sites?saved=${search.id}` }, icon("map"), t("messages.savedOpen")), remove),
    );
    remove.addEventListener("click", async () => {
      remove.disabled = true;
      try {
        await deleteSavedSearch(search.id);
        li.remove();
        toast(t("messages.savedDeleted"));
        if (!body.querySelector(".saved-card")) loadSaved();
      } catch (error) {
        toast(error.message);
        remove.disabled = false;
      }
    });
    return li;
  }

  async function loadSaved() {
    const mine = token;
    fill(body, stateView("loading"));
    try {
      const { items: searches } = await listSavedSearches();
      if (gone || mine !== token) return;
      if (!searches.length) {
        fill(body, stateView("empty", { title: t("messages.noSaved"), message: t("messages.noSavedHint") }));
        return;
      }
      fill(body, h("p", { class: "hint" }, t("messages.savedIntro")), h("ul", { class: "saved-list", id: "saved-list" }, searches.map(savedCard)));
    } catch (error) {
      if (!gone && mine === token) fill(body, errorView(error, { title: t("messages.savedError"), onRetry: loadSaved }));
    }
  }

  show(focusInquiry ? "inquiries" : tab);
  return () => {
    gone = true;
    stopUnread();
    notices?.destroy();
  };
}
