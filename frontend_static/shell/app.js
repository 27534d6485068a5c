// Boot and routing. The screen comes from location.hash ("#/nearby"); the
// role of the current user decides the tab bar and which routes are allowed.
// Screens come from the domains' registries (shell/domains.js) and are imported
// on first use, so the start page loads only the modules its screen needs.

import { onUnauthorized } from "../common/api.js";
import { applyDocumentLang, onLangChange, t } from "../common/i18n.js";
import "./strings.js";
import { ROUTES, allowed, homeFor, nextRoute, parseHash, tabOf, tabsFor } from "./nav.js";
import { decorateTabs } from "../messages/badge.js";
import { initNet, onNetChange } from "../common/net.js";
import { initOutbox } from "../common/outbox.js";
import { requestPersistence } from "../common/persist.js";
import { flushPendingAcknowledgement, needsNotice } from "../account/privacy.js";
import { clearUser, currentUser, onUserChange, refreshUser } from "./session.js";
import { closeSheets } from "../common/sheet.js";
import { registerServiceWorker } from "./sw-register.js";
import { getPendingCount, onPendingChange } from "../common/syncbadge.js";
import { h, icon, stateView, toast } from "../common/ui.js";
import { initVisits } from "../visits/store.js";

// Roles that check in, and so keep an outbox on the phone.
const FIELD_ROLES = new Set(["staff", "manager"]);
let persistenceAsked = false;

const app = document.getElementById("app");
const screenEl = document.getElementById("screen");
const titleEl = document.getElementById("title");
const tabbar = document.getElementById("tabbar");
const helpLink = document.getElementById("help-link");
const syncBadge = document.getElementById("sync-badge");

let cleanup = null;
let renderedHash = null;
// Each render gets a number; a screen module that arrives after the user moved on is not mounted.
let renderSeq = 0;

export function navigate(name) {
  const hash = `#/${name}`;
  if (location.hash === hash) render();
  else location.hash = hash; // hashchange renders
}

function renderTabs(role, current) {
  const tabs = tabsFor(role);
  tabbar.replaceChildren(
    ...tabs.map((tab) =>
      h(
        "a",
        {
          class: "tab",
          href: `#/${tab.route}`,
          dataset: { route: tab.route },
          "aria-current": tab.route === current ? "page" : false,
        },
        icon(tab.icon, "tab-icon"),
        h("span", { class: "tab-label" }, t(tab.labelKey)),
      ),
    ),
  );
  tabbar.setAttribute("aria-label", t("app.name"));
  tabbar.dataset.role = role || "anonymous";
  tabbar.style.setProperty("--tabs", String(tabs.length));
}

function renderSyncBadge() {
  const n = getPendingCount();
  syncBadge.dataset.count = String(n);
  syncBadge.hidden = n === 0 || !currentUser();
  syncBadge.replaceChildren(icon("cloud", "badge-icon"), h("span", { class: "badge-count" }, String(n)));
  syncBadge.title = t("sync.pending", { n });
  syncBadge.setAttribute("aria-label", t("sync.pending", { n }));
}

