// #/consultations/<id>: one consultation — the question, who answers it and by when (tap for
// how the time was counted; opened at once right after asking), the thread in order, and a
// form for each action the server says the caller may take now (`actions`): answer, follow_up,
// close (the enterprise), reassign (to an official or a department), convert (to a demand,
// then a link to it). A refused step (409, 403, 422) shows the server's Chinese message as is.

import { t } from "../common/i18n.js";
import "./strings.js";
import { act, getConsultation, reassignTargets } from "./api.js";
import { answerByLine, isOverdue, statusChip } from "./parts.js";
import { actionForm, showError } from "../common/actionform.js";
import { attachmentsCard } from "../common/attachments.js";
import { formatDateTime } from "../common/format.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";

const PATH = { answer: "answer", follow_up: "follow-up", close: "close", reassign: "reassign", convert: "convert" };
const FROM_ASKER = new Set(["question", "follow_up"]);

function row(label, value, id) {
  return value ? h("div", { class: "detail-row", id }, h("dt", {}, label), h("dd", {}, value)) : null;
}

function answerByCard(c, { open }) {
  const late = isOverdue(c);
  const when = c.answer_by ? formatDateTime(c.answer_by) : t("consultations.noClock");
  return h(
    "section",
    { class: "card cs-deadline-card", id: "consultation-answer-by-card" },
    h("h3", { class: "sub-title" }, t("consultation.answerByTitle")),
    h("p", { class: `deadline-line${late ? " item-late" : ""}`, id: "consultation-answer-by" }, late ? icon("warning", "chip-icon") : null, when, late ? ` · ${t("consultations.overdue")}` : null),
    h("p", { class: "cs-official", id: "consultation-official" }, t("consultation.whoAnswers", { name: c.unit_name ? `${c.unit_name} ${c.official_name}` : c.official_name })),
    c.answered_on_time !== null ? h("p", { class: "cs-judged", id: "consultation-judged", dataset: { onTime: String(c.answered_on_time) } }, answerByLine(c)) : null,
    c.deadline_explained
      ? h("details", { class: "explain", id: "consultation-explain", open: open || undefined }, h("summary", {}, t("consultation.howCounted")), h("p", { id: "consultation-explained" }, c.deadline_explained))
      : null,
  );
}

function thread(c) {
  return h(
    "section",
    { class: "card" },
    h("h3", { class: "sub-title" }, t("consultation.thread")),
    h(
      "ol",
      { class: "cs-thread", id: "consultation-thread" },
      c.messages.map((m) =>
        h(
          "li",
          { class: `cs-msg cs-msg-${FROM_ASKER.has(m.kind) ? "asker" : m.kind === "answer" ? "official" : "note"}`, dataset: { kind: m.kind } },
          h("p", { class: "cs-msg-who hint" }, `${m.kind_label} · ${m.author_name} · ${formatDateTime(m.at)}`),
          m.text ? h("p", { class: "cs-msg-text" }, m.text) : null,
        ),
      ),
    ),
  );
}

