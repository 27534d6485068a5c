// One visit, #/visit/<ref> (ref = the check-in's client_id, or the server id).
//
// Open (checked in, not out): the 走访记录 form, photos and 签退, which reads the
// position again and shows distance and accuracy before confirming.
// Checked out: the result — duration, flags, and the QR code the enterprise scans
// to rate the visit (once the check-out has reached the server). With the server's
// copy: each flag's review status and a 补充说明 (explain) action.

import { ApiError, get, post } from "../common/api.js";
import { formatDateTime, formatDistance, formatDuration } from "../common/format.js";
import { fenceOf } from "../common/geolocate.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { onOutbox } from "../common/outbox.js";
import { openSheet } from "../common/sheet.js";
import { errorView, fill, h, icon, stateView, toast } from "../common/ui.js";
import { mountVisitForm } from "./form.js";
import { openLocateSheet } from "./locatesheet.js";
import { demandList, flagLabel, flagList, qrCard, rangeChip, syncChip } from "./parts.js";
import { mountPhotos } from "./photos.js";
import { visitRules } from "./rules.js";
import { addPhoto, adoptServerVisit, checkOut, findByServerId, getRecord, onVisitsChange, saveDraft, syncState } from "./store.js";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function row(label, value, id) {
  return h("div", { class: "row" }, h("span", { class: "row-label" }, label), h("span", { class: "row-value", id }, value ?? "—"));
}

function syncOf(state) {
  if (!state) return "synced";
  return state.attention ? "attention" : state.pending ? "pending" : "synced";
}