async function render() {
  const user = currentUser();
  const role = user ? user.role : null;
  const { name, args, params } = parseHash();

  if (needsNotice(user) && name !== "privacy" && !(ROUTES[name] && ROUTES[name].open)) {
    // First use (or a new version of the notice): read it before anything else,
    // then carry on to where the user was going.
    const next = name === "login" ? params.get("next") : location.hash.replace(/^#\/?/, "");
    location.replace(`#/privacy${next ? `?next=${encodeURIComponent(next)}` : ""}`);
    if (parseHash().name !== "privacy") return;
    return render();
  }
  if (!allowed(name, role)) {
    // Unknown route, another role's route, or a private one while logged out.
    // After logging in from a prompt ("#/login?next=sites/12"): back to where the user was.
    const next = name === "login" && role ? nextRoute(params.get("next"), role) : null;
    // A visitor starts on the public site map; a private screen asks them to log in and comes back.
    const target = next || (role ? homeFor(role) : ROUTES[name] ? `login?next=${encodeURIComponent(location.hash.replace(/^#\/?/, ""))}` : homeFor(null));
    if (name && name !== "login" && role) toast(t("error.route"));
    location.replace(`#/${target}`);
    if (parseHash().name !== parseHash(`#/${target}`).name) return; // could not change the URL: stop rather than loop
    return render();
  }
  renderedHash = location.hash;
  const seq = ++renderSeq;
  const route = ROUTES[name];
  let screen;
  try {
    screen = await route.screen();
  } catch (error) {
    // Not cached and offline, or a deploy removed the file: say so rather than hang on the spinner.
    console.error(error);
    if (seq !== renderSeq) return;
    unmount();
    screenEl.replaceChildren(stateView("error", { message: String(error.message || error) }));
    return;
  }
  if (seq !== renderSeq) return;

  unmount();
  const chrome = route.chrome !== false;
  app.dataset.state = "ready";
  app.dataset.route = name;
  app.dataset.role = role || "anonymous";
  app.dataset.chrome = chrome ? "full" : "none";
  document.title = `${t(route.titleKey)} · ${t("app.name")}`;
  titleEl.textContent = t(route.titleKey);
  helpLink.hidden = !chrome || name === "help";
  helpLink.replaceChildren(icon("help"));
  helpLink.setAttribute("aria-label", t("help.title"));
  helpLink.title = t("help.title");
  tabbar.hidden = !chrome;
  if (chrome) renderTabs(role, tabOf(name, role));
  if (chrome) decorateTabs(); // unread notices on the inbox tab (issue 4)
  renderSyncBadge();
  if (role && FIELD_ROLES.has(role) && !persistenceAsked) {
    // Once per page load (and requestPersistence asks the browser only once per phone).
    persistenceAsked = true;
    requestPersistence().catch((error) => console.warn("Persistent storage:", error));
  }

  screenEl.replaceChildren();
  screenEl.scrollTop = 0;
  screenEl.dataset.screen = name;
  try {
    cleanup = screen.mount(screenEl, { user, role, route, name, args, params, navigate }) || null;
  } catch (error) {
    console.error(error);
    screenEl.replaceChildren(stateView("error", { message: String(error.message || error) }));
  }
}

/** Close the open sheets and let the current screen stop its timers and watchers. */
function unmount() {
  closeSheets();
  if (cleanup) {
    try {
      cleanup();
    } catch (error) {
      console.error(error);
    }
    cleanup = null;
  }
}

async function boot() {
  applyDocumentLang();
  initNet();
  // The outbox starts at once: whatever waits from an earlier session is sent (§6).
  initVisits();
  initOutbox();
  onLangChange(render);
  onPendingChange(renderSyncBadge);
  onUnauthorized(() => {
    if (currentUser()) {
      clearUser();
      toast(t("error.unauthorized"));
    }
  });
  window.addEventListener("hashchange", () => {
    if (location.hash !== renderedHash) render();
  });
  // Routes are followed from here on, even while the session check below is on its way.
  // (The load event may come earlier: the modules wait for their strings before boot runs.)
  app.dataset.state = "starting";

  if (currentUser()) {
    // Start at once from the remembered user (works offline); check in the background.
    render();
    onUserChange(render);
    refreshUser()
      .then(flushPendingAcknowledgement)
      .catch((error) => console.warn("Could not check the session:", error));
  } else if (document.documentElement.hasAttribute("data-visitor")) {
    // The server drew this page for a request without a session (and preloaded the visitor's
    // start screen): draw it at once rather than after /api/auth/me. The check still runs, for
    // a copy of the page the service worker kept from before a login.
    render();
    onUserChange(render);
    refreshUser()
      .then(flushPendingAcknowledgement)
      .catch((error) => console.warn("Could not check the session:", error));
  } else {
    // Nobody remembered: ask the server first so a live session skips the login screen.
    try {
      await refreshUser();
    } catch (error) {
      console.warn("Could not check the session:", error);
    }
    onUserChange(render);
    // On a slow line the user may already be typing into a screen drawn on a
    // hashchange during the wait (the login form): drawing it again would wipe it.
    if (currentUser() || renderedHash !== location.hash) render();
    flushPendingAcknowledgement();
  }
  onNetChange((online) => online && flushPendingAcknowledgement());

  registerServiceWorker({
    onUpdate: () => toast(t("update.ready"), { duration: 0, action: { label: t("update.reload"), onClick: () => location.reload() } }),
  });
}

boot();
