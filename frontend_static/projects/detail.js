// #/projects/<id>: one project — its facts, the stage strip, the buttons for the moves the
// server allows now (`actions.moves`; a stage asking for evidence picks one of the project's
// files; one needing approval becomes a request), the pending request with 批准 / 退回 for a
// manager who may decide it, follow-ups with their next step, files, and the stage history.
// A refused move (409: skipped, closed, no evidence, a request pending) shows the server's
// Chinese message as it is.

import { t } from "../common/i18n.js";
import "./strings.js";
import { act, getProject } from "./api.js";
import { wan } from "./projects-screen.js";
import { actionForm, showError } from "../common/actionform.js";
import { attachmentsCard } from "../common/attachments.js";
import { loadRoster } from "../review/roster.js";
import { formatDate, formatDateTime } from "../common/format.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";

function row(label, value, id) {
  return value === null || value === undefined || value === "" ? null : h("div", { class: "pj-row", id }, h("dt", {}, label), h("dd", {}, value));
}

export function mountDetail(el, ctx, id) {
  const page = h("div", { class: "page project", id: "project-screen" });
  el.append(page);
  let gone = false;
  let project = null;

  async function load() {
    fill(page, stateView("loading"));
    try {
      project = await getProject(id);
    } catch (error) {
      if (!gone) fill(page, errorView(error, { title: t("project.loadFailed"), onRetry: load }));
      return;
    }
    if (!gone) render();
  }

  async function send(action, body, done) {
    try {
      const answer = await act(id, action, body);
      if (action !== "follow-ups") project = answer;
      else project = await getProject(id);
      if (done) toast(done(answer));
      if (!gone) render();
    } catch (error) {
      toast(error.message);
    }
  }

  function stageStrip() {
    return h(
      "ol",
      { class: "pj-steps", id: "project-steps" },
      project.stages.map((s) =>
        h("li", { class: `pj-step${s.code === project.stage ? " is-current" : s.order < project.stage_order ? " is-done" : ""}`, dataset: { stage: s.code } }, s.name),
      ),
    );
  }

  function moveButtons() {
    if (project.status !== "active") return h("p", { class: "notice", id: "project-closed" }, t("project.closed", { status: project.status_label }));
    const panel = h("div", { class: "pj-move-panel", id: "project-move-panel", hidden: true });
    const buttons = project.actions.moves.map((code) => {
      const stage = project.stages.find((s) => s.code === code);
      const back = stage.order < project.stage_order;
      const notes = back ? [] : [stage.needs_approval ? t("project.needsApproval") : null, stage.evidence_required ? t("project.needsEvidence", { what: stage.evidence_label }) : null].filter(Boolean);
      return h(
        "button",
        { type: "button", class: back ? "btn btn-ghost" : "btn btn-primary btn-block", id: `project-move-${code}`, onclick: () => openPanel(stage, back) },
        t(back ? "project.moveBack" : "project.move", { stage: stage.name }),
        notes.length ? h("span", { class: "pj-move-note" }, ` （${notes.join("，")}）`) : null,
      );
    });

    function openPanel(stage, back) {
      const comment = h("textarea", { class: "input", id: "project-move-comment", rows: 2, maxlength: 1000, placeholder: t("project.comment") });
      const files = project.attachments;
      const evidence = !back && stage.evidence_required
        ? files.length
          ? h("select", { class: "input", id: "project-move-evidence" }, [...files].reverse().map((a) => h("option", { value: a.id }, a.name)))
          : h("p", { class: "hint", id: "project-move-evidence-none" }, t("project.evidenceNone"))
        : null;
      const confirm = h("button", { type: "button", class: "btn btn-primary", id: "project-move-confirm" }, t("project.confirm"));
      confirm.addEventListener("click", () => {
        confirm.disabled = true;
        const body = { to: stage.code, comment: comment.value.trim() };
        if (evidence && evidence.tagName === "SELECT") body.evidence_id = Number(evidence.value);
        send("move", body, (p) => (p.stage === stage.code ? t("project.moved", { stage: stage.name }) : t("project.requested")));
      });
      fill(
        panel,
        h("p", { class: "pj-move-title" }, t(back ? "project.moveBack" : "project.move", { stage: stage.name })),
        evidence ? h("label", { class: "field" }, h("span", { class: "field-label" }, t("project.evidence")), evidence) : null,
        comment,
        h("div", { class: "btn-row" }, confirm, h("button", { type: "button", class: "btn btn-ghost", onclick: () => (panel.hidden = true) }, t("project.cancel"))),
      );
      panel.hidden = false;
      panel.scrollIntoView({ block: "nearest" });
    }

    return h("section", { class: "card pj-moves", id: "project-moves" }, buttons, panel);
  }

  function requestCard() {
    const r = project.request;
    if (!r) return null;
    const comment = h("textarea", { class: "input", id: "project-decide-comment", rows: 2, maxlength: 1000, placeholder: t("project.comment") });
    return h(
      "section",
      { class: "card pj-request", id: "project-request" },
      h("p", { class: "pj-request-title" }, icon("warning", "chip-icon"), t("project.request", { from: r.from_stage, to: r.to_stage })),
      h("p", { class: "hint" }, t("project.requestBy", { name: r.requested_by_name, at: formatDateTime(r.requested_at) })),
      r.comment ? h("p", {}, r.comment) : null,
      project.actions.can_decide
        ? [
            comment,
            h(
              "div",
              { class: "btn-row" },
              h("button", { type: "button", class: "btn btn-primary", id: "project-approve", onclick: () => send("decide", { approve: true, comment: comment.value.trim() }, () => t("project.approved")) }, icon("check"), t("project.approve")),
              h("button", { type: "button", class: "btn btn-secondary", id: "project-reject", onclick: () => send("decide", { approve: false, comment: comment.value.trim() }, () => t("project.rejected")) }, t("project.reject")),
            ),
          ]
        : null,
    );
  }

  function followUps() {
    const note = h("textarea", { class: "input", id: "followup-note", rows: 3, maxlength: 2000, required: true });
    const next = h("input", { class: "input", type: "text", id: "followup-next", maxlength: 200 });
    const due = h("input", { class: "input", type: "date", id: "followup-due", min: "2000-01-01", max: "2100-12-31" });
    const save = h("button", { type: "submit", class: "btn btn-secondary btn-block", id: "followup-save" }, t("project.addFollowUp"));
    const form = h(
      "form",
      { class: "pj-followup-form", id: "followup-form" },
      h("label", { class: "field" }, h("span", { class: "field-label" }, t("project.note")), note),
      h("label", { class: "field" }, h("span", { class: "field-label" }, t("project.nextStep")), next),
      h("label", { class: "field" }, h("span", { class: "field-label" }, t("project.nextDue")), due),
      save,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send("follow-ups", { note: note.value.trim(), next_step: next.value.trim(), next_due: due.value || null }, () => t("project.followUpSaved"));
    });
    return h(
      "section",
      { class: "card", id: "project-followups" },
      h("h3", { class: "sub-title" }, t("project.followUps")),
      project.follow_ups.length
        ? h(
            "ul",
            { class: "pj-followups", id: "project-followup-list" },
            project.follow_ups.map((f) =>
              h(
                "li",
                { class: "pj-followup" },
                h("p", {}, f.note),
                f.next_step
                  ? h("p", { class: `pj-next${f.overdue ? " is-overdue" : ""}` }, `${t("project.nextStep")}：${f.next_step}`, f.next_due ? ` · ${formatDate(f.next_due)}` : "", f.overdue ? ` · ${t("project.overdue")}` : "")
                  : null,
                h("p", { class: "hint" }, t("project.by", { name: f.author_name, at: formatDateTime(f.at) })),
              ),
            ),
          )
        : h("p", { class: "hint" }, t("project.noFollowUps")),
      form,
    );
  }

  /** 转交: another official leads it; its stage and every follow-up stay (issue 15 item 3). */
  function reassignCard() {
    if (!project.actions.can_reassign || project.status !== "active") return null;
    const label = t("project.reassign");
    const select = h("select", { class: "input", id: "project-reassign-select" }, h("option", { value: "" }, t("project.reassignPick")));
    const comment = h("textarea", { class: "input", id: "project-reassign-comment", rows: 2, maxlength: 1000, placeholder: t("project.comment") });
    const built = actionForm({
      id: "project-reassign",
      label,
      fields: [
        h("h3", { class: "sub-title" }, label),
        h("p", { class: "hint" }, t("project.reassignHint")),
        h("label", { class: "field" }, h("span", { class: "field-label" }, t("project.reassignTo")), select),
        comment,
      ],
      body: () => {
        if (!select.value) throw new Error(t("project.reassignPick"));
        return { lead_id: Number(select.value), comment: comment.value.trim() };
      },
      send: (body) => act(id, "reassign", body),
      onDone: (next) => {
        project = next;
        toast(t("project.reassigned", { name: next.lead_name }));
        render();
      },
      onRefresh: load,
      buttonClass: "btn-secondary",
      isGone: () => gone,
    });
    loadRoster()
      .then((people) => select.append(...people.filter((p) => p.staff_id !== project.lead_id).map((p) => h("option", { value: p.staff_id }, p.team ? `${p.staff_name}（${p.team}）` : p.staff_name))))
      .catch((err) => {
        if (!gone) showError(built.error, err.message);
      });
    built.form.id = "project-reassign-form";
    return built.form;
  }

  function timeline() {
    return h(
      "section",
      { class: "card" },
      h("h3", { class: "sub-title" }, t("project.timeline")),
      h(
        "ol",
        { class: "pj-timeline", id: "project-timeline" },
        project.timeline.map((c) =>
          h(
            "li",
            { class: "pj-change", dataset: { kind: c.kind } },
            h("p", { class: "pj-change-what" }, c.kind === "move" || c.kind === "requested" || c.kind === "rejected" ? `${c.kind_label}：${c.from_stage} → ${c.to_stage}` : c.kind === "created" ? `${c.kind_label}：${c.to_stage}` : c.kind_label),
            c.comment ? h("p", {}, c.comment) : null,
            h("p", { class: "hint" }, t("project.by", { name: c.actor_name, at: formatDateTime(c.at) }), c.approved_by_name ? ` · ${t("project.approvedBy", { name: c.approved_by_name })}` : ""),
          ),
        ),
      ),
    );
  }

  function render() {
    const p = project;
    fill(
      page,
      h(
        "section",
        { class: "card pj-head", id: "project-head", dataset: { stage: p.stage, status: p.status } },
        h("h2", { class: "pj-name", id: "project-name" }, p.name),
        h("p", { class: "pj-stage-line" }, h("span", { class: "chip", id: "project-stage" }, p.stage_name), ` ${t("project.probability")} `, h("strong", { id: "project-probability" }, `${p.probability}%`)),
        stageStrip(),
        h(
          "dl",
          { class: "pj-rows" },
          row(t("project.investor"), `${p.investor}${p.investor_pending ? t("project.investorPending") : ""}`, "project-investor"),
          row(t("project.investment"), wan(p.investment_wan), "project-investment"),
          row(t("project.tax"), p.expected_tax_wan ? wan(p.expected_tax_wan) : null),
          row(t("project.jobs"), p.expected_jobs ? t("project.jobsN", { n: p.expected_jobs }) : null),
          row(t("project.source"), p.source_label),
          row(t("project.leadName"), p.lead_name, "project-lead"),
          row(t("project.team"), p.team_name),
          row(t("project.site"), p.site_name || p.plot),
        ),
      ),
      requestCard(),
      moveButtons(),
      followUps(),
      reassignCard(),
      attachmentsCard({ items: p.attachments, uploadUrl: p.status === "dropped" ? null : `/api/projects/${p.id}/attachments`, onAdded: () => load(), id: "project-files" }),
      timeline(),
    );
  }

  load();
  return () => {
    gone = true;
  };
}
