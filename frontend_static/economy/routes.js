// 经济数据 (issue 16): the town's monthly indicators with 环比/同比 like for like, under 报表
// (managers and admins); #/economy-rows?… lists the enterprises behind one figure.
// shell/nav.js explains the fields.

export const routes = {
  economy: { screen: () => import("./economy-screen.js"), titleKey: "tab.economy", tab: "reports", roles: ["manager", "admin"] },
  "economy-rows": { screen: () => import("./rows-screen.js"), titleKey: "tab.economy", tab: "reports", roles: ["manager", "admin"] },
};
