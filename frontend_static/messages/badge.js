// The unread in-app notices as a badge on the role's inbox tab (enterprise:
// 诉求与消息, owner: 咨询). shell/app.js calls decorateTabs() after drawing the tab
// bar; the count is asked of the server at most once a minute, and screens
// that read or mark notices set it directly.

import { t } from "../common/i18n.js";
import "./strings.js";
import { currentUser, onUserChange } from "../shell/session.js";
import { listNotices } from "./api.js";
import { h } from "../common/ui.js";

const INBOX_ROUTE = { enterprise: "messages", owner: "inquiries" };
const REFRESH_MS = 60_000;

let unread = 0;
let fetchedAt = 0;
let inflight = null;
const listeners = new Set();

onUserChange(() => {
  unread = 0;
  fetchedAt = 0;
});

/** The route of the role's inbox tab, or null. */
export function inboxRoute(role) {
  return INBOX_ROUTE[role] || null;
}

export function unreadCount() {
  return unread;
}

export function onUnreadChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function setUnread(n) {
  const next = Math.max(0, Number(n) || 0);
  fetchedAt = Date.now();
  if (next === unread) return paint();
  unread = next;
  paint();
  for (const fn of listeners) fn(unread);
}

function paint() {
  const user = currentUser();
  const route = user && inboxRoute(user.role);
  const tab = route && document.querySelector(`#tabbar a[data-route="${route}"]`);
  if (!tab) return;
  let badge = tab.querySelector(".tab-badge");
  if (!badge) {
    badge = h("span", { class: "tab-badge", id: "notice-badge", "aria-hidden": "true" });
    tab.append(badge);
  }
  badge.textContent = unread > 99 ? "99+" : String(unread);
  badge.hidden = unread === 0;
  tab.dataset.unread = String(unread);
  const label = tab.querySelector(".tab-label");
  if (label) tab.setAttribute("aria-label", unread ? `${label.textContent} · ${t("notices.unread", { n: unread })}` : label.textContent);
}

/** Ask the server for the unread count (deduplicated); failures keep the last count. */
export function refreshUnread() {
  const user = currentUser();
  if (!user || !inboxRoute(user.role)) return Promise.resolve(0);
  inflight ??= listNotices({ unread_only: true, limit: 1 })
    .then((body) => setUnread(body.unread))
    .catch(() => null)
    .finally(() => {
      inflight = null;
      fetchedAt = Date.now();
    });
  return inflight.then(() => unread);
}

/** After the tab bar is drawn: show the badge, and refresh it when it is old. */
export function decorateTabs() {
  paint();
  if (Date.now() - fetchedAt > REFRESH_MS) refreshUnread();
}
