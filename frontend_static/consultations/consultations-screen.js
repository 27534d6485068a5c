// #/consultations: the list for the caller's role; #/consultations/new asks; #/consultations/<id> is one.
//   enterprise  我的咨询: what it asked, newest first, and 提问
//   staff       待我回复 (waiting, due soonest first, overdue marked), 全部咨询
//   manager     待我回复, 本部门待回复 (the unit's, due soonest first), 全部咨询
//   admin       待我回复, 全部待回复, 全部咨询
// The last list seen is kept on the phone (per user, dropped at logout) and shown when
// offline — the demands list's approach (demands/demands-screen.js).

import { t } from "../common/i18n.js";
import "./strings.js";
import { listConsultations } from "./api.js";
import { answerByLine, isOverdue, statusChip } from "./parts.js";
import { mountDetail } from "./detail.js";
import { mountAsk } from "./ask.js";
import { formatDateTime } from "../common/format.js";
import { fill, h, icon, stateView } from "../common/ui.js";
import { listCache, tabLoader } from "../common/listcache.js";
import { onUserChange } from "../shell/session.js";

const cache = listCache("dxe.consultations");

onUserChange((user) => {
  if (!user) cache.clear();
});

const TABS_BY_ROLE = {
  enterprise: ["mine"],
  staff: ["due", "all"],
  manager: ["due", "unit", "all"],
  admin: ["due", "waiting", "all"],
};

// The server orders them (order=due: soonest answer-by first), so a page never drops the oldest.
const QUERY = {
  mine: {},
  due: { held_by_me: "true", status: "waiting", order: "due" },
  unit: { status: "waiting", order: "due" },
  waiting: { status: "waiting", order: "due" },
  all: {},
};

export function consultationCard(c, { forStaff }) {
  return h(
    "li",
    {},
    h(
      "a",
      { class: `card item-card cs-card${isOverdue(c) ? " is-overdue" : ""}`, id: `consultation-${c.id}`, href: `#/consultations/${c.id}`, dataset: { status: c.status } },
      h("div", { class: "item-card-head" }, h("span", { class: "chip chip-small" }, c.category_label), statusChip(c)),
      forStaff && c.enterprise_name ? h("p", { class: "item-card-ent" }, c.enterprise_name) : null,
      h("p", { class: "cs-card-subject" }, c.subject),
      h("p", { class: "cs-card-meta hint" }, answerByLine(c)),
      h("p", { class: "cs-card-meta hint" }, forStaff ? `${c.asked_by_name} · ${formatDateTime(c.created_at)}` : t("consultations.official", { name: c.official_name })),
    ),
  );
}

export function mount(el, ctx) {
  const { args } = ctx;
  if (args[0] === "new") return mountAsk(el, ctx);
  if (/^\d+$/.test(args[0] || "")) return mountDetail(el, ctx, Number(args[0]));
  return mountList(el, ctx);
}

function mountList(el, { user, role, params }) {
  const tabs = TABS_BY_ROLE[role] || ["mine"];
  const forStaff = role !== "enterprise";
  let tab = tabs.includes(params.get("tab")) ? params.get("tab") : tabs[0];
  const body = h("div", { class: "cs-body", id: "consultations-body", "aria-live": "polite" });
  const loader = tabLoader({ cache, body, fetchPage: (signal) => listConsultations({ ...QUERY[tab], limit: 100 }, { signal }), paint, errorTitle: t("consultations.listError") });
  const buttons = Object.fromEntries(
    tabs.map((key) => [key, h("button", { type: "button", class: "seg", id: `consultations-tab-${key}`, onclick: () => show(key) }, t(`consultations.tab.${key}`))]),
  );
  el.append(
    h(
      "div",
      { class: "page consultations" },
      tabs.length > 1 ? h("div", { class: "segmented list-tabs", role: "group", "aria-label": t("consultations.tabsLabel") }, Object.values(buttons)) : h("p", { class: "hint cs-intro" }, t("consultations.intro")),
      body,
      forStaff ? null : h("div", { class: "sticky-actions" }, h("a", { class: "btn btn-primary btn-block", id: "consultation-ask", href: "#/consultations/new" }, icon("plus"), t("consultations.ask"))),
    ),
  );

  function show(key) {
    tab = key;
    for (const [k, b] of Object.entries(buttons)) b.setAttribute("aria-pressed", String(k === key));
    if (tabs.length > 1) history.replaceState(null, "", `#/consultations?tab=${key}`);
    load();
  }

  function paint(items, { cachedAt } = {}) {
    if (!items.length && !cachedAt) {
      fill(body, stateView("empty", { title: t(`consultations.empty.${tab}`) }));
      return;
    }
    fill(
      body,
      cachedAt ? h("p", { class: "cached-note", id: "consultations-cached", role: "status" }, icon("offline", "chip-icon"), t("consultations.cached", { at: formatDateTime(cachedAt) })) : null,
      h("ul", { class: "item-list", id: "consultations-list", dataset: { tab } }, items.map((c) => consultationCard(c, { forStaff }))),
    );
  }

  function load() {
    loader.load(user.username, tab);
  }

  show(tab);
  return () => loader.abort();
}
