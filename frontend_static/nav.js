// Which screens exist, who may open them, and each role's bottom tab bar (§8).
// Routes live in location.hash: "#/nearby", "#/me", ...

export const ROUTES = {
  login: { screen: "login", titleKey: "login.title", public: true, chrome: false },
  help: { screen: "help", titleKey: "help.title", public: true },
  sites: { screen: "map", titleKey: "tab.sites", public: true, mapMode: "sites" },
  nearby: { screen: "map", titleKey: "tab.nearby", mapMode: "nearby" },
  visits: { screen: "soon", titleKey: "tab.visits", soonKey: "soon.visits", icon: "clipboard" },
  messages: { screen: "soon", titleKey: "tab.messages", soonKey: "soon.messages", icon: "chat" },
  team: { screen: "soon", titleKey: "tab.team", soonKey: "soon.team", icon: "team" },
  trails: { screen: "soon", titleKey: "tab.trails", soonKey: "soon.trails", icon: "route" },
  reports: { screen: "soon", titleKey: "tab.reports", soonKey: "soon.reports", icon: "chart" },
  "my-sites": { screen: "soon", titleKey: "tab.mySites", soonKey: "soon.mySites", icon: "building" },
  inquiries: { screen: "soon", titleKey: "tab.inquiries", soonKey: "soon.inquiries", icon: "chat" },
  me: { screen: "me", titleKey: "me.title" },
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
  admin: [TAB.team, TAB.sites, TAB.me],
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
  if (!role) return Boolean(route.public);
  if (routeName === "login") return false;
  if (routeName === "help" || routeName === "me") return true;
  return tabsFor(role).some((tab) => tab.route === routeName);
}

export function parseHash(hash = location.hash) {
  const path = hash.replace(/^#\/?/, "");
  const [name, query = ""] = path.split("?");
  return { name: name || "", params: new URLSearchParams(query) };
}
