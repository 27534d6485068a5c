// The in-app inbox (GET /api/notifications): newest first, unread ones marked;
// a tap marks a notice read and follows its link.

import { formatAgo } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { setUnread } from "./badge.js";
import { listNotices, markAllNoticesRead, markNoticeRead } from "./api.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";

const PAGE = 30;

/** mountNotices(parent, {onOpen(notice)}) → {reload(), destroy()} */
export function mountNotices(parent, { onOpen }) {
  const head = h("div", { class: "notices-head" });
  const body = h("div", { class: "notices-body" });
  const section = h("section", { class: "notices", id: "notices" }, head, body);
  parent.append(section);
  let items = [];
  let count = 0;
  let unread = 0;
  let gone = false;

  function item(notice) {
    const isUnread = !notice.read_at;
    const button = h(
      "button",
      { type: "button", class: "notice-main" },
      h("span", { class: "notice-title" }, isUnread ? h("span", { class: "notice-dot", "aria-label": t("notices.unreadOne") }) : null, notice.title),
      notice.body ? h("span", { class: "notice-body" }, notice.body) : null,
      h("span", { class: "notice-at" }, formatAgo(notice.created_at)),
    );
    button.addEventListener("click", async () => {
      if (!notice.read_at) {
        notice.read_at = new Date().toISOString();
        unread = Math.max(0, unread - 1);
        setUnread(unread);
        render();
        markNoticeRead(notice.id).catch(() => null); // read on this phone either way; the server catches up next time
      }
      onOpen(notice);
    });
    return h("li", { class: "card notice-item", dataset: { id: notice.id, unread: String(isUnread), kind: notice.kind } }, button);
  }

  function render() {
    const readAll = h("button", { type: "button", class: "btn btn-ghost btn-small", id: "notices-read-all" }, icon("check"), t("notices.readAll"));
    readAll.addEventListener("click", async () => {
      readAll.disabled = true;
      try {
        await markAllNoticesRead();
        for (const n of items) n.read_at ||= new Date().toISOString();
        unread = 0;
        setUnread(0);
        render();
      } catch (error) {
        toast(error.message);
        readAll.disabled = false;
      }
    });
    fill(head, h("p", { class: "notices-count", id: "notices-unread" }, unread ? t("notices.unread", { n: unread }) : t("notices.allRead")), unread ? readAll : null);
    if (!items.length) {
      fill(body, stateView("empty", { title: t("notices.emptyTitle"), message: t("notices.emptyMessage") }));
      return;
    }
    const more = count > items.length ? h("button", { type: "button", class: "btn btn-secondary btn-block", id: "notices-more", onclick: loadMore }, t("notices.more")) : null;
    fill(body, h("ul", { class: "notice-list", id: "notice-list" }, items.map(item)), more);
  }

  async function load() {
    fill(head);
    fill(body, stateView("loading"));
    try {
      const page = await listNotices({ limit: PAGE });
      if (gone) return;
      ({ items, count, unread } = page);
      setUnread(unread);
      render();
    } catch (error) {
      if (!gone) fill(body, errorView(error, { title: error.offline ? t("notices.offlineTitle") : t("notices.errorTitle"), onRetry: load }));
    }
  }

  async function loadMore(event) {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const page = await listNotices({ limit: PAGE, offset: items.length });
      if (gone) return;
      items = items.concat(page.items);
      count = page.count;
      unread = page.unread;
      render();
    } catch (error) {
      toast(error.message);
      button.disabled = false;
    }
  }

  load();
  return {
    reload: load,
    destroy() {
      gone = true;
    },
  };
}

/**
 * Mark read the unread notices of `kind` whose link is "#/inquiries/<id>" for
 * one of `ids`: the inquiries were just shown, so those notices are seen.
 */
export async function markSeen(kind, ids) {
  const wanted = new Set(ids.map(Number));
  if (!wanted.size) return;
  try {
    const page = await listNotices({ unread_only: true, limit: 100 });
    const seen = page.items.filter((n) => n.kind === kind && wanted.has(Number(((n.url || "").match(/^#\/inquiries\/(\d+)/) || [])[1])));
    if (!seen.length) return;
    const done = await Promise.all(seen.map((n) => markNoticeRead(n.id).then(() => 1, () => 0)));
    setUnread(page.unread - done.reduce((a, b) => a + b, 0));
  } catch {
    // Offline or refused: they stay unread until next time.
  }
}
