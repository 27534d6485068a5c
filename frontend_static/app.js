// Boot and routing. The screen comes from location.hash ("#/nearby"); the
// role of the current user decides the tab bar and which routes are allowed.

import { onUnauthorized } from "./api.js";
import { applyDocumentLang, onLangChange, t } from "./i18n.js";
import { ROUTES, allowed, homeFor, parseHash, tabOf, tabsFor } from "./nav.js";
import { nextRoute } from "./nav.js";
import { decorateTabs } from "./noticebadge.js";
import { initNet, onNetChange } from "./net.js";
import { initOutbox } from "./outbox.js";
import { requestPersistence } from "./persist.js";
import { flushPendingAcknowledgement, needsNotice } from "./privacy.js";
import * as helpScreen from "./screens/help.js";
import * as loginScreen from "./screens/login.js";
import * as meScreen from "./screens/me.js";
import * as nearbyScreen from "./screens/nearby.js";
import * as privacyScreen from "./screens/privacy.js";
import * as rateScreen from "./screens/rate.js";
import * as reportsScreen from "./screens/reports.js";
import * as teamScreen from "./screens/team.js";
import * as trailScreen from "./screens/trail.js";
import * as visitScreen from "./screens/visit.js";
import * as visitsScreen from "./screens/visits.js";
// Idle-site finder (issue 4)
import * as inquiriesScreen from "./screens/inquiries.js";
import * as messagesScreen from "./screens/messages.js";
import * as mySitesScreen from "./screens/mysites.js";
import * as sitesScreen from "./screens/sites.js";
import { clearUser, currentUser, onUserChange, refreshUser } from "./session.js";
import { closeSheets } from "./sheet.js";
import { registerServiceWorker } from "./sw-register.js";
import { getPendingCount, onPendingChange } from "./syncbadge.js";
import { h, icon, stateView, toast } from "./ui.js";
import { initVisits } from "./visitstore.js";

const SCREENS = {
  login: loginScreen,
  help: helpScreen,
  me: meScreen,
  nearby: nearbyScreen,
  privacy: privacyScreen,
  visits: visitsScreen,
  visit: visitScreen,
  rate: rateScreen,
  // Managers (issue 5)
  team: teamScreen,
  trail: trailScreen,
  reports: reportsScreen,
  // Idle-site finder (issue 4)
  sites: sitesScreen,
  messages: messagesScreen,
  mysites: mySitesScreen,
  inquiries: inquiriesScreen,
};
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

function render() {
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
    const target = next || (role ? homeFor(role) : "login");
    if (name && name !== "login" && role) toast(t("error.route"));
    location.replace(`#/${target}`);
    if (parseHash().name !== target) return; // could not change the URL: stop rather than loop
    return render();
  }
  renderedHash = location.hash;

  closeSheets();
  if (cleanup) {
    try {
      cleanup();
    } catch (error) {
      console.error(error);
    }
    cleanup = null;
  }
  const route = ROUTES[name];
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
  if (chrome) renderTabs(role, tabOf(name));
  if (chrome) decorateTabs(); // unread notices on the inbox tab (issue 4)
  renderSyncBadge();
  if (role && FIELD_ROLES.has(role) && !persistenceAsked) {
    // Once per page load (and requestPersistence asks the browser only once per phone).
    persistenceAsked = true;
    requestPersistence().catch((error) => console.warn("Persistent storage:", error));
  }

  screenEl.replaceChildren();
  screenEl.scrollTop = 0;
  screenEl.dataset.screen = route.screen;
  try {
    cleanup = SCREENS[route.screen].mount(screenEl, { user, role, route, name, args, params, navigate }) || null;
  } catch (error) {
    console.error(error);
    screenEl.replaceChildren(stateView("error", { message: String(error.message || error) }));
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

  if (currentUser()) {
    // Start at once from the remembered user (works offline); check in the background.
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
