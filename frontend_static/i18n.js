// i18n: every string the user sees comes from here. Simplified Chinese is the
// default; English is a switch on 我的 (and on the login screen), kept in localStorage.

const STORAGE_KEY = "dxe.lang";
export const LANGS = ["zh-CN", "en"];

const zh = {
  "app.name": "店小二",
  "app.loading": "正在加载…",
  "app.tagline": "镇营商服务 · 走访打卡 · 闲置场地",

  "role.staff": "招商干部/网格员",
  "role.manager": "科室负责人",
  "role.enterprise": "企业用户",
  "role.owner": "资源持有单位",
  "role.admin": "管理员",
  "role.anonymous": "游客",

  "tab.nearby": "附近",
  "tab.visits": "走访",
  "tab.me": "我的",
  "tab.sites": "找场地",
  "tab.messages": "诉求与消息",
  "tab.team": "团队",
  "tab.trails": "轨迹",
  "tab.reports": "报表",
  "tab.mySites": "我的场地",
  "tab.inquiries": "咨询",
  "tab.login": "登录",
  "tab.help": "操作手册",

  "state.loading": "正在加载…",
  "state.empty": "暂无内容",
  "state.error": "出错了",
  "state.offline": "当前离线",
  "state.offlineHint": "联网后会自动恢复。已缓存的内容仍可查看。",
  "state.retry": "重试",
  "state.soon": "即将上线",

  "net.offline": "网络已断开：正在使用离线数据",
  "net.back": "网络已恢复",
  "sync.pending": "待同步 {n} 条",
  "sync.pendingShort": "待同步",
  "sync.none": "没有待同步的记录",
  "update.ready": "新版本已就绪",
  "update.reload": "刷新",

  "login.title": "登录店小二",
  "login.tabPassword": "账号密码",
  "login.tabSms": "手机验证码",
  "login.username": "用户名",
  "login.password": "密码",
  "login.showPassword": "显示密码",
  "login.submit": "登录",
  "login.submitting": "正在登录…",
  "login.mobile": "手机号码",
  "login.code": "验证码",
  "login.sendCode": "获取验证码",
  "login.sending": "正在发送…",
  "login.resendIn": "{n} 秒后重发",
  "login.codeSent": "验证码已发送，{m} 分钟内有效",
  "login.smsHint": "手机验证码登录仅限已登记的企业用户。",
  "login.needUsername": "请输入用户名",
  "login.needPassword": "请输入密码",
  "login.badMobile": "请输入11位中国大陆手机号码",
  "login.badCode": "请输入6位数字验证码",
  "login.offline": "当前离线，无法登录。请联网后再试。",
  "login.browse": "先看看闲置场地地图",
  "login.welcome": "欢迎，{name}",

  "map.loading": "正在加载地图…",
  "map.emptyTitle": "暂无地图数据",
  "map.emptyMessage": "还没有导入镇界和道路数据，请联系管理员。",
  "map.errorTitle": "地图加载失败",
  "map.offlineTitle": "离线且没有缓存的地图",
  "map.offlineMessage": "请联网后打开一次地图，之后离线也能查看。",
  "map.cached": "离线：显示的是缓存的地图",
  "map.layerBoundary": "镇界",
  "map.layerRoads": "道路",
  "map.nearbySoon": "附近企业列表与签到即将上线",
  "map.sitesSoon": "闲置场地图层即将上线",
  "map.zoomIn": "放大",
  "map.zoomOut": "缩小",

  "soon.visits": "我的走访记录、签到签退和离线同步将在这里显示。",
  "soon.messages": "企业的诉求办理进度、咨询回复和政策消息将在这里显示。",
  "soon.team": "团队成员、走访统计和覆盖率将在这里显示。",
  "soon.trails": "每位干部一天的走访轨迹、时间线和异常标记将在这里显示。",
  "soon.reports": "走访、覆盖率、评价的统计报表和环比/同比将在这里显示。",
  "soon.mySites": "本单位的闲置场地登记、状态和照片将在这里管理。",
  "soon.inquiries": "企业对本单位场地的咨询将在这里显示。",

  "me.title": "我的",
  "me.account": "账号",
  "me.role": "角色",
  "me.unit": "所属单位",
  "me.language": "语言 / Language",
  "me.langZh": "中文",
  "me.langEn": "English",
  "me.help": "操作手册",
  "me.logout": "退出登录",
  "me.loggingOut": "正在退出…",
  "me.logoutOffline": "当前离线，无法退出登录。请联网后再试。",
  "me.sync": "离线记录",
  "me.version": "版本",
  "me.login": "登录",

  "help.title": "操作手册",
  "help.intro": "店小二是镇营商服务团队和企业共用的手机应用。下面按页面说明用法。",
  "help.login.title": "登录",
  "help.login.body": "干部、负责人、资源持有单位和管理员用“账号密码”登录；企业用户也可以选“手机验证码”，输入登记的手机号码，点“获取验证码”，收到短信后输入6位验证码登录。连续输错密码会被暂时锁定，请按提示的时间后再试。",
  "help.nearby.title": "附近",
  "help.nearby.body": "干部的首页。地图显示镇界和道路，没有网络底图时也能看。之后会按距离列出附近企业，到企业门口点“签到”即可打卡，签到前会显示与企业的距离和定位精度。",
  "help.visits.title": "走访",
  "help.visits.body": "查看自己的走访记录。离线时的签到会先保存在手机上，联网后自动上传，页面顶部的“待同步”数字表示还有几条没有上传，不会丢失也不会重复。",
  "help.sites.title": "找场地",
  "help.sites.body": "在地图上查找村、镇集体的闲置厂房、办公、仓库、商铺和土地，直接联系资源持有单位，不收中介费。可以按类型、面积、租金筛选。",
  "help.messages.title": "诉求与消息",
  "help.messages.body": "企业提交的诉求和咨询在这里跟踪办理进度，政府推送的惠企政策也在这里查看。咨询会在2个工作日内答复。",
  "help.team.title": "团队",
  "help.team.body": "负责人查看本科室成员的走访次数、覆盖企业数、覆盖率、评价和未办结诉求。",
  "help.trails.title": "轨迹",
  "help.trails.body": "负责人按天查看每位干部的走访轨迹和时间线，系统会标出可疑的签到（如超出范围、定位精度差、移动过快）。每次查看都会留痕，干部本人可以看到谁查看过。",
  "help.reports.title": "报表",
  "help.reports.body": "按月查看走访、覆盖率、评价等统计，包括环比和同比变化，并可导出报表。",
  "help.mySites.title": "我的场地",
  "help.mySites.body": "资源持有单位维护本单位的闲置场地：状态（空置、洽谈中、已出租）、面积、租金、照片和联系人。",
  "help.inquiries.title": "咨询",
  "help.inquiries.body": "资源持有单位查看企业对本单位场地的咨询并及时回复。",
  "help.me.title": "我的",
  "help.me.body": "查看自己的账号和单位，切换中文或英文界面，打开本操作手册，或退出登录。在公用手机上用完请退出登录。",
  "help.offline.title": "离线使用",
  "help.offline.body": "打开过一次之后，没有网络也能打开店小二并查看缓存的地图。页面顶部出现“网络已断开”时，需要联网的操作会暂时不可用。",

  "error.network": "网络连接失败，请检查网络后重试",
  "error.timeout": "网络响应超时，请稍后重试",
  "error.notJson": "网络返回了意外的页面（可能需要先登录公共 Wi-Fi），请检查网络后重试",
  "error.server": "服务器出错（{status}），请稍后再试",
  "error.http": "请求失败（{status}）",
  "error.unauthorized": "登录已过期，请重新登录",
  "error.forbidden": "没有权限进行此操作",
  "error.notFound": "没有找到相关内容",
  "error.mapLib": "地图组件加载失败，请刷新页面重试",
  "error.route": "页面不存在，已返回首页",
  "noscript": "店小二需要启用 JavaScript。",
};

