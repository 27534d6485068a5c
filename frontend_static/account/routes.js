// The account domain's screens: logging in, 我的, the privacy notice and the manual.
// One entry per route; shell/nav.js explains the fields.

export const routes = {
  login: {
    screen: () => import("./login-screen.js"),
    titleKey: "login.title",
    public: true,
    chrome: false,
    nav: { labelKey: "tab.login", icon: "login", order: 99, roles: ["anonymous"] },
  },
  help: { screen: () => import("./help-screen.js"), titleKey: "help.title", public: true, signedIn: true },
  me: {
    screen: () => import("./me-screen.js"),
    titleKey: "me.title",
    nav: { labelKey: "tab.me", icon: "user", order: 90, roles: ["staff", "enterprise", "manager", "owner", "admin"] },
  },
  // The first-use notice (shell/app.js sends every route here until it is acknowledged).
  privacy: { screen: () => import("./privacy-screen.js"), titleKey: "privacy.title", chrome: false, signedIn: true },
};
