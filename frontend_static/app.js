// Boot and routing. The screen comes from location.hash ("#/nearby"); the
// role of the current user decides the tab bar and which routes are allowed.

import { onUnauthorized } from "./api.js";
import { applyDocumentLang, onLangChange, t } from "./i18n.js";
import { ROUTES, allowed, homeFor, parseHash, tabsFor } from "./nav.js";
import { initNet } from "./net.js";
import * as helpScreen from "./screens/help.js";
import * as loginScreen from "./screens/login.js";
import * as mapScreen from "./screens/map.js";
import * as meScreen from "./screens/me.js";
import * as soonScreen from "./screens/soon.js";
import { clearUser, currentUser, onUserChange, refreshUser } from "./session.js";
import { registerServiceWorker } from "./sw-register.js";
import { getPendingCount, onPendingChange } from "./syncbadge.js";
import { h, icon, stateView, toast } from "./ui.js";

const SCREENS = { login: loginScreen, help: helpScreen, map: mapScreen, me: meScreen, soon: soonScreen };

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
  const { name, params } = parseHash();

  if (!allowed(name, role)) {
    // Unknown route, another role's route, or a private one while logged out.
    const target = role ? homeFor(role) : "login";
    if (name && name !== "login" && role) toast(t("error.route"));
    location.replace(`#/${target}`);
    if (parseHash().name !== target) return; // could not change the URL: stop rather than loop
    return render();
  }
  renderedHash = location.hash;

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
  if (chrome) renderTabs(role, name);
  renderSyncBadge();

  screenEl.replaceChildren();
  screenEl.dataset.screen = route.screen;
  try {
    cleanup = SCREENS[route.screen].mount(screenEl, { user, role, route, name, params, navigate }) || null;
  } catch (error) {
    console.error(error);
    screenEl.replaceChildren(stateView("error", { message: String(error.message || error) }));
  }
}

async function boot() {
  applyDocumentLang();
  initNet();
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
    refreshUser().catch((error) => console.warn("Could not check the session:", error));
  } else {
    // Nobody remembered: ask the server first so a live session skips the login screen.
    try {
      await refreshUser();
    } catch (error) {
      console.warn("Could not check the session:", error);
    }
    onUserChange(render);
    render();
  }

  registerServiceWorker({
    onUpdate: () => toast(t("update.ready"), { duration: 0, action: { label: t("update.reload"), onClick: () => location.reload() } }),
  });
}

boot();
