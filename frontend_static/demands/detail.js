// #/demands/<id>: one demand — what, for whom, its deadline (tap for how it was counted),
// the steps so far, and the buttons for the actions the server says the caller may take now
// (`actions`): assign (choose an official, optional time limit), verify, handle, resolve (with
// the resolution), rate (满意 / 基本满意 / 不满意; the last two send it back). A refused step
// (409 illegal_transition, 403) shows the server's Chinese message as it is.

import { t } from "../common/i18n.js";
import "./strings.js";
import { act, getDemand } from "./api.js";
import { isOverdue, statusChip } from "./parts.js";
import { choices } from "../common/choices.js";
import { suggestionsCard } from "./siteneeds.js";
import { loadRoster } from "../review/roster.js";
import { actionForm, showError } from "../common/actionform.js";
import { attachmentsCard } from "../common/attachments.js";
import { formatDateTime } from "../common/format.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";

const RATINGS = ["satisfied", "basically_satisfied", "unsatisfied"];

function row(label, value, id) {
  return value ? h("div", { class: "detail-row", id }, h("dt", {}, label), h("dd", {}, value)) : null;
}

function deadlineCard(demand) {
  const late = isOverdue(demand);
  const when = demand.deadline ? formatDateTime(demand.deadline) : demand.deadline_explained || t("demands.noClock");
  const head = h("p", { class: `deadline-line${late ? " item-late" : ""}`, id: "demand-deadline" }, late ? icon("warning", "chip-icon") : null, when, late ? ` · ${t("demands.overdue")}` : null);
  const explained = demand.deadline && demand.deadline_explained;
  return h(
    "section",
    { class: "card dm-deadline-card" },
    h("h3", { class: "sub-title" }, t("demand.deadlineTitle")),
    head,
    explained
      ? h("details", { class: "explain", id: "demand-deadline-explain" }, h("summary", {}, t("demand.howCounted")), h("p", { id: "demand-deadline-explained" }, demand.deadline_explained))
      : null,
  );
}

function timeline(demand) {
  return h(
    "section",
    { class: "card" },
    h("h3", { class: "sub-title" }, t("demand.timeline")),
    h(
      "ol",
      { class: "dm-timeline", id: "demand-timeline" },
      demand.timeline.map((step) =>
        h(
          "li",
          { class: "dm-step", dataset: { action: step.action, to: step.to_status } },
          h(
            "p",
            { class: "dm-step-what" },
            // A note (场地需求, 场地咨询) changes no status: from and to are the same.
            step.from_status && step.from_status === step.to_status
              ? step.action_label
              : step.from_label
                ? t("demand.step", { action: step.action_label, from: step.from_label, to: step.to_label })
                : t("demand.stepRaise", { action: step.action_label, to: step.to_label }),
          ),
          h("p", { class: "dm-step-who hint" }, `${step.actor_name} · ${formatDateTime(step.at)}`),
          step.rating ? h("p", { class: "dm-step-rating" }, t(`demand.rating.${step.rating}`)) : null,
          step.comment ? h("p", { class: "dm-step-comment" }, step.comment) : null,
        ),
      ),
    ),
  );
}

