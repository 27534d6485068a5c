// 走访: the open visit on top, then what waits on this phone (待同步) and what
// needs the user's decision (需处理), then my visits from the server.
// Offline, the phone's own part still shows; the server's part says it is offline.

import { get } from "../common/api.js";
import { formatDateTime, formatDuration } from "../common/format.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { discard, discardCount, flush, listItems, onOutbox, retry } from "../common/outbox.js";
import { openSheet } from "../common/sheet.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";
import { syncChip } from "./parts.js";
import { listRecords, onVisitsChange } from "./store.js";

const PAGE = 20;
const KIND_KEYS = { checkin: "outbox.kind.checkin", checkout: "outbox.kind.checkout", photo: "outbox.kind.photo" };

function visitCard({ href, name, when, chips = [], extra = null, id }) {
  return h(
    "li",
    {},
    h(
      "a",
      { class: "card visit-card", href, id },
      h("div", { class: "visit-card-main" }, h("span", { class: "visit-card-name" }, name), h("span", { class: "visit-card-when" }, when), extra),
      h("div", { class: "visit-card-chips" }, chips),
      h("span", { class: "chevron", "aria-hidden": "true" }, "›"),
    ),
  );
}

export function mount(el) {
  const syncPanel = h("section", { class: "sync-panel", id: "sync-panel", hidden: true });
  const openSection = h("section", { id: "open-visits", hidden: true });
  const localSection = h("section", { id: "queued-visits", hidden: true });
  const serverSection = h("section", { id: "server-visits" });
  el.append(h("div", { class: "page visits" }, syncPanel, openSection, localSection, serverSection));

  let gone = false;
  let serverItems = [];
  let serverCount = 0;
  let serverError = null;
  let loadingMore = false;
  let records = [];
  let items = [];

  async function refreshLocal() {
    [records, items] = await Promise.all([listRecords(), listItems()]);
    if (gone) return;
    renderSync();
    renderLocal();
    renderServer();
  }

  function renderSync() {
    const attention = items.filter((i) => i.status === "attention");
    const pending = items.length - attention.length;
    // Why the first waiting item has not gone yet (it holds up the ones behind it).
    const head = items.find((i) => i.status === "pending");
    const lastError = head && head.error ? head.error.message : "";
    syncPanel.hidden = items.length === 0;
    if (!items.length) return fill(syncPanel);
    const now = h("button", { type: "button", class: "btn btn-secondary", id: "sync-now" }, icon("sync"), t("sync.now"));
    now.addEventListener("click", async () => {
      now.disabled = true;
      await flush({ now: true });
      if (gone) return;
      const after = await listItems();
      const left = after.filter((i) => i.status === "pending").length;
      const stuck = after.length - left;
      toast(left ? t("sync.stillWaiting", { n: left }) : stuck ? t("sync.attentionTitle", { n: stuck }) : t("sync.allDone"));
      now.disabled = false; // (the panel may have been redrawn meanwhile: harmless)
    });
    fill(
      syncPanel,
      pending
        ? h(
            "div",
            { class: "card sync-card" },
            h(
              "div",
              {},
              h("p", { class: "sync-title", id: "sync-pending" }, t("sync.pending", { n: pending })),
              h("p", { class: "hint" }, t("sync.hint")),
              lastError ? h("p", { class: "hint", id: "sync-last-error" }, t("sync.lastError", { message: lastError })) : null,
            ),
            now,
          )
        : null,
      attention.length
        ? h(
            "div",
            { class: "card attention-card", id: "attention-list" },
            h("h2", { class: "card-title" }, icon("warning"), t("sync.attentionTitle", { n: attention.length })),
            h("p", { class: "hint" }, t("sync.attentionHint")),
            h("ul", { class: "attention-items" }, attention.map(attentionItem)),
          )
        : null,
    );
  }

  function attentionItem(item) {
    const retryButton = h("button", { type: "button", class: "btn btn-secondary btn-small", dataset: { action: "retry", seq: item.seq } }, t("sync.retry"));
    const discardButton = h("button", { type: "button", class: "btn btn-danger btn-small", dataset: { action: "discard", seq: item.seq } }, t("sync.discard"));
    retryButton.addEventListener("click", async () => {
      retryButton.disabled = true;
      await retry(item.seq);
    });
    discardButton.addEventListener("click", () => confirmDiscard(item));
    return h(
      "li",
      { class: "attention-item", dataset: { seq: item.seq, kind: item.kind } },
      h("p", { class: "attention-what" }, h("strong", {}, t(KIND_KEYS[item.kind])), " · ", item.label || ""),
      h("p", { class: "attention-why" }, item.error ? item.error.message : ""),
      h("p", { class: "hint" }, formatDateTime(item.created_at)),
      h("div", { class: "btn-row" }, retryButton, discardButton),
    );
  }

  async function confirmDiscard(item) {
    const n = await discardCount(item.seq);
    const sheet = openSheet({ title: t("sync.discardTitle"), id: "discard-sheet" });
    const yes = h("button", { type: "button", class: "btn btn-danger btn-block", id: "discard-confirm" }, t("sync.discardConfirm", { n }));
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      await discard(item.seq);
      sheet.close();
      toast(t("sync.discarded", { n }));
    });
    sheet.setContent(
      h("p", {}, t("sync.discardWarning", { n })),
      h("div", { class: "sheet-actions" }, yes, h("button", { type: "button", class: "btn btn-ghost btn-block", onclick: () => sheet.close() }, t("sheet.cancel"))),
    );
  }

  function stateFor(clientId) {
    const mine = items.filter((i) => (i.kind === "checkin" ? i.client_id : i.visit) === clientId);
    if (mine.some((i) => i.status === "attention")) return "attention";
    return mine.length ? "pending" : "synced";
  }

  function renderLocal() {
    const open = records.filter((r) => !r.checkout);
    const local = new Set(records.map((r) => r.client_id));
    const serverOpen = serverItems.filter((v) => !v.checkout_at && !local.has(String(v.client_id).toLowerCase()));
    openSection.hidden = open.length + serverOpen.length === 0;
    fill(
      openSection,
      h("h2", { class: "section-title" }, t("visits.open")),
      h(
        "ul",
        { class: "visit-list", id: "open-list" },
        open.map((r) =>
          visitCard({
            href: `#/visit/${r.client_id}`,
            name: r.enterprise.name,
            when: t("visits.checkedInAt", { time: formatDateTime(r.checkin.captured_at) }),
            chips: [h("span", { class: "chip chip-small chip-open" }, t("visits.inProgress")), syncChip(stateFor(r.client_id))],
            id: `open-${r.client_id}`,
          }),
        ),
        serverOpen.map((v) =>
          visitCard({
            href: `#/visit/${v.id}`,
            name: v.enterprise_name,
            when: t("visits.checkedInAt", { time: formatDateTime(v.checkin_at) }),
            chips: [h("span", { class: "chip chip-small chip-open" }, t("visits.inProgress"))],
          }),
        ),
      ),
    );
    // Checked out on the phone, check-in not on the server yet: only the phone knows them.
    const unsynced = records.filter((r) => r.checkout && !r.checkin_result);
    localSection.hidden = unsynced.length === 0;
    fill(
      localSection,
      h("h2", { class: "section-title" }, t("visits.queued")),
      h(
        "ul",
        { class: "visit-list", id: "queued-list" },
        unsynced.map((r) =>
          visitCard({
            href: `#/visit/${r.client_id}`,
            name: r.enterprise.name,
            when: formatDateTime(r.checkin.captured_at),
            chips: [syncChip(stateFor(r.client_id))],
            id: `queued-${r.client_id}`,
          }),
        ),
      ),
    );
  }

  function serverCard(v) {
    const local = records.find((r) => r.client_id === String(v.client_id).toLowerCase());
    const flags = (v.flags || []).length + (v.checkout_flags || []).length;
    const chips = [];
    if (!v.checkout_at) chips.push(h("span", { class: "chip chip-small chip-open" }, t("visits.inProgress")));
    if (local && stateFor(local.client_id) !== "synced") chips.push(syncChip(stateFor(local.client_id)));
    if (flags) chips.push(h("span", { class: "chip chip-small chip-warn" }, t("visits.flags", { n: flags })));
    if (v.rating) chips.push(h("span", { class: "chip chip-small chip-ok" }, "★".repeat(v.rating)));
    return visitCard({
      href: `#/visit/${v.id}`,
      name: v.enterprise_name,
      when: formatDateTime(v.checkin_at),
      extra: v.duration_s !== null && v.duration_s !== undefined ? h("span", { class: "visit-card-when" }, t("visits.duration", { d: formatDuration(v.duration_s) })) : null,
      chips,
      id: `visit-${v.id}`,
    });
  }

  function renderServer() {
    const title = h("h2", { class: "section-title" }, t("visits.mine"));
    if (serverError && !serverItems.length) {
      fill(serverSection, title, errorView(serverError, { title: serverError.offline ? t("visits.offlineTitle") : t("visits.errorTitle"), onRetry: () => loadServer(true) }));
      return;
    }
    if (!serverItems.length && serverCount === null) {
      fill(serverSection, title, stateView("loading"));
      return;
    }
    if (!serverItems.length) {
      fill(serverSection, title, stateView("empty", { title: t("visits.emptyTitle"), message: t("visits.emptyMessage") }));
      return;
    }
    const more =
      serverItems.length < serverCount
        ? h("button", { type: "button", class: "btn btn-secondary btn-block", id: "visits-more", disabled: loadingMore }, loadingMore ? t("state.loading") : t("visits.more"))
        : null;
    more?.addEventListener("click", () => loadServer(false));
    fill(
      serverSection,
      title,
      h("ul", { class: "visit-list", id: "visit-list" }, serverItems.map(serverCard)),
      serverError ? h("p", { class: "form-error", role: "alert" }, serverError.message) : null,
      more,
    );
  }

  let loadToken = 0;
  let reloadTimer = null;

  async function loadServer(reset) {
    const token = ++loadToken; // a newer load wins over one still under way
    if (reset) {
      serverItems = [];
      serverCount = null;
    }
    serverError = null;
    loadingMore = !reset;
    renderServer();
    try {
      const page = await get(`/api/visits?limit=${PAGE}&offset=${serverItems.length}`);
      if (gone || token !== loadToken) return;
      serverItems = [...serverItems, ...page.items];
      serverCount = page.count;
    } catch (error) {
      if (gone || token !== loadToken) return;
      serverError = error;
      if (serverCount === null) serverCount = 0;
    }
    loadingMore = false;
    renderLocal();
    renderServer();
  }

  const stops = [
    onOutbox((event) => {
      if (event.type === "change") refreshLocal();
      // A check-in or check-out just reached the server: the list has changed.
      if (event.type === "sent" && event.item.kind !== "photo") {
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(() => loadServer(true), 300);
      }
    }),
    onVisitsChange(() => refreshLocal()),
  ];

  serverCount = null;
  refreshLocal().then(() => loadServer(true));
  return () => {
    gone = true;
    clearTimeout(reloadTimer);
    stops.forEach((stop) => stop());
  };
}