const en = {
  "app.name": "Dianxiaoer",
  "app.loading": "Loading…",
  "app.tagline": "Town business service · Field visits · Idle sites",

  "role.staff": "Field staff",
  "role.manager": "Team manager",
  "role.enterprise": "Enterprise user",
  "role.owner": "Site owner",
  "role.admin": "Administrator",
  "role.anonymous": "Guest",

  "tab.nearby": "Nearby",
  "tab.visits": "Visits",
  "tab.me": "Me",
  "tab.sites": "Sites",
  "tab.messages": "Requests",
  "tab.team": "Team",
  "tab.trails": "Trails",
  "tab.reports": "Reports",
  "tab.mySites": "My sites",
  "tab.inquiries": "Inquiries",
  "tab.login": "Log in",
  "tab.help": "User guide",

  "state.loading": "Loading…",
  "state.empty": "Nothing here yet",
  "state.error": "Something went wrong",
  "state.offline": "You are offline",
  "state.offlineHint": "It will recover when you are back online. Cached content is still available.",
  "state.retry": "Retry",
  "state.soon": "Coming soon",

  "net.offline": "Offline: showing saved data",
  "net.back": "Back online",
  "sync.pending": "{n} waiting to sync",
  "sync.pendingShort": "To sync",
  "sync.none": "Nothing waiting to sync",
  "update.ready": "A new version is ready",
  "update.reload": "Reload",

  "login.title": "Log in to Dianxiaoer",
  "login.tabPassword": "Password",
  "login.tabSms": "SMS code",
  "login.username": "Username",
  "login.password": "Password",
  "login.showPassword": "Show password",
  "login.submit": "Log in",
  "login.submitting": "Logging in…",
  "login.mobile": "Mobile number",
  "login.code": "Code",
  "login.sendCode": "Send code",
  "login.sending": "Sending…",
  "login.resendIn": "Resend in {n} s",
  "login.codeSent": "Code sent, valid for {m} minutes",
  "login.smsHint": "SMS login is for registered enterprise users only.",
  "login.needUsername": "Enter your username",
  "login.needPassword": "Enter your password",
  "login.badMobile": "Enter an 11-digit mainland China mobile number",
  "login.badCode": "Enter the 6-digit code",
  "login.offline": "You are offline and cannot log in. Try again when online.",
  "login.browse": "Browse the idle-site map first",
  "login.welcome": "Welcome, {name}",

  "map.loading": "Loading the map…",
  "map.emptyTitle": "No map data",
  "map.emptyMessage": "The town boundary and roads have not been imported yet. Ask an administrator.",
  "map.errorTitle": "The map could not be loaded",
  "map.offlineTitle": "Offline, and no saved map",
  "map.offlineMessage": "Open the map once while online; after that it works offline too.",
  "map.cached": "Offline: showing the saved map",
  "map.layerBoundary": "Town boundary",
  "map.layerRoads": "Roads",
  "map.nearbySoon": "Nearby enterprises and check-in are coming soon",
  "map.sitesSoon": "The idle-site layer is coming soon",
  "map.zoomIn": "Zoom in",
  "map.zoomOut": "Zoom out",

  "soon.visits": "Your visit records, check-ins and check-outs, and offline sync will appear here.",
  "soon.messages": "Progress on your requests, answers to consultations and policy notices will appear here.",
  "soon.team": "Team members, visit statistics and coverage will appear here.",
  "soon.trails": "Each staff member's daily visit trail, timeline and flags will appear here.",
  "soon.reports": "Reports on visits, coverage and ratings with month-on-month and year-on-year change will appear here.",
  "soon.mySites": "Your unit's idle-site listings, status and photos will be managed here.",
  "soon.inquiries": "Inquiries from enterprises about your sites will appear here.",

  "me.title": "Me",
  "me.account": "Account",
  "me.role": "Role",
  "me.unit": "Unit",
  "me.language": "语言 / Language",
  "me.langZh": "中文",
  "me.langEn": "English",
  "me.help": "User guide",
  "me.logout": "Log out",
  "me.loggingOut": "Logging out…",
  "me.logoutOffline": "You are offline and cannot log out. Try again when online.",
  "me.sync": "Offline records",
  "me.version": "Version",
  "me.login": "Log in",

  "help.title": "User guide",
  "help.intro": "Dianxiaoer is the phone app shared by the town's business-service team and local enterprises. Each screen is explained below.",
  "help.login.title": "Log in",
  "help.login.body": "Staff, managers, site owners and administrators log in with username and password. Enterprise users can also choose “SMS code”: enter the registered mobile number, tap “Send code” and type the 6-digit code. Too many wrong passwords lock the account for a while.",
  "help.nearby.title": "Nearby",
  "help.nearby.body": "The staff home screen. The map shows the town boundary and roads even without a base map. Nearby enterprises sorted by distance and one-tap check-in will follow.",
  "help.visits.title": "Visits",
  "help.visits.body": "Your visit records. Check-ins made offline are kept on the phone and uploaded when online; the “To sync” number shows how many are still waiting. Nothing is lost or duplicated.",
  "help.sites.title": "Sites",
  "help.sites.body": "Find idle factories, offices, warehouses, shops and land held by village and town collectives, and contact the owner directly, with no broker fees.",
  "help.messages.title": "Requests",
  "help.messages.body": "Track the requests and consultations your enterprise submitted, and read policy notices. Consultations are answered within 2 working days.",
  "help.team.title": "Team",
  "help.team.body": "Managers see their team's visits, enterprises covered, coverage, ratings and open requests.",
  "help.trails.title": "Trails",
  "help.trails.body": "Managers review each staff member's daily trail and timeline; suspicious check-ins are flagged. Every view is logged and staff can see who looked.",
  "help.reports.title": "Reports",
  "help.reports.body": "Monthly statistics with month-on-month and year-on-year change, and exports.",
  "help.mySites.title": "My sites",
  "help.mySites.body": "Site owners keep their unit's idle sites up to date: status, area, rent, photos and contact.",
  "help.inquiries.title": "Inquiries",
  "help.inquiries.body": "Site owners read and answer inquiries about their sites.",
  "help.me.title": "Me",
  "help.me.body": "Your account and unit, the language switch, this guide, and log out. Log out on shared phones.",
  "help.offline.title": "Offline use",
  "help.offline.body": "After one visit the app opens without a network and shows the saved map. When the offline banner shows, actions that need the network are unavailable.",

  "error.network": "Network error. Check your connection and try again.",
  "error.timeout": "The network timed out. Try again later.",
  "error.notJson": "The network returned an unexpected page (a Wi-Fi login page?). Check your connection and try again.",
  "error.server": "Server error ({status}). Try again later.",
  "error.http": "Request failed ({status})",
  "error.unauthorized": "Your session has expired. Please log in again.",
  "error.forbidden": "You are not allowed to do this",
  "error.notFound": "Not found",
  "error.mapLib": "The map component failed to load. Reload the page.",
  "error.route": "That page does not exist; back to home",
  "noscript": "Dianxiaoer needs JavaScript.",
};

const DICTS = { "zh-CN": zh, en };

function storedLang() {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(value) ? value : null;
  } catch {
    return null;
  }
}

let current = storedLang() || "zh-CN";
const listeners = new Set();

export function getLang() {
  return current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or full storage: the switch still works for this page.
  }
  applyDocumentLang();
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The value for `key` in the current language, with {name} placeholders filled in. */
export function t(key, params) {
  const text = DICTS[current][key] ?? zh[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** For HTTP Accept-Language, so the server can answer in the same language. */
export function acceptLanguage() {
  return current === "en" ? "en" : "zh-Hans,zh-CN;q=0.9";
}

export function applyDocumentLang() {
  document.documentElement.lang = current;
}
