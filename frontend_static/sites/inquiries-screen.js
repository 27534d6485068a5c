// 咨询 (site owners): enterprises' inquiries about the unit's sites, newest
// first, with an answer form (and the site's status) on each open one; the
// in-app notices (new inquiries, "please confirm your listings") on a second tab.
// #/inquiries/<id> (a notice's link) shows and highlights that inquiry.

import { t } from "../common/i18n.js";
import "./strings.js";
import { inquiryCard } from "./inquirycard.js";
import { onUnreadChange, refreshUnread, unreadCount } from "../messages/badge.js";
import { markSeen, mountNotices } from "../messages/notices.js";
import { getInquiry, listInquiries } from "./api.js";
import { errorView, fill, h, stateView, toast } from "../common/ui.js";

const PAGE = 50;
const FILTERS = ["new", "all", "notices"];

export function mount(el, { args }) {
  const focusId = Number(args[0]) || null;
  let filter = focusId ? "all" : "new";
  let notices = null;
  let gone = false;
  let token = 0;

  const buttons = Object.fromEntries(
    FILTERS.map((key) => [key, h("button", { type: "button", class: "seg", id: `inquiries-${key}`, onclick: () => show(key) }, t(`inquiries.tab.${key}`))]),
  );
  const badge = h("span", { class: "seg-badge", id: "inquiries-notice-count", hidden: true });
  buttons.notices.append(badge);
  const body = h("div", { class: "inquiries-body", id: "inquiries-body" });
  el.append(h("div", { class: "page inquiries" }, h("div", { class: "segmented inquiries-tabs", role: "group", "aria-label": t("inquiries.filterLabel") }, Object.values(buttons)), body));

  function paintBadge(n) {
    badge.textContent = String(n);
    badge.hidden = n === 0;
  }
  const stopUnread = onUnreadChange(paintBadge);
  paintBadge(unreadCount());
  refreshUnread();

  function show(key) {
    filter = key;
    for (const [k, b] of Object.entries(buttons)) b.setAttribute("aria-pressed", String(k === key));
    notices?.destroy();
    notices = null;
    if (key === "notices") {
      fill(body);
      notices = mountNotices(body, { onOpen: openNotice });
      return;
    }
    load();
  }

  function openNotice(notice) {
    if (notice.url && notice.url.startsWith("#/")) location.hash = notice.url.slice(1);
  }

  async function load() {
    const mine = ++token;
    fill(body, stateView("loading", { title: t("inquiries.loading") }));
    try {
      const page = await listInquiries(filter === "new" ? { status: "new", limit: PAGE } : { limit: PAGE });
      let items = page.items;
      if (focusId && !items.some((i) => i.id === focusId)) {
        const one = await getInquiry(focusId).catch(() => null);
        if (one) items = [one, ...items];
      }
      if (gone || mine !== token) return;
      if (!items.length) {
        fill(body, stateView("empty", { title: t(filter === "new" ? "inquiries.emptyNew" : "inquiries.emptyAll"), message: t("inquiries.emptyMessage") }));
        return;
      }
      fill(
        body,
        h("p", { class: "hint", id: "inquiries-count" }, t("inquiries.count", { n: page.count })),
        h(
          "ul",
          { class: "inquiry-list", id: "inquiry-list" },
          items.map((item) => inquiryCard(item, { showPhone: true, onAnswered: () => toast(t("inquiries.answeredToast")) })),
        ),
      );
      markSeen("sites.inquiry", items.map((i) => i.id));
      if (focusId) {
        const card = body.querySelector(`#inquiry-${focusId}`);
        if (card) {
          card.classList.add("is-focused");
          card.scrollIntoView({ block: "start" });
        }
      }
    } catch (error) {
      if (gone || mine !== token) return;
      fill(body, errorView(error, { title: error.offline ? t("inquiries.offlineTitle") : t("inquiries.errorTitle"), onRetry: load }));
    }
  }

  show(filter);
  return () => {
    gone = true;
    stopUnread();
    notices?.destroy();
  };
}
