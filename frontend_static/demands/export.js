// The ledger export (issue 13 item 8) for managers and admins: a sheet with the days the
// demands were raised and CSV / Excel. A small export comes back as the file; a large one
// (202) is made by the worker (GET /api/jobs/<id>): the sheet shows its progress, then
// downloads it — the same path as 团队's exports (review/team-screen.js).

import { get, queryString, request } from "../common/api.js";
import { isDay, monthStart, today } from "../common/dates.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { isOnline } from "../common/net.js";
import { openSheet } from "../common/sheet.js";
import { h, icon, toast } from "../common/ui.js";

const POLL_MS = 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function saveFile(href, name) {
  const a = h("a", { href, download: name || "", hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

/** The button that opens the sheet; `filters` ({status}) narrow the export like the list it sits on. */
export function exportButton(filters = {}) {
  return h(
    "button",
    { type: "button", class: "btn btn-secondary", id: "demands-export", onclick: () => openExport(filters) },
    icon("clipboard"),
    t("board.export"),
  );
}

export function openExport(filters = {}) {
  const day = today();
  const from = h("input", { type: "date", class: "input", id: "export-from", value: monthStart(day), max: day });
  const to = h("input", { type: "date", class: "input", id: "export-to", value: day, max: day });
  const status = h("div", { class: "export-status", id: "export-status", role: "status", "aria-live": "polite" });
  let busy = false;
  let closed = false;
  const sheet = openSheet({ title: t("export.title"), id: "export-sheet", onClose: () => (closed = true) });

  const say = (...nodes) => status.replaceChildren(...nodes);

  async function follow(job) {
    while (!closed && (job.status === "queued" || job.status === "running")) {
      status.dataset.state = job.status;
      say(
        h("progress", { id: "export-progress", max: "100", value: String(job.percent ?? 0) }),
        h("p", { class: "hint" }, job.status === "queued" ? t("export.queued") : t("export.progress", { percent: job.percent ?? 0 })),
      );
      await sleep(POLL_MS);
      job = await get(`/api/jobs/${job.id}`);
    }
    if (closed) return;
    status.dataset.state = job.status;
    if (job.status !== "done") throw new Error(job.error || "");
    say(
      h("p", { class: "hint" }, t("export.ready")),
      h("a", { class: "btn btn-secondary", id: "export-download", href: job.download_url, download: "" }, icon("clipboard"), t("export.download")),
    );
    saveFile(job.download_url, "");
  }

  async function run(format) {
    if (busy) return toast(t("export.busy"));
    if (!isOnline()) return toast(t("export.offline"));
    if (!isDay(from.value) || !isDay(to.value) || to.value < from.value) {
      status.dataset.state = "invalid";
      return say(h("p", { class: "form-error", id: "export-error" }, t("export.badRange")));
    }
    busy = true;
    status.dataset.state = "asking";
    say(h("p", { class: "hint" }, t("export.preparing")));
    const href = `/api/demands/export?${queryString({ date_from: from.value, date_to: to.value, format, ...filters })}`;
    try {
      const answer = await request(href, { file: true, timeout: 60000 });
      if (answer && answer.file) {
        const url = URL.createObjectURL(answer.file);
        saveFile(url, answer.name);
        setTimeout(() => URL.revokeObjectURL(url), 60000);
        status.dataset.state = "done";
        say(h("p", { class: "hint", id: "export-saved" }, t("export.saved", { name: answer.name })));
      } else {
        await follow(answer);
      }
    } catch (error) {
      if (closed) return;
      status.dataset.state = "failed";
      const message = error.errors ? Object.values(error.errors).join("；") : error.message;
      say(h("p", { class: "form-error", id: "export-error" }, t("export.failed", { message })));
    } finally {
      busy = false;
    }
  }

  sheet.setContent(
    h(
      "div",
      { class: "mb-range" },
      h("label", { class: "field" }, h("span", { class: "field-title" }, t("export.from")), from),
      h("label", { class: "field" }, h("span", { class: "field-title" }, t("export.to")), to),
    ),
    h(
      "div",
      { class: "btn-row" },
      h("button", { type: "button", class: "btn btn-primary", id: "export-xlsx", onclick: () => run("xlsx") }, t("export.xlsx")),
      h("button", { type: "button", class: "btn btn-secondary", id: "export-csv", onclick: () => run("csv") }, t("export.csv")),
    ),
    h("p", { class: "hint" }, t("export.hint")),
    status,
  );
  return sheet;
}