export function mountDetail(el, _ctx, id) {
  let gone = false;
  const controller = new AbortController();
  const root = h("div", { class: "page demands dm-detail", id: "demand-detail" });
  el.append(root);

  async function load() {
    fill(root, stateView("loading"));
    try {
      const demand = await getDemand(id, { signal: controller.signal });
      if (!gone) paint(demand);
    } catch (error) {
      if (!gone && !controller.signal.aborted) fill(root, errorView(error, { title: t("demand.loadError"), onRetry: load }));
    }
  }

  function paint(demand) {
    fill(
      root,
      h("a", { class: "btn btn-ghost btn-small back-link", href: "#/demands" }, t("demand.back")),
      h(
        "section",
        { class: "card dm-head", dataset: { status: demand.status } },
        h("div", { class: "item-card-head" }, h("span", { class: "chip chip-small" }, demand.category_label), statusChip(demand)),
        h("p", { class: "dm-text", id: "demand-description" }, demand.description),
        h(
          "dl",
          { class: "detail-rows" },
          row(t("demand.enterprise"), demand.enterprise_name),
          row(t("demand.assignee"), demand.assignee_name || demand.assignee_unit_name, "demand-assignee"),
          row(t("demand.resolution"), demand.resolution, "demand-resolution"),
          row(t("demand.rating"), demand.rating_label, "demand-rating"),
          row(t("needs.title"), demand.site_needs && demand.site_needs.summary, "demand-site-needs"),
        ),
        h("p", { class: "hint" }, t("demands.raisedBy", { name: demand.raised_by_name, channel: demand.channel_label, at: formatDateTime(demand.created_at) })),
      ),
      deadlineCard(demand),
      attachmentsCard({ items: demand.attachments, uploadUrl: demand.can_attach ? `/api/demands/${demand.id}/attachments` : null, id: "demand-attachments" }),
      demand.category === "site" ? suggestionsCard(demand, { signal: controller.signal, onChange: load }) : null,
      demand.actions.map((action) => actionCard(demand, action)),
      timeline(demand),
    );
  }

  /** One action's form: its fields, a button, and the place for the server's refusal. */
  function actionCard(demand, action) {
    const label = t(`demand.action.${action}`);
    let error = null; // the form's error line, once the form is built (the roster arrives later)
    const fields = [];
    let body = () => ({});

    if (action === "assign") {
      const select = h("select", { class: "input", id: "demand-assignee-select", required: true }, h("option", { value: "" }, t("demand.assignPick")));
      const days = h("input", { class: "input", id: "demand-working-days", type: "number", inputmode: "numeric", min: 1, max: 60, step: 1 });
      const comment = h("textarea", { class: "input textarea", id: "demand-assign-comment", maxlength: 1000, rows: 2 });
      fields.push(
        h("div", { class: "field" }, h("label", { for: select.id }, t("demand.assignTo"), h("span", { class: "required" }, " *")), select),
        h("div", { class: "field" }, h("label", { for: days.id }, t("demand.workingDays")), h("p", { class: "hint" }, t("demand.workingDaysHint")), days),
        h("div", { class: "field" }, h("label", { for: comment.id }, t("demand.comment")), comment),
      );
      loadRoster({ signal: controller.signal })
        .then((people) => select.append(...people.map((p) => h("option", { value: p.staff_id }, p.team ? `${p.staff_name}（${p.team}）` : p.staff_name))))
        .catch((err) => {
          if (!gone) showError(error, t("demand.rosterError", { message: err.message }));
        });
      body = () => {
        if (!select.value) throw new Error(t("demand.assignPick"));
        const out = { assignee_id: Number(select.value), comment: comment.value.trim() };
        if (days.value) out.working_days = Number(days.value);
        return out;
      };
    } else if (action === "resolve") {
      const resolution = h("textarea", { class: "input textarea", id: "demand-resolution-text", maxlength: 2000, rows: 4 });
      fields.push(h("div", { class: "field" }, h("label", { for: resolution.id }, t("demand.resolutionLabel"), h("span", { class: "required" }, " *")), resolution));
      body = () => {
        if (!resolution.value.trim()) throw new Error(t("demand.resolutionRequired"));
        return { resolution: resolution.value.trim() };
      };
    } else if (action === "rate") {
      const rating = choices("demand-rating", RATINGS.map((value) => ({ value, label: t(`demand.rating.${value}`) })), { columns: 3 });
      const comment = h("textarea", { class: "input textarea", id: "demand-rate-comment", maxlength: 1000, rows: 2 });
      fields.push(
        h("h3", { class: "sub-title" }, t("demand.rateTitle")),
        rating.el,
        h("p", { class: "hint" }, t("demand.rateHint")),
        h("div", { class: "field" }, h("label", { for: comment.id }, t("demand.comment")), comment),
      );
      body = () => {
        if (!rating.value()) throw new Error(t("demand.ratePick"));
        return { rating: rating.value(), comment: comment.value.trim() };
      };
    } else {
      const comment = h("textarea", { class: "input textarea", id: `demand-${action}-comment`, maxlength: 1000, rows: 2 });
      fields.push(h("div", { class: "field" }, h("label", { for: comment.id }, t("demand.comment")), comment));
      body = () => ({ comment: comment.value.trim() });
    }

    const built = actionForm({
      id: `demand-${action}`,
      label,
      fields,
      body,
      send: (payload) => act(demand.id, action, payload),
      onDone: (next) => {
        toast(t("action.done", { action: label }));
        paint(next);
      },
      onRefresh: load,
      formClass: "dm-action",
      isGone: () => gone,
    });
    error = built.error;
    return built.form;
  }

  load();
  return () => {
    gone = true;
    controller.abort();
  };
}
