// The idle-site domain's screens: 找场地 (anyone, even logged out), and a site owner's 我的场地 and 咨询.
// shell/nav.js explains the fields.

export const routes = {
  sites: {
    screen: () => import("./sites-screen.js"),
    titleKey: "tab.sites",
    public: true,
    // First for an enterprise and a visitor; after 团队 and 报表 for an admin.
    nav: { labelKey: "tab.sites", icon: "search", order: 40, roles: ["enterprise", "admin", "anonymous"] },
  },
  "my-sites": {
    screen: () => import("./mysites-screen.js"),
    titleKey: "tab.mySites",
    nav: { labelKey: "tab.mySites", icon: "building", order: 10, roles: ["owner"] },
  },
  inquiries: {
    screen: () => import("./inquiries-screen.js"),
    titleKey: "tab.inquiries",
    nav: { labelKey: "tab.inquiries", icon: "chat", order: 20, roles: ["owner"] },
  },
};
