// The messages domain's screen: an enterprise's 诉求与消息 (notices, inquiries, saved searches).
// shell/nav.js explains the fields.

export const routes = {
  messages: {
    screen: () => import("./messages-screen.js"),
    titleKey: "tab.messages",
    nav: { labelKey: "tab.messages", icon: "chat", order: 50, roles: ["enterprise"] },
  },
};
