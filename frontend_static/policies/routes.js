// The policies domain (政策计算器, issue 14 item 4): which policies my company meets, which it
// nearly meets and what is short, which need data — each with its reasons and 咨询. An
// enterprise has it as a tab; staff, managers and admins open it for one enterprise
// (#/policies?enterprise=<id>, from a visit). shell/nav.js explains the fields.

export const routes = {
  policies: {
    screen: () => import("./policies-screen.js"),
    titleKey: "policies.title",
    nav: { labelKey: "tab.policies", icon: "file", order: 45, roles: ["enterprise"] },
    roles: ["enterprise", "staff", "manager", "admin"],
  },
};
