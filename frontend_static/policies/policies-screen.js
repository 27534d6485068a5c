// #/policies: the 政策计算器. Four groups from GET /api/me/policy-matches: 符合 (eligible),
// 差一点 (ineligible, only figures a little short: the shortfall in words), 待补充 (unknown: the
// missing facts named, never called 不符合), and 暂不符合 (folded). Each card says why, with
// every condition behind a disclosure, and an enterprise asks about it in place (a consultation).
// Staff open it for one enterprise: #/policies?enterprise=<id>.

import { t } from "../common/i18n.js";
import "./strings.js";
import { askAboutPolicy, policyMatches } from "./api.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";

const CHIP = { eligible: "chip-ok", ineligible: "chip-warn", unknown: "" };
// The sentence itself says 满足/不满足; the mark lets the eye run down the list.
const MARK = { met: "✓", failed: "✗", missing: "？" };

export function mount(el, { role, params }) {
  const controller = new AbortController();
  const forEnterprise = role === "enterprise";
  const enterpriseId = forEnterprise ? null : params.get("enterprise");
  const body = h("div", { class: "pol-body", id: "policies-body", "aria-live": "polite" });
  el.append(h("div", { class: "page policies" }, h("p", { class: "hint" }, t("pol.intro")), body));

  async function load() {
    fill(body, stateView("loading"));
    try {
      const query = { limit: 200, ...(enterpriseId ? { enterprise_id: enterpriseId } : {}) };
      const page = await policyMatches(query, { signal: controller.signal });
      paint(page);
    } catch (error) {
      if (controller.signal.aborted) return;
      fill(body, errorView(error, { title: t("pol.loadError"), onRetry: load }));
    }
  }

  function paint(page) {
    if (!page.items.length) {
      fill(body, h("p", { class: "hint", id: "policies-for" }, t("pol.for", { name: page.enterprise_name })), stateView("empty", { title: t("pol.empty") }));
      return;
    }
    const groups = {
      eligible: page.items.filter((m) => m.outcome === "eligible"),
      near: page.items.filter((m) => m.outcome === "ineligible" && m.near_miss),
      unknown: page.items.filter((m) => m.outcome === "unknown"),
      ineligible: page.items.filter((m) => m.outcome === "ineligible" && !m.near_miss),
    };
    const rest = section("ineligible", groups.ineligible);
    rest.hidden = true;
    const more = groups.ineligible.length
      ? h("button", { type: "button", class: "btn btn-ghost btn-block", id: "policies-show-ineligible", onclick: () => { rest.hidden = false; more.remove(); } }, t("pol.showIneligible", { n: groups.ineligible.length }))
      : null;
    fill(
      body,
      h("p", { class: "hint", id: "policies-for" }, t("pol.for", { name: page.enterprise_name })),
      h("p", { class: "pol-summary", id: "policies-summary" }, t("pol.summary", { eligible: groups.eligible.length, near: groups.near.length, unknown: groups.unknown.length })),
      section("eligible", groups.eligible),
      section("near", groups.near),
      section("unknown", groups.unknown),
      more,
      rest,
    );
  }

  function section(key, items) {
    return h(
      "section",
      { class: "pol-section", id: `policies-${key}`, dataset: { count: items.length } },
      h("h2", { class: "pol-section-title" }, t(`pol.section.${key}`), h("span", { class: "chip chip-small" }, String(items.length))),
      h("p", { class: "hint" }, t(`pol.hint.${key}`)),
      items.length ? h("ul", { class: "pol-list" }, items.map(card)) : h("p", { class: "hint" }, t("pol.none")),
    );
  }

  function card(m) {
    const shown = m.outcome === "unknown" ? m.reasons.filter((r) => r.status === "missing") : m.reasons;
    const askSlot = h("div", {});
    const li = h(
      "li",
      { class: `card pol-card${m.near_miss ? " is-near" : ""}`, id: `policy-${m.policy_id}`, dataset: { outcome: m.outcome } },
      h("div", { class: "cs-card-head" }, h("span", { class: `chip chip-small ${CHIP[m.outcome]}` }, m.near_miss ? t("pol.section.near") : m.outcome_label), m.valid_until ? h("span", { class: "hint" }, t("pol.until", { date: m.valid_until })) : null),
      h("p", { class: "pol-card-title" }, m.title),
      h("p", { class: "pol-meta hint" }, m.issuer),
      m.benefits ? h("p", { class: "pol-meta" }, t("pol.benefits", { text: m.benefits })) : null,
      m.shortfalls.length ? h("p", { class: "pol-shortfall" }, m.shortfalls.join("；")) : null,
      m.missing_facts.length ? h("p", { class: "pol-meta pol-needs" }, t("pol.needs", { facts: m.missing_facts.join("、") })) : null,
      shown.length ? h("div", {}, h("strong", {}, t("pol.why")), reasonList(shown, "pol-why")) : null,
      h("details", { class: "pol-all" }, h("summary", {}, t("pol.allConditions")), reasonList(m.conditions, "pol-conditions")),
      forEnterprise ? h("div", { class: "pol-actions" }, h("button", { type: "button", class: "btn btn-primary", id: `policy-ask-${m.policy_id}`, onclick: () => openAsk(m, askSlot) }, icon("help", "chip-icon"), t("pol.ask"))) : null,
      askSlot,
    );
    return li;
  }

  function reasonList(reasons, cls) {
    return h(
      "ul",
      { class: `pol-reasons ${cls}` },
      reasons.map((r) => h("li", { class: "pol-reason", dataset: { status: r.status, fact: r.fact }, "aria-label": `${t(`pol.status.${r.status}`)}：${r.text}` }, `${MARK[r.status]} ${r.text}`)),
    );
  }

  function openAsk(m, slot) {
    if (slot.firstChild) return;
    const text = h("textarea", { class: "input textarea", id: `policy-ask-text-${m.policy_id}`, rows: 3, maxlength: 2000, placeholder: t("pol.askPlaceholder"), "aria-label": t("pol.askTitle") });
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const send = h("button", { type: "submit", class: "btn btn-primary", id: `policy-ask-send-${m.policy_id}` }, t("pol.askSend"));
    const form = h(
      "form",
      { class: "pol-ask-form", novalidate: true },
      h("p", { class: "hint" }, t("pol.askTitle")),
      text,
      error,
      h("div", { class: "pol-actions" }, send, h("button", { type: "button", class: "btn btn-ghost", onclick: () => slot.replaceChildren() }, t("pol.askCancel"))),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!text.value.trim()) {
        error.textContent = t("pol.askNeedText");
        error.hidden = false;
        return;
      }
      send.disabled = true;
      send.textContent = t("pol.asking");
      try {
        const answer = await askAboutPolicy(m.policy_id, text.value.trim());
        toast(t("pol.asked"));
        location.hash = `#/consultations/${answer.consultation_id}`;
      } catch (err) {
        error.textContent = err.offline ? t("pol.askOffline") : err.message;
        error.hidden = false;
        send.disabled = false;
        send.textContent = t("pol.askSend");
      }
    });
    slot.append(form);
    text.focus();
  }

  load();
  return () => controller.abort();
}
