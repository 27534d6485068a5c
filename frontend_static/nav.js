// Which screens exist, who may open them, and each role's bottom tab bar (§8).
// Routes live in location.hash: "#/nearby", "#/me", "#/visit/<ref>", ...
// A route with `tab` belongs to that tab (highlighted, allowed to whoever has it);
// an `open` route is allowed to everyone, logged in or not.

export const ROUTES = {
  login: { screen: "login", titleKey: "login.title", public: true, chrome: false },
  help: { screen: "help", titleKey: "help.title", public: true },
  sites: { screen: "sites", titleKey: "tab.sites", public: true },
  nearby: { screen: "nearby", titleKey: "tab.nearby" },
  visits: { screen: "visits", titleKey: "tab.visits" },
  visit: { screen: "visit", titleKey: "visit.title", tab: "visits" },
  rate: { screen: "rate", titleKey: "rate.title", public: true, open: true, chrome: false },
  messages: { screen: "messages", titleKey: "tab.messages" },
  team: { screen: "team", titleKey: "tab.team" },
  trails: { screen: "trail", titleKey: "tab.trails" },
  // An admin's drill-down from 团队 (admins have no 轨迹 tab); anyone's own trail under 我的.
  "team-trail": { screen: "trail", titleKey: "tab.trails", tab: "team" },
  "my-trail": { screen: "trail", titleKey: "trail.mine", tab: "me" },
  reports: { screen: "reports", titleKey: "tab.reports" },
  "my-sites": { screen: "mysites", titleKey: "tab.mySites" },
  inquiries: { screen: "inquiries", titleKey: "tab.inquiries" },
  me: { screen: "me", titleKey: "me.title" },
  // The first-use notice (app.js sends every route here until it is acknowledged).
  privacy: { screen: "privacy", titleKey: "privacy.title", chrome: false },
};

const TAB = {
  nearby: { route: "nearby", labelKey: "tab.nearby", icon: "pin" },
  visits: { route: "visits", labelKey: "tab.visits", icon: "clipboard" },
  me: { route: "me", labelKey: "tab.me", icon: "user" },
  sites: { route: "sites", labelKey: "tab.sites", icon: "search" },
  messages: { route: "messages", labelKey: "tab.messages", icon: "chat" },
  team: { route: "team", labelKey: "tab.team", icon: "team" },
  trails: { route: "trails", labelKey: "tab.trails", icon: "route" },
  reports: { route: "reports", labelKey: "tab.reports", icon: "chart" },
  mySites: { route: "my-sites", labelKey: "tab.mySites", icon: "building" },
  inquiries: { route: "inquiries", labelKey: "tab.inquiries", icon: "chat" },
  login: { route: "login", labelKey: "tab.login", icon: "login" },
};

const TABS_BY_ROLE = {
  staff: [TAB.nearby, TAB.visits, TAB.me],
  enterprise: [TAB.sites, TAB.messages, TAB.me],
  manager: [TAB.team, TAB.trails, TAB.reports, TAB.me],
  owner: [TAB.mySites, TAB.inquiries, TAB.me],
  admin: [TAB.team, TAB.reports, TAB.sites, TAB.me],
  // Not logged in: anyone may browse the site map (§2 "anonymous").
  anonymous: [TAB.sites, TAB.login],
};

export function tabsFor(role) {
  return TABS_BY_ROLE[role] || TABS_BY_ROLE.anonymous;
}

export function homeFor(role) {
  return role && TABS_BY_ROLE[role] ? TABS_BY_ROLE[role][0].route : "login";
}

/** May a user with this role (null = not logged in) open this route? */
export function allowed(routeName, role) {
  const route = ROUTES[routeName];
  if (!route) return false;
  if (route.open) return true;
  if (!role) return Boolean(route.public);
  if (routeName === "login") return false;
  if (routeName === "help" || routeName === "me" || routeName === "privacy") return true;
  const tabRoute = route.tab || routeName;
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

/** The tab a route lights up in the tab bar. */
export function tabOf(routeName) {
  return (ROUTES[routeName] && ROUTES[routeName].tab) || routeName;
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
