// The review domain's screens (managers and admins): 团队, 轨迹, 报表. shell/nav.js explains the fields.

export const routes = {
  team: {
    screen: () => import("./team-screen.js"),
    titleKey: "tab.team",
    nav: { labelKey: "tab.team", icon: "team", order: 10, roles: ["manager", "admin"] },
  },
  trails: {
    screen: () => import("./trail-screen.js"),
    titleKey: "tab.trails",
    nav: { labelKey: "tab.trails", icon: "route", order: 20, roles: ["manager"] },
  },
  // An admin's drill-down from 团队 (admins have no 轨迹 tab); anyone's own trail under 我的.
  "team-trail": { screen: () => import("./trail-screen.js"), titleKey: "tab.trails", tab: "team" },
  "my-trail": { screen: () => import("./trail-screen.js"), titleKey: "trail.mine", tab: "me" },
  reports: {
    screen: () => import("./reports-screen.js"),
    titleKey: "tab.reports",
    nav: { labelKey: "tab.reports", icon: "chart", order: 30, roles: ["manager", "admin"] },
  },
};
