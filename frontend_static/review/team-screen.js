// 团队: the team report for a date range (the last 30 days by default) — totals in big
// numbers, a sortable per-person table, CSV/XLSX exports — and a tap on a person
// opens their trail. A small export comes back as the file; a large one (202) is
// made by a worker: the card shows its progress, then downloads it.

import { get, request } from "../common/api.js";
import { addDays, addMonths, isDay, minDay, monthEnd, monthStart, today } from "../common/dates.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { formatNumber } from "./metrics.js";
import { isOnline } from "../common/net.js";
import { setRoster } from "./roster.js";
import { renderTeamTable } from "./teamtable.js";
import { errorView, h, icon, stateView, toast } from "../common/ui.js";

const PRESETS = ["last30", "last7", "thisMonth", "lastMonth"];

// Kept while the page lives: coming back to 团队 shows the same range and order. The last
// 30 days by default: 本月 on the 1st of a month was a table of zeros (issue 12).
const state = { preset: "last30", from: null, to: null, sort: { key: "visits", direction: "desc" } };

function presetRange(preset) {
  const day = today();
  if (preset === "lastMonth") {
    const month = addMonths(day, -1);
    return { from: `${month}-01`, to: monthEnd(month) };
  }
  if (preset === "last7") return { from: addDays(day, -6), to: day };
  if (preset === "last30") return { from: addDays(day, -29), to: day };
  return { from: monthStart(day), to: day };
}

/** The route to a person's trail: their last day in the range that is not in the future. */
function trailHref(trailRoute, from, to) {
  const day = minDay(to, today());
  const date = day < from ? from : day;
  return (row) => `#/${trailRoute}?staff=${row.staff_id}&date=${date}`;
}

function totalCard(id, labelKey, value, { tone = "" } = {}) {
  return h(
    "div",
    { class: `stat ${tone}`, id },
    h("span", { class: "stat-value" }, formatNumber(value)),
    h("span", { class: "stat-label" }, t(labelKey)),
  );
}

const POLL_MS = 1000;
const OFFLINE_POLL_MS = 4000;

function exportLink({ kind, format, from, to, onExport }) {
  // A real link (it still works as one), but a tap goes through onExport, which
  // knows about jobs.
  const href = `/api/reports/${kind}/export?date_from=${from}&date_to=${to}&format=${format}`;
  const link = h(
    "a",
    { class: "btn btn-secondary export-link", href, download: "", id: `export-${kind}-${format}`, dataset: { format } },
    icon("clipboard"),
    t(format === "csv" ? "team.exportCsv" : "team.exportXlsx"),
  );
  link.addEventListener("click", (event) => {
    event.preventDefault();
    if (!isOnline()) {
      toast(t("team.exportOffline"));
      return;
    }
    onExport(href);
  });
  return link;
}