export function mountDetail(el, { role, params }, id) {
  let gone = false;
  let justAsked = params && params.get("asked") === "1";
  const controller = new AbortController();
  const root = h("div", { class: "page consultations cs-detail", id: "consultation-detail" });
  el.append(root);

  async function load() {
    fill(root, stateView("loading"));
    try {
      const c = await getConsultation(id, { signal: controller.signal });
      if (!gone) paint(c);
    } catch (error) {
      if (!gone && !controller.signal.aborted) fill(root, errorView(error, { title: t("consultation.loadError"), onRetry: load }));
    }
  }

  function paint(c) {
    const forStaff = role !== "enterprise";
    fill(
      root,
      h("a", { class: "btn btn-ghost btn-small back-link", href: "#/consultations" }, t("consultation.back")),
      h(
        "section",
        { class: "card cs-head", dataset: { status: c.status } },
        h("div", { class: "item-card-head" }, h("span", { class: "chip chip-small" }, c.category_label), statusChip(c)),
        h("h2", { class: "cs-subject", id: "consultation-subject" }, c.subject),
        h(
          "dl",
          { class: "detail-rows" },
          forStaff ? row(t("consultation.enterprise"), c.enterprise_name, "consultation-enterprise") : null,
          forStaff ? row(t("consultation.askedBy"), `${c.asked_by_name} · ${formatDateTime(c.created_at)}`, "consultation-asked-by") : null,
        ),
      ),
      answerByCard(c, { open: justAsked }),
      c.demand_id ? h("a", { class: "card link-card", id: "consultation-demand", href: `#/demands/${c.demand_id}` }, h("span", {}, t("consultation.demand", { id: c.demand_id })), icon("navigate")) : null,
      thread(c),
      attachmentsCard({ items: c.attachments, uploadUrl: c.can_attach ? `/api/consultations/${c.id}/attachments` : null, id: "consultation-attachments" }),
      c.actions.map((action) => actionCard(c, action)),
    );
    justAsked = false;
  }

  /** One action's form: its fields, a button, and the place for the server's refusal. */
  function actionCard(c, action) {
    const label = t(`consultation.action.${action}`);
    let error = null; // the form's error line, once the form is built (the targets arrive later)
    const fields = [];
    let body = () => ({});

    if (action === "answer" || action === "follow_up") {
      const answer = action === "answer";
      const text = h("textarea", { class: "input textarea", id: `consultation-${action}-text`, maxlength: 2000, rows: answer ? 5 : 3 });
      fields.push(h("div", { class: "field" }, h("label", { for: text.id }, t(answer ? "consultation.answerLabel" : "consultation.followUpLabel")), text));
      body = () => {
        if (!text.value.trim()) throw new Error(t(answer ? "consultation.answerRequired" : "consultation.followUpRequired"));
        return { text: text.value.trim() };
      };
    } else if (action === "close") {
      fields.push(h("p", { class: "hint" }, t("consultation.closeHint")));
    } else if (action === "reassign") {
      const select = h("select", { class: "input", id: "consultation-reassign-select", required: true }, h("option", { value: "" }, t("consultation.reassignPick")));
      const comment = h("textarea", { class: "input textarea", id: "consultation-reassign-comment", maxlength: 500, rows: 2 });
      fields.push(
        h("div", { class: "field" }, h("label", { for: select.id }, t("consultation.reassignTo")), h("p", { class: "hint" }, t("consultation.reassignHint")), select),
        h("div", { class: "field" }, h("label", { for: comment.id }, t("consultation.comment")), comment),
      );
      reassignTargets({ signal: controller.signal })
        .then(({ units, officials }) => {
          const others = officials.filter((o) => o.id !== c.official_id);
          select.append(
            h("optgroup", { label: t("consultation.reassignOfficials") }, others.map((o) => h("option", { value: `official:${o.id}` }, o.unit_name ? `${o.name}（${o.unit_name}）` : o.name))),
            h("optgroup", { label: t("consultation.reassignUnits") }, units.map((u) => h("option", { value: `unit:${u.id}` }, u.name))),
          );
        })
        .catch((err) => {
          if (!gone && !controller.signal.aborted) showError(error, t("consultation.targetsError", { message: err.message }));
        });
      body = () => {
        const [kind, value] = select.value.split(":");
        if (!value) throw new Error(t("consultation.reassignPick"));
        return { [kind === "unit" ? "unit_id" : "official_id"]: Number(value), comment: comment.value.trim() };
      };
    } else if (action === "convert") {
      const comment = h("textarea", { class: "input textarea", id: "consultation-convert-comment", maxlength: 500, rows: 2 });
      fields.push(h("p", { class: "hint" }, t("consultation.convertHint")), h("div", { class: "field" }, h("label", { for: comment.id }, t("consultation.comment")), comment));
      body = () => ({ comment: comment.value.trim() });
    }

    const built = actionForm({
      id: `consultation-${action}`,
      label,
      fields,
      body,
      send: (payload) => act(c.id, PATH[action], payload),
      onDone: (next) => {
        toast(t("action.done", { action: label }));
        paint(next);
      },
      onRefresh: load,
      formClass: "cs-action",
      buttonClass: action === "close" ? "btn-secondary" : "btn-primary",
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
