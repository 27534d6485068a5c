// #/demands: the list for the caller's role; #/demands/new raises one; #/demands/<id> is one demand.
//   enterprise  我的诉求: its own demands, newest first, and 提出诉求
//   staff       交办给我: due soonest first, overdue marked; 代企业登记 for a phone call
//   manager     待交办 (the intake queue), 已超期, 交办给我
// The last list seen is kept on the phone (per user, dropped at logout) and shown when offline.

import { t } from "../common/i18n.js";
import "./strings.js";
import { listDemands } from "./api.js";
import { isOverdue, statusChip } from "./parts.js";
import { mountDetail } from "./detail.js";
import { mountRaise } from "./raise.js";
import { exportButton } from "./export.js";
import { formatDateTime } from "../common/format.js";
import { fill, h, icon, stateView } from "../common/ui.js";
import { listCache, tabLoader } from "../common/listcache.js";
import { onUserChange } from "../shell/session.js";

const cache = listCache("dxe.demands");

onUserChange((user) => {
  if (!user) cache.clear();
});

const TABS_BY_ROLE = {
  enterprise: ["mine"],
  staff: ["assigned"],
  manager: ["intake", "overdue", "assigned"],
  admin: ["intake", "overdue", "assigned"],
};

const QUERY = {
  mine: {},
  assigned: { assigned_to_me: "true" },
  intake: { status: "pending" },
  overdue: { overdue: "true" },
};

const OPEN = new Set(["assigned", "verifying", "handling"]);
const MANAGERS = new Set(["manager", "admin"]); // the 督办看板 and the ledger export are theirs

/** Open demands first, the soonest deadline first; then the rest, newest first. */
function dueSoonFirst(items) {
  const rank = (d) => (OPEN.has(d.status) ? (d.deadline ? 0 : 1) : 2);
  return [...items].sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.deadline.localeCompare(b.deadline) : 0));
}

function deadlineLine(demand) {
  if (!demand.deadline) return demand.status === "pending" ? t("demands.noClock") : demand.deadline_explained || null;
  if (isOverdue(demand)) return h("span", { class: "item-late" }, icon("warning", "chip-icon"), `${t("demands.overdue")} · ${t("demands.deadline", { at: formatDateTime(demand.deadline) })}`);
  return t("demands.deadline", { at: formatDateTime(demand.deadline) });
}

export function demandCard(demand, { showEnterprise }) {
  return h(
    "li",
    {},
    h(
      "a",
      { class: `card item-card dm-card${isOverdue(demand) ? " is-overdue" : ""}`, id: `demand-${demand.id}`, href: `#/demands/${demand.id}`, dataset: { status: demand.status } },
      h("div", { class: "item-card-head" }, h("span", { class: "chip chip-small" }, demand.category_label), statusChip(demand)),
      showEnterprise ? h("p", { class: "item-card-ent" }, demand.enterprise_name) : null,
      h("p", { class: "dm-card-text" }, demand.description),
      h("p", { class: "dm-card-meta hint" }, deadlineLine(demand)),
    ),
  );
}

export function mount(el, ctx) {
  const { args } = ctx;
  if (args[0] === "new") return mountRaise(el, ctx);
  if (/^\d+$/.test(args[0] || "")) return mountDetail(el, ctx, Number(args[0]));
  return mountList(el, ctx);
}

function mountList(el, { user, role, params }) {
  const tabs = TABS_BY_ROLE[role] || ["mine"];
  let tab = tabs.includes(params.get("tab")) ? params.get("tab") : tabs[0];
  const body = h("div", { class: "dm-body", id: "demands-body", "aria-live": "polite" });
  const loader = tabLoader({ cache, body, fetchPage: (signal) => listDemands({ ...QUERY[tab], limit: 100 }, { signal }), paint, errorTitle: t("demands.listError") });
  const buttons = Object.fromEntries(
    tabs.map((key) => [key, h("button", { type: "button", class: "seg", id: `demands-tab-${key}`, onclick: () => show(key) }, t(`demands.tab.${key}`))]),
  );
  const raiseLabel = role === "enterprise" ? t("demands.raise") : t("demands.raisePhone");
  el.append(
    h(
      "div",
      { class: "page demands" },
      MANAGERS.has(role)
        ? h("div", { class: "btn-row mb-tools" }, h("a", { class: "btn btn-secondary", id: "demands-to-board", href: "#/demand-board" }, icon("chart"), t("board.toBoard")), exportButton())
        : null,
      tabs.length > 1 ? h("div", { class: "segmented list-tabs", role: "group", "aria-label": t("demands.tabsLabel") }, Object.values(buttons)) : null,
      body,
      h("div", { class: "sticky-actions" }, h("a", { class: "btn btn-primary btn-block", id: "demand-raise", href: "#/demands/new" }, icon("plus"), raiseLabel)),
    ),
  );

  function show(key) {
    tab = key;
    for (const [k, b] of Object.entries(buttons)) b.setAttribute("aria-pressed", String(k === key));
    if (tabs.length > 1) history.replaceState(null, "", `#/demands?tab=${key}`);
    load();
  }

  function paint(items, { cachedAt } = {}) {
    const sorted = tab === "assigned" ? dueSoonFirst(items) : items;
    if (!sorted.length && !cachedAt) {
      const hint = tab === "mine" ? t("demands.empty.mineHint") : undefined;
      fill(body, stateView("empty", { title: t(`demands.empty.${tab}`), message: hint }));
      return;
    }
    fill(
      body,
      cachedAt ? h("p", { class: "cached-note", id: "demands-cached", role: "status" }, icon("offline", "chip-icon"), t("demands.cached", { at: formatDateTime(cachedAt) })) : null,
      h("ul", { class: "item-list", id: "demands-list", dataset: { tab } }, sorted.map((d) => demandCard(d, { showEnterprise: role !== "enterprise" }))),
    );
  }

  function load() {
    loader.load(user.username, tab);
  }

  show(tab);
  return () => loader.abort();
}