/** Hand a file to the browser's downloads: a link with `download`, clicked. */
function saveFile(href, name) {
  const a = h("a", { href, download: name || "", hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function mount(el, { role }) {
  if (!state.from) Object.assign(state, presetRange(state.preset));
  // Admins have no 轨迹 tab: their drill-down stays under 团队.
  const trailRoute = role === "admin" ? "team-trail" : "trails";

  const fromInput = h("input", { type: "date", class: "input", id: "team-from", value: state.from, max: today(), "aria-label": t("team.from") });
  const toInput = h("input", { type: "date", class: "input", id: "team-to", value: state.to, max: today(), "aria-label": t("team.to") });
  const rangeError = h("p", { class: "form-error", role: "alert", hidden: true, id: "team-range-error" });
  const presetButtons = PRESETS.map((preset) =>
    h(
      "button",
      { type: "button", class: "seg", id: `preset-${preset}`, "aria-pressed": String(state.preset === preset), onclick: () => choosePreset(preset) },
      t(`team.preset.${preset}`),
    ),
  );
  const totalsEl = h("div", { class: "stats", id: "team-totals" });
  const exportsEl = h("section", { class: "card exports", id: "team-exports" });
  const body = h("div", { class: "team-body", id: "team-body" });

  el.append(
    h(
      "div",
      { class: "wide-page team" },
      h(
        "section",
        { class: "card range-card" },
        h("div", { class: "segmented", role: "group", "aria-label": t("team.range") }, presetButtons),
        h(
          "div",
          { class: "range-inputs" },
          h("label", { class: "field" }, h("span", { class: "field-title" }, t("team.from")), fromInput),
          h("span", { class: "range-dash", "aria-hidden": "true" }, "—"),
          h("label", { class: "field" }, h("span", { class: "field-title" }, t("team.to")), toInput),
        ),
        rangeError,
      ),
      totalsEl,
      body,
      exportsEl,
    ),
  );

  let controller = null;
  let gone = false;
  let report = null;

  function choosePreset(preset) {
    state.preset = preset;
    Object.assign(state, presetRange(preset));
    fromInput.value = state.from;
    toInput.value = state.to;
    presetButtons.forEach((b, i) => b.setAttribute("aria-pressed", String(PRESETS[i] === preset)));
    load();
  }

  function onDates() {
    const from = fromInput.value;
    const to = toInput.value;
    if (!isDay(from) || !isDay(to)) return;
    if (to < from) {
      rangeError.textContent = t("team.badRange");
      rangeError.hidden = false;
      return;
    }
    rangeError.hidden = true;
    state.preset = null;
    presetButtons.forEach((b) => b.setAttribute("aria-pressed", "false"));
    Object.assign(state, { from, to });
    load();
  }
  fromInput.addEventListener("change", onDates);
  toInput.addEventListener("change", onDates);

  const exportStatus = h("div", { class: "export-status", id: "export-status", role: "status", "aria-live": "polite", hidden: true });
  let exporting = false;

  function showExportStatus(...children) {
    exportStatus.hidden = false;
    exportStatus.replaceChildren(...children);
  }

  function showJob(job) {
    const percent = job.percent ?? 0;
    const text =
      job.status === "queued"
        ? t("team.exportQueued")
        : job.total
          ? t("team.exportProgress", { percent, done: formatNumber(job.done), total: formatNumber(job.total) })
          : t("team.exportRunning");
    showExportStatus(
      h("p", { class: "export-title" }, job.title),
      h("progress", { id: "export-progress", max: "100", value: String(percent), "aria-label": job.title }),
      h("p", { class: "hint", id: "export-progress-text" }, text),
    );
    exportStatus.dataset.job = job.id;
    exportStatus.dataset.state = job.status;
  }

  async function followJob(job) {
    // Poll until the worker is done; a lost network pauses the polling, it does not end it.
    while (!gone && (job.status === "queued" || job.status === "running")) {
      showJob(job);
      await sleep(POLL_MS);
      try {
        job = await get(`/api/jobs/${job.id}`);
      } catch (error) {
        if (!error.offline) throw error;
        showExportStatus(h("p", { class: "hint" }, t("team.exportWaitingNetwork")));
        await sleep(OFFLINE_POLL_MS);
      }
    }
    if (gone) return;
    exportStatus.dataset.state = job.status;
    if (job.status !== "done") {
      showExportStatus(h("p", { class: "form-error", id: "export-error" }, t("team.exportFailed", { message: job.error || "" })));
      return;
    }
    showExportStatus(
      h("p", { class: "export-title" }, job.title),
      h("progress", { id: "export-progress", max: "100", value: "100" }),
      h("p", { class: "hint", id: "export-progress-text" }, t("team.exportReady")),
      h("a", { class: "btn btn-secondary", id: "export-download", href: job.download_url, download: "" }, icon("clipboard"), t("team.exportDownload")),
    );
    saveFile(job.download_url, "");
  }

  async function runExport(href) {
    if (exporting) {
      toast(t("team.exportBusy"));
      return;
    }
    exporting = true;
    delete exportStatus.dataset.job;
    exportStatus.dataset.state = "asking";
    showExportStatus(h("p", { class: "hint" }, t("team.exportPreparing")));
    try {
      const answer = await request(href, { file: true, timeout: 60000 });
      if (answer && answer.file) {
        const url = URL.createObjectURL(answer.file);
        saveFile(url, answer.name);
        setTimeout(() => URL.revokeObjectURL(url), 60000);
        exportStatus.dataset.state = "done";
        showExportStatus(h("p", { class: "hint" }, t("team.exportSaved", { name: answer.name })));
      } else {
        await followJob(answer);
      }
    } catch (error) {
      if (gone) return;
      exportStatus.dataset.state = "failed";
      const message = error.errors ? Object.values(error.errors).join("；") : error.message;
      showExportStatus(h("p", { class: "form-error", id: "export-error" }, t("team.exportFailed", { message })));
    } finally {
      exporting = false;
    }
  }

  function renderExports() {
    const { from, to } = state;
    const link = (kind, format) => exportLink({ kind, format, from, to, onExport: runExport });
    exportsEl.replaceChildren(
      h("h2", { class: "card-title" }, t("team.exportsTitle")),
      h(
        "div",
        { class: "export-groups" },
        h("div", { class: "export-group" }, h("p", { class: "export-name" }, t("team.exportTeam")), h("div", { class: "btn-row" }, link("team", "csv"), link("team", "xlsx"))),
        h("div", { class: "export-group" }, h("p", { class: "export-name" }, t("team.exportVisits")), h("div", { class: "btn-row" }, link("visits", "csv"), link("visits", "xlsx"))),
      ),
      h("p", { class: "hint" }, t("team.exportHint")),
      exportStatus,
    );
  }

  function renderReport() {
    const { rows, totals } = report;
    totalsEl.replaceChildren(
      totalCard("total-staff", "team.totals.staff", totals.staff),
      totalCard("total-visits-card", "team.totals.visits", totals.visits),
      totalCard("total-flagged-card", "team.totals.flagged", totals.flagged_visits, { tone: totals.flagged_visits > 0 ? "stat-bad" : "" }),
      totalCard("total-demands-card", "team.totals.demands", totals.demands),
      totalCard("total-demands-resolved-card", "team.totals.demandsResolved", totals.demands_resolved),
      totalCard("total-demands-overdue-card", "team.totals.demandsOverdue", totals.demands_overdue, { tone: totals.demands_overdue > 0 ? "stat-bad" : "" }),
    );
    if (!rows.length) {
      body.replaceChildren(stateView("empty", { title: t("team.emptyTitle"), message: t("team.emptyMessage") }));
      return;
    }
    // A manager without an org unit gets only their own row: the server says why.
    const scope = report.scope?.kind === "self" ? h("p", { class: "hint scope-note", role: "note" }, report.scope.explanation) : null;
    body.replaceChildren(
      ...(scope ? [scope] : []),
      h("p", { class: "hint team-hint" }, t("team.tapHint")),
      h("p", { class: "hint team-hint", id: "team-demands-hint" }, t("team.demandsHint")),
      renderTeamTable({
        rows,
        totals,
        sort: state.sort,
        hrefFor: trailHref(trailRoute, state.from, state.to),
        onSort: (sort) => {
          state.sort = sort;
          renderReport();
          body.querySelector(`[data-sort="${sort.key}"]`)?.focus();
        },
      }),
    );
  }

  async function load() {
    controller?.abort();
    const mine = (controller = new AbortController());
    renderExports();
    totalsEl.replaceChildren();
    body.replaceChildren(stateView("loading", { title: t("team.loading") }));
    try {
      report = await get(`/api/reports/team?date_from=${state.from}&date_to=${state.to}`, { signal: mine.signal });
      if (gone) return;
      setRoster(report.rows);
      renderReport();
    } catch (error) {
      if (gone || mine.signal.aborted) return;
      body.replaceChildren(errorView(error, { title: t(error.offline ? "team.offlineTitle" : "team.errorTitle"), onRetry: load }));
    }
  }

  load();
  return () => {
    gone = true;
    controller?.abort();
  };
}
