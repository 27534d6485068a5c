// 企业认证 (an enterprise user): claim the company by name and 统一社会信用代码, then its
// status — 待核实 / 已通过 / 未通过：原因 — and what the user can do meanwhile.

import { t } from "../common/i18n.js";
import "./strings.js";
import { formatDateTime } from "../common/format.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";
import { refreshUser } from "../shell/session.js";
import { claimCompany, joinStatus } from "./api.js";
import { steps } from "./register-screen.js";
import { normalizeUscc, usccProblem } from "./uscc.js";

function say(box, message) {
  box.textContent = message || "";
  box.hidden = !message;
}

function linkRow(href, iconName, text, id) {
  return h("a", { class: "card link-row", href, id }, icon(iconName), h("span", {}, text), h("span", { class: "chevron", "aria-hidden": "true" }, "›"));
}

function claimForm(onDone) {
  const error = h("p", { class: "form-error", role: "alert", id: "claim-error", hidden: true });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "claim-submit" }, t("joinClaim.submit"));
  const name = h("input", { id: "claim-name", name: "name", class: "input", type: "text", maxlength: 200, autocomplete: "organization", required: true });
  const uscc = h("input", { id: "claim-uscc", name: "uscc", class: "input input-code", type: "text", maxlength: 22, autocapitalize: "characters", autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "claim-uscc-hint" });
  const form = h(
    "form",
    { class: "form", id: "claim-form", novalidate: true },
    h("p", { class: "hint" }, t("joinClaim.intro")),
    h("div", { class: "field" }, h("label", { for: "claim-name" }, t("joinClaim.name")), name),
    h("div", { class: "field" }, h("label", { for: "claim-uscc" }, t("joinClaim.uscc")), uscc, h("p", { class: "field-hint", id: "claim-uscc-hint" }, t("joinClaim.usccHint"))),
    error,
    submit,
  );
  // A quick word as soon as the 18th character is typed; the server checks again.
  uscc.addEventListener("input", () => {
    const problem = normalizeUscc(uscc.value).length >= 18 ? usccProblem(uscc.value) : null;
    say(error, problem ? t(problem.key, problem.params) : "");
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const company = name.value.trim();
    if (company.length < 2) return say(error, t("joinClaim.needName"));
    const problem = usccProblem(uscc.value);
    if (problem) {
      uscc.focus();
      return say(error, t(problem.key, problem.params));
    }
    say(error, "");
    submit.disabled = true;
    submit.textContent = t("joinClaim.submitting");
    try {
      const claim = await claimCompany(company, normalizeUscc(uscc.value));
      toast(claim.status === "approved" ? t("joinClaim.verifiedNow") : t("joinClaim.sent"));
      onDone(claim);
    } catch (failure) {
      say(error, failure.message);
    } finally {
      if (submit.isConnected) {
        submit.disabled = false;
        submit.textContent = t("joinClaim.submit");
      }
    }
  });
  return form;
}

function statusCard(status) {
  const claim = status.claim;
  const kind = status.verified ? "approved" : claim ? claim.status : "none";
  const body = { approved: "joinStatus.approvedBody", pending: "joinStatus.pendingBody", rejected: "joinStatus.rejectedBody" }[kind];
  return h(
    "section",
    { class: "card join-status", id: "join-status", dataset: { status: kind } },
    h("h2", { class: "card-title" }, t("joinStatus.title")),
    h("p", { class: "join-status-text", id: "join-status-text" }, kind === "none" ? t("joinStatus.none") : t(`joinStatus.${kind}`)),
    claim ? h("p", { class: "join-status-company" }, claim.name) : null,
    claim ? h("p", { class: "claim-uscc" }, claim.uscc) : null,
    claim && kind === "rejected" && claim.reason ? h("p", { class: "join-status-reason", id: "join-status-reason" }, t("joinStatus.reason", { reason: claim.reason })) : null,
    claim ? h("p", { class: "hint" }, formatDateTime(claim.decided_at || claim.created_at)) : null,
    body ? h("p", {}, t(body)) : null,
  );
}

export function mount(el) {
  const controller = new AbortController();
  const root = h("div", { class: "page join", id: "join-company-screen" });
  el.append(root);

  async function load() {
    fill(root, stateView("loading"));
    let status;
    try {
      status = await joinStatus({ signal: controller.signal });
    } catch (failure) {
      if (controller.signal.aborted) return;
      fill(root, errorView(failure, { onRetry: load }));
      return;
    }
    draw(status);
  }

  function draw(status) {
    const claim = status.claim;
    const open = !status.verified && (!claim || claim.status === "rejected");
    const waiting = !status.verified && claim && claim.status === "pending";
    fill(
      root,
      steps(status.verified ? 4 : waiting ? 3 : 2),
      claim || status.verified ? statusCard(status) : null,
      open
        ? h(
            "section",
            { class: "card" },
            claim ? h("h2", { class: "card-title" }, t("joinClaim.again")) : null,
            claimForm(async (made) => {
              // Verified at once: /api/auth/me now has the company (and the tabs know it).
              if (made.status === "approved") await refreshUser().catch(() => null);
              load();
            }),
          )
        : null,
      h("h2", { class: "section-title" }, t("joinStatus.meanwhile")),
      linkRow("#/sites", "search", t("joinStatus.browse"), "join-browse"),
      linkRow("#/sites", "chat", t("joinStatus.ask"), "join-ask"),
      linkRow("#/messages", "bell", t("joinStatus.messages"), "join-messages"),
    );
  }

  load();
  return () => controller.abort();
}
