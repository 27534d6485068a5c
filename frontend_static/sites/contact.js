// Revealing a site owner's phone. Logged-in users only; every reveal is logged
// and limited by the server (per user, organisation and network; a site seen
// again is not counted twice, but is logged), so a number revealed once is kept
// for this page load and never asked for twice. Anonymous users get a
// login prompt that brings them back to the same site.

import { t } from "../common/i18n.js";
import "./strings.js";
import { onUserChange } from "../shell/session.js";
import { openSheet } from "../common/sheet.js";
import { revealContact } from "./api.js";
import { siteIcon } from "./icons.js";
import { h, icon } from "../common/ui.js";

const revealed = new Map();
const listeners = new Set();

onUserChange((user) => {
  if (!user) revealed.clear();
});

/** The contact already revealed in this page load, or null. */
export function revealedContact(siteId) {
  return revealed.get(Number(siteId)) || null;
}

/** Listen for reveals (a card and the detail sheet show the same number). */
export function onReveal(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** {contact_name, contact_phone, tel_url, ...}; throws ApiError (401, 429 with a Chinese message, offline). */
export async function reveal(siteId) {
  const known = revealedContact(siteId);
  if (known) return known;
  const contact = await revealContact(siteId);
  revealed.set(Number(siteId), contact);
  for (const fn of listeners) fn(Number(siteId), contact);
  return contact;
}

/** Where the login screen should send the user back to. */
export function loginHref(siteId) {
  return `#/login?next=${encodeURIComponent(`sites/${siteId}`)}`;
}

/** "登录后查看联系电话": a link to the login screen that returns to this site. */
export function loginPrompt(siteId, { message, id } = {}) {
  return h(
    "div",
    { class: "site-login-prompt", id, role: "status" },
    h("p", {}, message || t("sites.loginToReveal")),
    h("a", { class: "btn btn-primary btn-block", href: loginHref(siteId), id: id ? `${id}-link` : null }, icon("login"), t("sites.loginButton")),
  );
}

/** The prompt as a small sheet (from a card's call button). */
export function openLoginPrompt(siteId) {
  const sheet = openSheet({ title: t("sites.loginTitle"), id: "site-login-sheet" });
  sheet.setContent(loginPrompt(siteId, { id: "login-prompt" }));
  return sheet;
}

/** A `tel:` link showing the number. */
export function callLink(contact, { id, className = "btn btn-primary" } = {}) {
  const href = contact.tel_url || `tel:${contact.contact_phone}`;
  return h("a", { class: className, href, id, "aria-label": t("sites.callNumber", { phone: contact.contact_phone }) }, siteIcon("phone"), contact.contact_phone);
}
