// The shell strings in English: the app's frame: its name, the tab bar, route titles, updates.
// Only the active language is loaded (shell/strings.js, common/i18n.js); every key is in both files.

export default {
  "tab.nearby": "Nearby",
  "tab.visits": "Visits",
  "tab.me": "Me",
  "tab.sites": "Sites",
  "tab.messages": "Requests",
  "tab.demands": "Demands",
  "tab.demandBoard": "Overdue board",
  "tab.economy": "Economic indicators",
  "tab.demandRates": "On-time rates",
  "tab.consultations": "Questions",
  "tab.policies": "Policies",
  "policies.title": "Policy check",
  "tab.projects": "Projects",
  "consultations.title": "Ask us",
  "tab.team": "Team",
  "tab.trails": "Trails",
  "tab.reports": "Reports",
  "tab.mySites": "My sites",
  "tab.inquiries": "Inquiries",
  "tab.login": "Log in",
  "tab.join": "Register",
  "join.title": "Register a company",
  "joinCompany.title": "Company verification",
  "joinReview.title": "Company claims",
  "update.ready": "A new version is ready",
  "update.reload": "Reload",

  "login.title": "Log in to Dianxiaoer",

  "me.title": "Me",

  "help.title": "User guide",

  "visit.title": "Visit",

  "rate.title": "Rate the visit",

  // --- manager screens: Team / Trails / Reports (issue 5) ---
  "trail.mine": "My trail",
  "error.route": "That page does not exist; back to home",
  "privacy.title": "Privacy notice",
};
