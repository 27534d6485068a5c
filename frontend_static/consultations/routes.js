// The consultations domain (在线咨询, issue 13 items 4 and 7): the list (#/consultations),
// asking (#/consultations/new) and one consultation with its thread (#/consultations/<id>,
// the notices' deep link). Staff, managers and admins have it as a tab (待我回复); an
// enterprise reaches it from its 诉求与消息 tab (alsoTab), which stays lit. shell/nav.js
// explains the fields.

export const routes = {
  consultations: {
    screen: () => import("./consultations-screen.js"),
    titleKey: "consultations.title",
    nav: { labelKey: "tab.consultations", icon: "help", order: 47, roles: ["staff", "manager", "admin"] },
    alsoTab: "messages",
  },
};
