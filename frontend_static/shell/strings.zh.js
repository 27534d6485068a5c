// The shell strings in Simplified Chinese (the default): the app's frame: its name, the tab bar, route titles, updates.
// Only the active language is loaded (shell/strings.js, common/i18n.js); every key is in both files.

export default {
  "tab.nearby": "附近",
  "tab.visits": "走访",
  "tab.me": "我的",
  "tab.sites": "找场地",
  "tab.messages": "诉求与消息",
  "tab.demands": "诉求",
  "tab.demandBoard": "督办看板",
  "tab.economy": "经济指标",
  "tab.demandRates": "按时率",
  "tab.consultations": "咨询",
  "tab.policies": "政策",
  "policies.title": "政策计算器",
  "tab.projects": "招商项目",
  "consultations.title": "在线咨询",
  "tab.team": "团队",
  "tab.trails": "轨迹",
  "tab.reports": "报表",
  "tab.mySites": "我的场地",
  "tab.inquiries": "咨询",
  "tab.login": "登录",
  "tab.join": "企业注册",
  "join.title": "企业注册",
  "joinCompany.title": "企业认证",
  "joinReview.title": "企业认领审核",
  "update.ready": "新版本已就绪",
  "update.reload": "刷新",

  "login.title": "登录店小二",

  "me.title": "我的",

  "help.title": "操作手册",

  "visit.title": "走访记录",

  "rate.title": "走访评价",

  // --- manager screens: 团队 / 轨迹 / 报表 (issue 5) ---
  "trail.mine": "我的轨迹",
  "error.route": "页面不存在，已返回首页",
  "privacy.title": "隐私说明",
};
