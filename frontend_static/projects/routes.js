// The investment pipeline (招商项目, issue 15): #/projects is the board (stages by tap on a
// phone, columns side by side on a tablet), #/projects/new a lead (from a visit with
// ?visit=<id>), #/projects/<id> one project, #/projects/packet the 调度会 packet.
// Reached from 我的 and from a visit's record (the tab bars stay as they are). shell/nav.js
// explains the fields.

export const routes = {
  projects: {
    screen: () => import("./projects-screen.js"),
    titleKey: "tab.projects",
    roles: ["staff", "manager", "admin"],
    tab: "me",
  },
};
