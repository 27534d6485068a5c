// #/projects/packet: the 调度会 packet as a printable page (the print stylesheet drops the
// app's chrome) and the same figures as an Excel file. `since` is the last meeting's date
// (default: two weeks ago, the district's rhythm).

import { t } from "../common/i18n.js";
import "./strings.js";
import { getDashboard, getPacket, packetXlsxUrl } from "./api.js";
import { wan } from "./projects-screen.js";
import { formatDate, formatDateTime } from "../common/format.js";
import { errorView, fill, h, stateView } from "../common/ui.js";

function isoDay(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

export function mountPacket(el, { params }) {
  const fallback = isoDay(new Date(Date.now() - 14 * 86400_000));
  let since = /^\d{4}-\d{2}-\d{2}$/.test(params.get("since") || "") ? params.get("since") : fallback;
  let controller = null;
  const sinceInput = h("input", { class: "input", type: "date", id: "packet-since", value: since, min: "2000-01-01", max: "2100-12-31" });
  const xlsx = h("a", { class: "btn btn-secondary", id: "packet-xlsx", href: packetXlsxUrl(since), download: "" }, t("packet.xlsx"));
  const body = h("div", { class: "pj-packet-body", id: "packet-body", "aria-live": "polite" });
  sinceInput.addEventListener("change", () => {
    if (!sinceInput.value) return;
    since = sinceInput.value;
    xlsx.href = packetXlsxUrl(since);
    history.replaceState(null, "", `#/projects/packet?since=${since}`);
    load();
  });
  el.append(
    h(
      "div",
      { class: "page pj-packet", id: "packet-screen" },
      h("h2", { class: "pj-packet-title" }, t("packet.title")),
      h(
        "div",
        { class: "btn-row pj-packet-tools no-print" },
        h("label", { class: "field pj-since" }, h("span", { class: "field-label" }, t("packet.since")), sinceInput),
        xlsx,
        h("button", { type: "button", class: "btn btn-ghost", id: "packet-print", onclick: () => window.print() }, t("packet.print")),
      ),
      body,
    ),
  );

  function dashboardCard(board) {
    return h(
      "section",
      { class: "card", id: "packet-dashboard" },
      h("h3", { class: "sub-title" }, t("packet.byMonth")),
      h(
        "table",
        { class: "pj-table", id: "packet-months" },
        h("thead", {}, h("tr", {}, ["packet.month", "packet.leads", "packet.signed", "packet.landed"].map((k) => h("th", {}, t(k))))),
        h("tbody", {}, board.months.map((m) => h("tr", {}, h("td", {}, m.month), h("td", {}, m.leads), h("td", {}, m.signed), h("td", {}, m.landed)))),
      ),
      h("h3", { class: "sub-title" }, t("packet.byIndustry")),
      h(
        "table",
        { class: "pj-table", id: "packet-industries" },
        h("thead", {}, h("tr", {}, ["packet.industry", "packet.count", "packet.planned", "packet.tax"].map((k) => h("th", {}, t(k))))),
        h("tbody", {}, board.industries.map((r) => h("tr", {}, h("td", {}, r.label), h("td", {}, r.count), h("td", {}, r.investment_wan.toLocaleString("zh-CN")), h("td", {}, r.expected_tax_wan.toLocaleString("zh-CN"))))),
      ),
    );
  }

  function paint(pk, board) {
    const changes = pk.stages.flatMap((s) => s.projects.flatMap((p) => p.changes.map((c) => ({ ...c, project: p }))));
    changes.sort((a, b) => a.at.localeCompare(b.at));
    fill(
      body,
      h("p", { class: "hint" }, `${formatDate(pk.since)} — ${formatDate(pk.today)}`),
      h(
        "section",
        { class: "card" },
        h("h3", { class: "sub-title" }, t("packet.byStage")),
        h(
          "table",
          { class: "pj-table", id: "packet-stages" },
          h("thead", {}, h("tr", {}, ["packet.stage", "packet.count", "packet.planned", "project.probability", "packet.weighted", "packet.changed"].map((k) => h("th", {}, t(k))))),
          h(
            "tbody",
            {},
            pk.stages.map((s) => h("tr", { dataset: { stage: s.code } }, h("td", {}, s.name), h("td", {}, s.count), h("td", {}, s.planned_wan.toLocaleString("zh-CN")), h("td", {}, `${s.probability}%`), h("td", {}, s.weighted_wan.toLocaleString("zh-CN")), h("td", {}, s.changed))),
            h("tr", { class: "pj-total" }, h("td", {}, t("packet.total")), h("td", {}, pk.totals.count), h("td", {}, pk.totals.planned_wan.toLocaleString("zh-CN")), h("td", {}, ""), h("td", {}, pk.totals.weighted_wan.toLocaleString("zh-CN")), h("td", {}, pk.changed)),
          ),
        ),
        h("p", { class: "pj-conversion", id: "packet-conversion" }, t("packet.conversion", { signed: pk.conversion.signed, landed: pk.conversion.landed, rate: pk.conversion.rate === null ? "—" : `${pk.conversion.rate}%` })),
      ),
      h(
        "section",
        { class: "card" },
        h("h3", { class: "sub-title" }, t("packet.changes")),
        changes.length
          ? h("ul", { class: "pj-packet-list", id: "packet-changes" }, changes.map((c) => h("li", {}, h("a", { href: `#/projects/${c.project.id}` }, c.project.name), ` ${c.from} → ${c.to} · ${c.actor_name} · ${formatDateTime(c.at)}`)))
          : h("p", { class: "hint", id: "packet-changes" }, t("packet.noChanges")),
      ),
      h(
        "section",
        { class: "card" },
        h("h3", { class: "sub-title" }, t("packet.stale")),
        pk.stale.length
          ? h("ul", { class: "pj-packet-list", id: "packet-stale" }, pk.stale.map((r) => h("li", {}, h("a", { href: `#/projects/${r.id}` }, r.name), " ", t("packet.staleLine", { stage: r.stage_name, lead: r.lead_name, days: r.days_idle, limit: r.stale_days }))))
          : h("p", { class: "hint", id: "packet-stale" }, t("packet.noStale")),
      ),
      h(
        "section",
        { class: "card" },
        h("h3", { class: "sub-title" }, t("packet.overdue")),
        pk.overdue.length
          ? h("ul", { class: "pj-packet-list", id: "packet-overdue" }, pk.overdue.map((r) => h("li", {}, h("a", { href: `#/projects/${r.id}` }, r.name), " ", t("packet.overdueLine", { step: r.next_step, due: formatDate(r.next_due), days: r.days_overdue, lead: r.lead_name }))))
          : h("p", { class: "hint", id: "packet-overdue" }, t("packet.noOverdue")),
      ),
      board ? dashboardCard(board) : null,
      h("div", { class: "pj-packet-projects" }, pk.stages.map((s) => h("section", { class: "card", dataset: { stage: s.code } }, h("h3", { class: "sub-title" }, `${s.name}（${s.count}）`), h("ul", { class: "pj-packet-list" }, s.projects.map((p) => h("li", {}, h("a", { href: `#/projects/${p.id}` }, p.name), ` · ${p.investor} · ${wan(p.investment_wan)} · ${p.lead_name}`)))))),
    );
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const own = controller;
    fill(body, stateView("loading"));
    try {
      const [pk, board] = await Promise.all([getPacket(since, { signal: own.signal }), getDashboard({ signal: own.signal }).catch(() => null)]);
      if (!own.signal.aborted) paint(pk, board);
    } catch (error) {
      if (!own.signal.aborted) fill(body, errorView(error, { title: t("packet.loadError"), onRetry: load }));
    }
  }

  load();
  return () => controller?.abort();
}
