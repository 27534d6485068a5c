// Which screens exist, who may open them, and each role's bottom tab bar (§8), all read
// from the domains' registries (shell/domains.js). Routes live in location.hash:
// "#/nearby", "#/me", "#/visit/<ref>", ...
//
// A route entry (in <domain>/routes.js):
//   screen     () => import("./x-screen.js"): the module, loaded on first use; it exports mount(el, ctx)
//   titleKey   the string key of the top bar's title
//   nav        {labelKey, icon, order, roles}: a tab in the tab bar of these roles ("anonymous" =
//              logged out), ordered by `order`; the route is allowed to them
//   tab        the tab this route belongs to (highlighted, allowed to whoever has that tab)
//   alsoTab    for roles without the route's own tab: the tab it opens under (allowed to them, lit)
//   public     allowed when logged out;  signedIn: allowed to every logged-in role
//   open       allowed to everyone, logged in or not (even before the privacy notice)
//   roles      allowed to these roles only (a screen reached from another, with no tab of its own)
//   chrome     false: no top bar and no tab bar

import { DOMAINS } from "./domains.js";

export const ROLES = ["staff", "enterprise", "manager", "owner", "admin", "anonymous"];

export const ROUTES = {};
for (const [domain, routes] of Object.entries(DOMAINS)) {
  for (const [name, route] of Object.entries(routes)) {
    if (ROUTES[name]) throw new Error(`route ${name} is registered twice`);
    ROUTES[name] = { ...route, domain };
  }
}

const TABS_BY_ROLE = Object.fromEntries(
  ROLES.map((role) => [
    role,
    Object.entries(ROUTES)
      .filter(([, route]) => route.nav && route.nav.roles.includes(role))
      .sort(([, a], [, b]) => a.nav.order - b.nav.order)
      .map(([name, route]) => ({ route: name, labelKey: route.nav.labelKey, icon: route.nav.icon })),
  ]),
);

export function tabsFor(role) {
  return TABS_BY_ROLE[role] || TABS_BY_ROLE.anonymous;
}

/** The first tab of the role; a visitor's is the public site map (with its way to an account), not a login wall. */
export function homeFor(role) {
  const tabs = TABS_BY_ROLE[role || "anonymous"];
  return tabs && tabs.length ? tabs[0].route : "login";
}

/** May a user with this role (null = not logged in) open this route? */
export function allowed(routeName, role) {
  const route = ROUTES[routeName];
  if (!route) return false;
  if (route.open) return true;
  if (!role) return Boolean(route.public);
  if (routeName === "login") return false;
  if (route.roles) return route.roles.includes(role);
  if (route.signedIn) return true;
  return hasTab(role, route.tab || routeName) || Boolean(route.alsoTab && hasTab(role, route.alsoTab));
}

function hasTab(role, tabRoute) {
  return tabsFor(role).some((tab) => tab.route === tabRoute);
}

/**
 * Where to go after logging in, from the login screen's ?next= ("sites/12", "sites?saved=3"):
 * the route when this role may open it, else null (then the role's home).
 */
export function nextRoute(value, role) {
  if (!value || !/^[\w-]+(\/[\w-]+)*(\?[\w=&%.,-]*)?$/.test(value)) return null;
  return allowed(parseHash(`#/${value}`).name, role) ? value : null;
}

/** The tab a route lights up in this role's tab bar. */
export function tabOf(routeName, role) {
  const route = ROUTES[routeName];
  const own = (route && route.tab) || routeName;
  return route && route.alsoTab && role && !hasTab(role, own) ? route.alsoTab : own;
}

/** "#/visit/abc?x=1" → {name: "visit", args: ["abc"], params: URLSearchParams("x=1")} */
export function parseHash(hash = location.hash) {
  const path = hash.replace(/^#\/?/, "");
  const [route, query = ""] = path.split("?");
  const [name = "", ...args] = route.split("/").map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { name, args: args.filter(Boolean), params: new URLSearchParams(query) };
}
