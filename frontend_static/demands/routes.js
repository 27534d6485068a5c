// The demands domain (诉求台账, issue 13 item 7): one route for the list, raising one
// (#/demands/new) and one demand (#/demands/<id>, the notices' deep link).
// Staff, managers and admins have it as a tab; an enterprise reaches it from its
// 诉求与消息 tab (alsoTab), which stays lit. shell/nav.js explains the fields.
// Managers and admins also have the 督办看板 (#/demand-board, and #/demand-board/list?…
// for the demands behind a figure) and the on-time rates (#/demand-rates), under 诉求.

export const routes = {
  demands: {
    screen: () => import("./demands-screen.js"),
    titleKey: "tab.demands",
    nav: { labelKey: "tab.demands", icon: "clipboard", order: 45, roles: ["staff", "manager", "admin"] },
    alsoTab: "messages",
  },
  "demand-board": {
    screen: () => import("./board-screen.js"),
    titleKey: "tab.demandBoard",
    tab: "demands",
    roles: ["manager", "admin"],
  },
  "demand-rates": {
    screen: () => import("./rates-screen.js"),
    titleKey: "tab.demandRates",
    tab: "demands",
    roles: ["manager", "admin"],
  },
};
