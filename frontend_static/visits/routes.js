// The visits domain's screens: 附近 (check in), 走访 (the staff member's visits), one visit, and
// the enterprise's rating page reached from a link. shell/nav.js explains the fields.

export const routes = {
  nearby: {
    screen: () => import("./nearby-screen.js"),
    titleKey: "tab.nearby",
    nav: { labelKey: "tab.nearby", icon: "pin", order: 10, roles: ["staff"] },
  },
  visits: {
    screen: () => import("./visits-screen.js"),
    titleKey: "tab.visits",
    nav: { labelKey: "tab.visits", icon: "clipboard", order: 20, roles: ["staff"] },
  },
  visit: { screen: () => import("./visit-screen.js"), titleKey: "visit.title", tab: "visits" },
  rate: { screen: () => import("./rate-screen.js"), titleKey: "rate.title", public: true, open: true, chrome: false },
};