export function mount(el, { args, user, navigate }) {
  const ref = (args[0] || "").toLowerCase();
  const page = h("div", { class: "page visit" });
  el.append(page);

  let record = null; // this phone's copy
  let server = null; // the server's copy (VisitOut), when online
  let form = null;
  let photos = null;
  let gone = false;
  const stops = [];

  const headEl = h("section", { class: "card visit-head", id: "visit-head" });
  const bodyEl = h("div", { class: "visit-body" });
  const resultEl = h("div", { class: "visit-result" });

  async function load() {
    fill(page, stateView("loading"));
    let serverError = null;
    try {
      record = UUID_RE.test(ref) ? await getRecord(ref) : /^\d+$/.test(ref) ? await findByServerId(ref) : null;
      const serverId = record ? record.server_id : /^\d+$/.test(ref) ? Number(ref) : null;
      if (serverId) {
        try {
          server = await get(`/api/visits/${serverId}`);
        } catch (error) {
          serverError = error;
        }
      }
      if (!record && server && !server.checkout_at && server.staff_id === user.id) {
        const enterprise = await get(`/api/enterprises/${server.enterprise_id}`).catch(() => null);
        record = await adoptServerVisit(server, enterprise);
      }
    } catch (error) {
      serverError = error;
    }
    if (gone) return;
    if (!record && !server) {
      const error = serverError || new ApiError(t("visit.notFound"), { kind: "http", status: 404 });
      fill(page, errorView(error, { title: t("visit.loadFailed"), onRetry: load }), h("a", { class: "btn btn-ghost btn-block", href: "#/visits" }, t("visit.backToList")));
      return;
    }
    await render();
  }

  async function render() {
    form?.destroy();
    photos?.destroy();
    form = null;
    photos = null;
    // After 签退 the result (with the QR code for the enterprise) comes first.
    fill(page, record && record.checkout ? resultEl : null, headEl, bodyEl);
    await renderHead();
    if (record && !record.checkout) renderOpen();
    else renderDone();
  }

  async function renderHead() {
    const state = record ? (await syncState())[record.client_id] : null;
    if (gone) return;
    const checkin = record ? record.checkin_result || null : null;
    const name = record ? record.enterprise.name : server.enterprise_name;
    const at = checkin ? checkin.checkin_at : record ? record.checkin.captured_at : server.checkin_at;
    const distance = checkin ? checkin.distance_m : record ? record.checkin.distance_m : server.distance_m;
    const inside = checkin ? checkin.within_geofence : record ? record.checkin.within : server.within_geofence;
    const fence = record ? fenceOf(record.enterprise) : null;
    const entId = record ? record.enterprise.id : server.enterprise_id;
    fill(
      headEl,
      h("div", { class: "visit-title-row" }, h("h2", { class: "visit-name", id: "visit-name" }, name), syncChip(record ? syncOf(state) : "synced", "visit-sync")),
      record && record.enterprise.address ? h("p", { class: "visit-address" }, record.enterprise.address) : null,
      h(
        "div",
        { class: "rows" },
        row(t("visit.checkinAt"), formatDateTime(at), "visit-checkin-at"),
        row(t(checkin || !record ? "measure.serverDistance" : "measure.distance"), formatDistance(distance), "visit-distance"),
      ),
      rangeChip(inside, fence, "visit-range"),
      // The enterprise's 政策计算器 as its own user sees it: what to talk about on the visit.
      entId ? h("a", { class: "btn btn-ghost btn-small", id: "visit-policies", href: `#/policies?enterprise=${entId}` }, icon("file", "chip-icon"), t("visit.policies")) : null,
      // While the visit is open, the check-in's own flags (the result card shows them after 签退).
      record && !record.checkout
        ? record.checkin_result
          ? flagList(record.checkin_result.flags, { id: "visit-checkin-flags" })
          : h("p", { class: "hint", id: "visit-checkin-flags" }, t("visit.flagsAfterSync"))
        : null,
      state && state.attention ? h("p", { class: "notice notice-bad", id: "visit-attention" }, icon("warning"), t("visit.needsAttention")) : null,
    );
  }

  // --- open: the form, photos and 签退 ------------------------------------------------
  function renderOpen() {
    form = mountVisitForm({ draft: record.draft, onDraft: (draft) => saveDraft(record.client_id, draft) });
    photos = mountPhotos({
      onFiles: async (files) => {
        try {
          for (const file of files) {
            const added = await addPhoto({ record, file });
            record = added.record || record;
          }
        } catch (error) {
          console.error(error);
          toast(t("store.failed"));
        }
        await refreshPhotos();
      },
    });
    const checkoutButton = h("button", { type: "button", class: "btn btn-primary btn-block btn-big", id: "checkout" }, icon("logout"), t("checkout.button"));
    checkoutButton.addEventListener("click", startCheckout);
    fill(bodyEl, h("section", { class: "card" }, h("h3", { class: "card-title" }, t("visit.record")), form.el, photos.el), h("div", { class: "sticky-actions" }, checkoutButton));
    refreshPhotos();
  }

  async function refreshPhotos() {
    if (!photos || !record) return;
    const items = new Map();
    const state = (await syncState())[record.client_id];
    for (const item of state ? state.items : []) if (item.kind === "photo") items.set(item.client_id, item);
    if (gone || !photos) return;
    photos.render(record.photos, items);
  }

  function startCheckout() {
    const problem = form.validate();
    if (problem) {
      toast(problem);
      return;
    }
    form.flush();
    const values = form.values();
    const sheet = openLocateSheet({
      prefix: "checkout",
      title: t("checkout.title"),
      head: h("p", { class: "sheet-sub" }, record.enterprise.name),
      enterprise: record.enterprise,
      confirmLabel: t("checkout.confirm"),
      savingLabel: t("checkout.saving"),
      notes: ({ fix }) => shortVisitWarning(fix, () => sheet.close()),
      onConfirm: async (fix) => {
        const { record: next, result } = await checkOut({ record, form: values, fix });
        record = next;
        sheet.setContent(stateView("loading", { title: t("checkin.sending") }));
        const answer = await result;
        if (answer.status === "sent") {
          // The journal hears the same answer; do not wait for it to be written.
          record = { ...record, checkout_result: answer.data, server_id: answer.data.id };
          await refreshServer();
        }
        if (gone) return;
        sheet.close();
        lastAnswer = answer;
        await render();
        page.scrollIntoView({ block: "start" });
      },
    });
  }

  // A check-out this soon is flagged 走访时间过短 for the manager: say so, with the
  // minutes, while the user can still wait instead (the confirm button still goes on).
  async function shortVisitWarning(fix, wait) {
    const rules = await visitRules();
    const since = Date.parse(record.checkin.captured_at);
    if (!rules || !Number.isFinite(since)) return [];
    const elapsedS = Math.max(0, (fix.at - since) / 1000);
    if (elapsedS >= rules.short_visit_s) return [];
    const limit = Math.ceil(rules.short_visit_s / 60);
    const done = Math.floor(elapsedS / 60);
    const left = Math.max(1, Math.ceil((rules.short_visit_s - elapsedS) / 60));
    return [
      h(
        "div",
        { class: "notice notice-stack", id: "checkout-short", role: "alert" },
        h("strong", { class: "notice-title" }, t("checkout.shortTitle", { n: done })),
        h("span", {}, t("checkout.shortWhy", { limit, flag: flagLabel("short_visit") })),
        h("span", {}, t("checkout.shortChoice", { left })),
        h("button", { type: "button", class: "btn btn-secondary btn-block", id: "checkout-wait", onclick: wait }, t("checkout.shortWait", { left })),
      ),
    ];
  }

  // --- done: result, QR, details, flags with reviews -----------------------------------------
  let lastAnswer = null;

  function resultCard() {
    const out = record && record.checkout;
    if (!out) return null;
    const done = record.checkout_result;
    const state = done ? "sent" : lastAnswer && lastAnswer.status === "attention" ? "attention" : "queued";
    const duration = done ? done.duration_s : (Date.parse(out.captured_at) - Date.parse(record.checkin.captured_at)) / 1000;
    const flags = [...new Set([...((record.checkin_result && record.checkin_result.flags) || []), ...((done && done.flags) || [])])];
    const titleKey = { sent: "checkout.done", attention: "checkout.refused", queued: "checkout.queued" }[state];
    return h(
      "section",
      { class: `card result result-${state === "sent" ? "ok" : state === "attention" ? "bad" : "queued"}`, id: "checkout-result", dataset: { status: state } },
      h(
        "div",
        { class: "result-head" },
        icon(state === "sent" ? "check" : state === "attention" ? "warning" : "cloud", "result-icon"),
        h("p", { class: "result-title" }, t(titleKey)),
      ),
      state === "attention" && lastAnswer.error ? h("p", { class: "result-sub" }, lastAnswer.error.message) : null,
      h(
        "div",
        { class: "measure" },
        h(
          "div",
          { class: "measure-item" },
          h("span", { class: "measure-label" }, t("checkout.duration")),
          h("span", { class: "measure-value", id: "checkout-duration" }, formatDuration(duration)),
        ),
        h(
          "div",
          { class: "measure-item" },
          h("span", { class: "measure-label" }, t("measure.distance")),
          h("span", { class: "measure-value", id: "checkout-distance" }, formatDistance(done ? done.checkout_distance_m : out.distance_m)),
        ),
      ),
      done || record.checkin_result ? flagList(flags, { id: "checkout-flags" }) : null,
      done && record.server_id
        ? qrCard(record.server_id, done.rating_url)
        : h("p", { class: "notice", id: "qr-pending" }, icon("cloud"), t(state === "attention" ? "qr.blocked" : "qr.afterSync")),
    );
  }

  function details() {
    const v = server || {};
    const out = (record && record.checkout) || {};
    const purpose = v.purpose || out.purpose;
    return h(
      "section",
      { class: "card" },
      h("h3", { class: "card-title" }, t("visit.record")),
      h(
        "div",
        { class: "rows" },
        row(t("form.purpose"), purpose ? t(`purpose.${purpose}`) : "—", "visit-purpose"),
        row(t("form.people"), v.people_met || out.people_met || "—"),
        v.checkout_at ? row(t("visit.checkoutAt"), formatDateTime(v.checkout_at)) : null,
      ),
      v.summary || out.summary ? h("p", { class: "visit-summary" }, v.summary || out.summary) : null,
      // A visit about an investment can start a lead (projects/new links the visit, its enterprise the investor).
      server && server.staff_id === user.id
        ? h("a", { class: "btn btn-secondary btn-block", id: "visit-start-lead", href: `#/projects/new?visit=${server.id}` }, icon("chart"), t("visit.startLead"))
        : null,
      h("h4", { class: "sub-title" }, t("form.demands")),
      demandList(v.demands || out.demands),
      server && server.photos && server.photos.length
        ? h(
            "div",
            { class: "photo-grid" },
            server.photos.map((p) => h("img", { class: "photo-thumb", src: p.thumbnail_url, alt: t("photo.title"), loading: "lazy" })),
          )
        : null,
      server && server.rating
        ? h("p", { class: "rating-line", id: "visit-rating" }, t("visit.rated", { stars: "★".repeat(server.rating), comment: server.rating_comment || "" }))
        : null,
      server && server.unverified_rating
        ? h(
            "p",
            { class: "rating-line rating-unverified", id: "visit-rating-unverified" },
            t("visit.ratedUnverified", { stars: "★".repeat(server.unverified_rating), comment: server.unverified_comment || "" }),
          )
        : null,
    );
  }

  function reviewSection() {
    if (!server) return null;
    const flags = [...new Set([...(server.flags || []), ...(server.checkout_flags || [])])];
    const mine = server.staff_id === user.id;
    return h(
      "section",
      { class: "card", id: "visit-reviews" },
      h("h3", { class: "card-title" }, t("visit.flagsTitle")),
      flagList(flags, { id: "visit-flags", reviews: server.flag_reviews || [], onExplain: mine ? explain : null }),
    );
  }

  function renderDone() {
    fill(resultEl, resultCard());
    const parts = [details(), reviewSection()];
    if (server && !record && server.checkout_at && server.staff_id === user.id && !server.rating) {
      parts.push(h("section", { class: "card" }, h("h3", { class: "card-title" }, t("qr.title")), qrCard(server.id, null)));
    }
    parts.push(h("a", { class: "btn btn-ghost btn-block", href: "#/visits", id: "visit-back" }, t("visit.backToList")));
    fill(bodyEl, ...parts.filter(Boolean));
  }

  function explain(flag) {
    const sheet = openSheet({ title: t("flags.explainTitle"), id: "explain-sheet" });
    const text = h("textarea", { class: "input textarea", id: "explain-text", rows: 4, maxlength: 1000, "aria-label": t("flags.explainTitle") });
    const error = h("p", { class: "form-error", role: "alert", hidden: true, id: "explain-error" });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "explain-submit" }, t("flags.explainSubmit"));
    const existing = (server.flag_reviews || []).find((r) => r.flag === flag);
    if (existing && existing.explanation) text.value = existing.explanation;
    const formEl = h("form", { class: "form", novalidate: true }, h("p", { class: "flag-label" }, flagLabel(flag)), text, error, submit);
    formEl.addEventListener("submit", async (event) => {
      event.preventDefault();
      const explanation = text.value.trim();
      if (!explanation) {
        error.textContent = t("flags.needExplanation");
        error.hidden = false;
        return;
      }
      submit.disabled = true;
      try {
        const review = await post(`/api/visits/${server.id}/flags/${flag}/explain`, { explanation });
        server.flag_reviews = [...(server.flag_reviews || []).filter((r) => r.flag !== flag), review];
        sheet.close();
        toast(t("flags.explained"));
        renderDone();
      } catch (failure) {
        error.textContent = failure.offline ? t("flags.explainOffline") : failure.message;
        error.hidden = false;
        submit.disabled = false;
      }
    });
    sheet.setContent(formEl);
    text.focus();
  }

  /** The server's copy once the check-out is there (flags with reviews, photos, rating). */
  async function refreshServer() {
    if (!record || !record.server_id || !record.checkout_result) return;
    if (server && server.checkout_at) return;
    try {
      server = await get(`/api/visits/${record.server_id}`);
    } catch {
      // Offline again: the phone's copy is enough for the result and the QR code.
    }
  }

  // Sync results arriving while the screen is open (QR appears, chips turn green).
  stops.push(
    onVisitsChange(async (changed) => {
      if (gone || !record || changed.client_id !== record.client_id) return;
      if (changed.deleted) {
        navigate("visits");
        return;
      }
      record = changed;
      if (record.checkout) {
        await refreshServer();
        if (gone) return;
        await render();
      } else if (!form) {
        await render(); // its check-out was given up: open again
      } else {
        await renderHead();
        await refreshPhotos();
      }
    }),
  );
  stops.push(
    onOutbox(async (event) => {
      if (gone || !record || event.type === "sent") return;
      await renderHead();
      await refreshPhotos();
    }),
  );

  load();
  return () => {
    gone = true;
    form?.flush();
    form?.destroy();
    photos?.destroy();
    stops.forEach((stop) => stop());
  };
}
