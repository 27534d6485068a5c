// The joining domain's screens (企业入驻): a new company registers with its mobile, claims
// itself, and staff verify the claim. shell/nav.js explains the fields.

export const routes = {
  // A visitor's way to an account, next to 找场地 and 登录 in their tab bar.
  join: {
    screen: () => import("./register-screen.js"),
    titleKey: "join.title",
    public: true,
    nav: { labelKey: "tab.join", icon: "building", order: 60, roles: ["anonymous"] },
  },
  // Claim the company, then its status (待核实 / 已通过 / 未通过); reached from 注册 and from 我的.
  "join-company": { screen: () => import("./company-screen.js"), titleKey: "joinCompany.title", roles: ["enterprise"], tab: "me" },
  // 企业认领审核: the claims in the reviewer's scope; reached from 我的.
  "join-review": { screen: () => import("./review-screen.js"), titleKey: "joinReview.title", roles: ["staff", "manager", "admin"], tab: "me" },
};
