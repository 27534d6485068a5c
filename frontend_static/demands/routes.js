// The demands domain (诉求台账, issue 13 item 7): one route for the list, raising one
// (#/demands/new) and one demand (#/demands/<id>, the notices' deep link).
// Staff, managers and admins have it as a tab; an enterprise reaches it from its
// 诉求与消息 tab (alsoTab), which stays lit. shell/nav.js explains the fields.

export const routes = {
  demands: {
    screen: () => import("./demands-screen.js"),
    titleKey: "tab.demands",
    nav: { labelKey: "tab.demands", icon: "clipboard", order: 45, roles: ["staff", "manager", "admin"] },
    alsoTab: "messages",
  },
};
