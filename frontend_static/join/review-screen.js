// 企业认领审核 (staff, managers, admins): the claims in the reviewer's scope (the server
// decides it: access/join.py), newest first; 通过, or 未通过 with the reason the company is told.

import { t } from "../common/i18n.js";
import "./strings.js";
import { formatDateTime } from "../common/format.js";
import { errorView, fill, h, stateView, toast } from "../common/ui.js";
import { approveClaim, listClaims, rejectClaim } from "./api.js";

const FILTERS = ["pending", "approved", "rejected", "all"];
const LIMIT = 50;

function chip(status, text) {
  const kind = { pending: "chip-pending", approved: "chip-ok", rejected: "chip-warn" }[status] || "";
  return h("span", { class: `chip chip-small ${kind}` }, text);
}

function claimCard(claim, { onDecided }) {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const say = (message) => {
    error.textContent = message || "";
    error.hidden = !message;
  };
  const actions = h("div", { class: "btn-row claim-actions" });
  const card = h(
    "article",
    { class: "card claim-card", id: `claim-${claim.id}`, dataset: { status: claim.status } },
    h("div", { class: "claim-head" }, h("h3", { class: "claim-name" }, claim.name), chip(claim.status, claim.status_text)),
    h("p", { class: "claim-uscc" }, claim.uscc),
    claim.enterprise_pending
      ? h("p", { class: "claim-line claim-new" }, t("claims.newEntry"))
      : claim.enterprise_name !== claim.name
        ? h("p", { class: "claim-line" }, t("claims.registry", { name: claim.enterprise_name }))
        : null,
    h("p", { class: "claim-line" }, t("claims.mobile", { mobile: claim.claimant_mobile })),
    claim.note ? h("p", { class: "claim-line claim-note" }, t("claims.note", { note: claim.note })) : null,
    h("p", { class: "hint" }, t("claims.at", { at: formatDateTime(claim.created_at) })),
    claim.decided_at ? h("p", { class: "hint" }, t("claims.decided", { by: claim.decided_by || "—", at: formatDateTime(claim.decided_at) })) : null,
    claim.reason ? h("p", { class: "claim-line" }, t("claims.reason", { reason: claim.reason })) : null,
    claim.status === "pending" ? actions : null,
    error,
  );
  if (claim.status !== "pending") return card;

  const busy = (on) => actions.querySelectorAll("button, textarea").forEach((b) => (b.disabled = on));
  async function decide(run, message) {
    say("");
    busy(true);
    try {
      const done = await run();
      toast(t(message, { name: done.name }));
      onDecided(done);
    } catch (failure) {
      say(failure.message);
      busy(false);
    }
  }

  function buttons() {
    fill(
      actions,
      h("button", { type: "button", class: "btn btn-primary", id: `approve-${claim.id}`, onclick: () => decide(() => approveClaim(claim.id), "claims.approved") }, t("claims.approve")),
      h("button", { type: "button", class: "btn btn-secondary", id: `reject-${claim.id}`, onclick: askReason }, t("claims.reject")),
    );
  }

  function askReason() {
    const reason = h("textarea", { class: "input", id: `reason-${claim.id}`, rows: 3, maxlength: 500, "aria-label": t("claims.rejectReason"), placeholder: t("claims.rejectReason") });
    fill(
      actions,
      h("div", { class: "field claim-reason" }, h("label", { for: `reason-${claim.id}` }, t("claims.rejectReason")), reason),
      h("button", { type: "button", class: "btn", onclick: () => (say(""), buttons()) }, t("claims.cancel")),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-danger",
          id: `reject-confirm-${claim.id}`,
          onclick: () => {
            const text = reason.value.trim();
            if (text.length < 2) return say(t("claims.needReason"));
            decide(() => rejectClaim(claim.id, text), "claims.rejected");
          },
        },
        t("claims.rejectConfirm"),
      ),
    );
    reason.focus();
  }

  buttons();
  return card;
}

export function mount(el, { params }) {
  const controller = new AbortController();
  let status = FILTERS.includes(params.get("status")) ? params.get("status") : "pending";
  const filterButtons = FILTERS.map((name) =>
    h("button", { type: "button", class: "seg", id: `claims-${name}`, onclick: () => choose(name) }, t(`claims.filter.${name}`)),
  );
  const list = h("div", { class: "claim-list", id: "claim-list" });
  el.append(
    h(
      "div",
      { class: "page join-review", id: "join-review-screen" },
      h("p", { class: "hint" }, t("claims.intro")),
      h("div", { class: "segmented", role: "group" }, filterButtons),
      list,
    ),
  );

  function paintFilters() {
    filterButtons.forEach((button, i) => button.setAttribute("aria-pressed", String(FILTERS[i] === status)));
  }

  function choose(name) {
    status = name;
    history.replaceState(null, "", `#/join-review?status=${name}`);
    load();
  }

  async function load() {
    paintFilters();
    fill(list, stateView("loading"));
    let answer;
    try {
      answer = await listClaims({ status, limit: LIMIT }, { signal: controller.signal });
    } catch (failure) {
      if (controller.signal.aborted) return;
      fill(list, errorView(failure, { onRetry: load }));
      return;
    }
    if (!answer.items.length) {
      fill(list, stateView("empty", { title: status === "pending" ? t("claims.empty") : t("claims.emptyOther") }));
      return;
    }
    fill(
      list,
      answer.items.map((claim) =>
        claimCard(claim, {
          onDecided: (done) => {
            const card = list.querySelector(`#claim-${claim.id}`);
            // Still listed under 全部; gone from 待核实.
            if (status === "pending") card?.remove();
            else card?.replaceWith(claimCard(done, { onDecided: () => null }));
            if (!list.children.length) fill(list, stateView("empty", { title: t("claims.empty") }));
          },
        }),
      ),
      answer.count > answer.items.length ? h("p", { class: "hint" }, t("claims.more", { n: answer.count, shown: answer.items.length })) : null,
    );
  }

  load();
  return () => controller.abort();
}
