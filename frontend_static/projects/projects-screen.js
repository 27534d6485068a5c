// #/projects: the pipeline board. On a phone one stage at a time — tap a stage to see its
// cards (a kanban by tap: a card opens the project, where the move buttons are); on a tablet
// or desktop every stage is a column side by side, and a card dragged onto another column
// asks the server for that move: a stage that wants approval becomes a request, one that
// wants evidence opens the project to pick the file, a refused move says why (the server's
// Chinese message). #/projects/new, /packet and /<id> are the other screens of the domain.

import { t } from "../common/i18n.js";
import "./strings.js";
import { act, listProjects, listStages } from "./api.js";
import { mountDetail } from "./detail.js";
import { mountNew } from "./new.js";
import { mountPacket } from "./packet.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";

// Columns side by side (projects.css): dragging only makes sense where every column shows.
const WIDE = "(min-width: 900px)";

export function wan(n) {
  return t("projects.wan", { n: Number(n).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) });
}

export function mount(el, ctx) {
  const { args } = ctx;
  if (args[0] === "new") return mountNew(el, ctx);
  if (args[0] === "packet") return mountPacket(el, ctx);
  if (/^\d+$/.test(args[0] || "")) return mountDetail(el, ctx, Number(args[0]));
  return mountBoard(el, ctx);
}

function card(p) {
  return h(
    "li",
    {},
    h(
      "a",
      { class: `card pj-card${p.stale ? " is-stale" : ""}`, id: `project-${p.id}`, href: `#/projects/${p.id}`, dataset: { stage: p.stage, id: String(p.id) }, draggable: "true" },
      h("p", { class: "pj-card-name" }, p.name),
      h("p", { class: "pj-card-investor hint" }, p.investor),
      h("p", { class: "pj-card-figures" }, h("strong", {}, wan(p.investment_wan)), ` · ${p.probability}%`),
      h(
        "p",
        { class: "pj-card-meta hint" },
        t("projects.lead", { name: p.lead_name }),
        p.pending_approval ? h("span", { class: "chip chip-small pj-pending" }, t("projects.pending")) : null,
        p.stale ? h("span", { class: "chip chip-small pj-stale" }, icon("warning", "chip-icon"), t("projects.stale", { n: p.days_idle })) : null,
      ),
    ),
  );
}

function mountBoard(el, { params }) {
  let controller = null;
  let current = params.get("stage") || "";
  let mine = params.get("mine") === "true";
  const strip = h("div", { class: "pj-strip", role: "group", "aria-label": t("projects.stagesLabel"), id: "projects-stages" });
  const board = h("div", { class: "pj-board", id: "projects-board", "aria-live": "polite" });
  const mineBox = h("input", { type: "checkbox", id: "projects-mine", checked: mine });
  mineBox.addEventListener("change", () => {
    mine = mineBox.checked;
    load();
  });
  el.append(
    h(
      "div",
      { class: "page projects" },
      h(
        "div",
        { class: "btn-row pj-tools" },
        h("a", { class: "btn btn-primary", id: "projects-new", href: "#/projects/new" }, icon("plus"), t("projects.new")),
        h("a", { class: "btn btn-secondary", id: "projects-packet", href: "#/projects/packet" }, icon("chart"), t("projects.packet")),
      ),
      h("label", { class: "pj-mine" }, mineBox, t("projects.mine")),
      h("p", { class: "hint pj-drop-hint" }, t("projects.dropHint")),
      strip,
      board,
    ),
  );

  function paint(stages, items) {
    if (!current || !stages.some((s) => s.code === current)) current = stages[0]?.code || "";
    const byStage = Object.fromEntries(stages.map((s) => [s.code, []]));
    for (const p of items) (byStage[p.stage] ||= []).push(p);
    fill(
      strip,
      stages.map((s) =>
        h(
          "button",
          { type: "button", class: "seg pj-seg", id: `projects-stage-${s.code}`, "aria-pressed": String(s.code === current), onclick: () => {
            current = s.code;
            history.replaceState(null, "", `#/projects?stage=${s.code}${mine ? "&mine=true" : ""}`);
            paint(stages, items);
          } },
          s.name,
          h("span", { class: "pj-count" }, String(byStage[s.code].length)),
        ),
      ),
    );
    fill(
      board,
      stages.map((s) =>
        h(
          "section",
          { class: `pj-column${s.code === current ? " is-current" : ""}`, id: `projects-column-${s.code}`, dataset: { stage: s.code }, ondragover: allowDrop, ondrop: (event) => dropOn(event, s, stages) },
          h("h3", { class: "pj-column-title" }, `${s.name} · ${s.probability}%`),
          byStage[s.code].length
            ? h("ul", { class: "pj-list" }, byStage[s.code].map(card))
            : h("p", { class: "hint pj-empty" }, t("projects.empty")),
        ),
      ),
    );
  }

  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest?.(".pj-card");
    if (!card || !matchMedia(WIDE).matches) return event.preventDefault();
    event.dataTransfer.setData("text/plain", card.dataset.id);
    event.dataTransfer.effectAllowed = "move";
  });

  function allowDrop(event) {
    if (!matchMedia(WIDE).matches) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  }

  async function dropOn(event, stage, stages) {
    event.preventDefault();
    const id = Number(event.dataTransfer.getData("text/plain"));
    const from = board.querySelector(`.pj-card[data-id="${id}"]`)?.dataset.stage;
    if (!id || !from || from === stage.code) return;
    const forward = stages.find((s) => s.code === stage.code).order > stages.find((s) => s.code === from).order;
    // Evidence is a file of the project's, chosen on its page with the move.
    if (forward && stage.evidence_required) {
      location.hash = `#/projects/${id}`;
      return;
    }
    try {
      const answer = await act(id, "move", { to: stage.code, comment: "" });
      toast(answer.stage === stage.code ? t("project.moved", { stage: stage.name }) : t("project.requested"));
    } catch (error) {
      toast(t("projects.dropRefused", { message: error.message }));
    }
    load();
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const own = controller;
    fill(board, stateView("loading"));
    try {
      const [stages, page] = await Promise.all([
        listStages({ signal: own.signal }),
        listProjects({ limit: 200, status: "active", mine: mine ? "true" : "" }, { signal: own.signal }),
      ]);
      if (own.signal.aborted) return;
      paint(stages.items, page.items);
    } catch (error) {
      if (own.signal.aborted) return;
      fill(board, errorView(error, { title: t("projects.listError"), onRetry: load }));
    }
  }

  load();
  return () => controller?.abort();
}
