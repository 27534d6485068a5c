// The offline outbox (§6): every check-in, check-out and photo is saved in
// IndexedDB first and sent afterwards.
//
// - An item leaves the outbox only when the server answers 2xx JSON carrying the
//   item's own client_id. 5xx, 429, timeouts, network errors and anything that is
//   not our JSON (a captive portal's login page) keep it, with exponential backoff.
// - Items go in creation order and nothing overtakes a waiting item: a check-out
//   never reaches the server before its check-in.
// - Any other 4xx (409, 422, 413, 403, 404...) moves an item to "needs attention",
//   where the user sees it and decides: sending the same body again would only be
//   refused again, forever. Only 408 and 429 mean "try later", and 401 waits for
//   this user's next login. Nothing is ever dropped without the user's say.
// - A retry happens at once on the `online` event, when the app starts, when a
//   user logs in, when the app comes back to the foreground and when any other
//   request gets through again.
// - Items belong to the user who made them and are only sent in that user's session.

import { ApiError, request } from "./api.js";
import { db } from "./db.js";
import { t } from "./i18n.js";
import { onNetChange } from "./net.js";
import { currentUser, onUserChange } from "../shell/session.js";
import { setPendingCount } from "./syncbadge.js";

const BASE_DELAY_MS = 2000;
const MAX_DELAY_MS = 5 * 60 * 1000;
const JSON_TIMEOUT_MS = 20000;
const UPLOAD_TIMEOUT_MS = 120000;
const ERROR_RETRY_MS = 30000;
// The 4xx statuses that say "not now" rather than "never": keep the item and try again later.
const RETRYABLE = new Set([408, 429]);

const listeners = new Set();
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("dxe-outbox") : null;
let running = null;
let again = false;
let skipWait = false;
let timer = null;
let started = false;

/** A new idempotency key (UUID v4). */
export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** fn({type: "change" | "sent" | "kept" | "attention" | "discarded", item, data}); returns an unsubscribe function. */
export function onOutbox(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(event) {
  for (const fn of [...listeners]) {
    try {
      fn(event);
    } catch (error) {
      console.error(error);
    }
  }
}

function username() {
  const user = currentUser();
  return user ? user.username : null;
}

/** This user's items, oldest first (pending and needing attention). */
export async function listItems() {
  const name = username();
  if (!name) return [];
  const database = await db();
  const all = await database.getAll("outbox");
  return all.filter((item) => item.user === name).sort((a, b) => a.seq - b.seq);
}

async function refreshCount() {
  try {
    setPendingCount((await listItems()).length);
  } catch (error) {
    console.warn("Outbox unavailable:", error);
  }
}

function changed({ broadcast = true } = {}) {
  refreshCount();
  emit({ type: "change" });
  if (broadcast && channel) channel.postMessage("change");
}

function plainError(error, fallbackKind) {
  if (error instanceof ApiError) {
    return { kind: error.kind, status: error.status, code: error.code, message: error.message, errors: error.errors };
  }
  return { kind: fallbackKind, status: 0, code: "", message: String((error && error.message) || error), errors: null };
}

function backoff(attempts) {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}

async function send(item) {
  let body = item.body;
  if (item.kind === "photo") {
    body = new FormData();
    body.append("client_id", item.client_id);
    body.append("file", item.file, item.filename || "photo.jpg");
  }
  try {
    const data = await request(item.path, {
      method: "POST",
      body,
      timeout: item.kind === "photo" ? UPLOAD_TIMEOUT_MS : JSON_TIMEOUT_MS,
    });
    if (data && typeof data.client_id === "string" && data.client_id.toLowerCase() === item.client_id) {
      return { outcome: "sent", data };
    }
    // A 2xx that is not the answer to this item (a proxy's JSON?): not delivered.
    return { outcome: "keep", error: { kind: "unexpected", status: 0, code: "", message: t("outbox.unexpected"), errors: null } };
  } catch (error) {
    if (!(error instanceof ApiError)) return { outcome: "keep", error: plainError(error, "network") };
    if (error.offline || error.status >= 500 || RETRYABLE.has(error.status)) {
      return { outcome: "keep", error: plainError(error) };
    }
    // Not logged in any more: keep it for when this user logs in again.
    if (error.status === 401) return { outcome: "wait", error: plainError(error) };
    return { outcome: "attention", error: plainError(error) };
  }
}

function schedule(at) {
  clearTimeout(timer);
  timer = setTimeout(() => flush(), Math.max(0, at - Date.now()));
}

async function run() {
  clearTimeout(timer);
  const now = skipWait;
  skipWait = false;
  const name = username();
  if (!name) return;
  const database = await db();
  const items = await listItems();
  // Check-ins that need attention: what belongs to them would only get a 404.
  const stuck = new Set(items.filter((i) => i.kind === "checkin" && i.status === "attention").map((i) => i.client_id));
  for (const item of items) {
    if (item.status !== "pending") continue;
    if (username() !== name) return; // logged out meanwhile
    if (item.visit && stuck.has(item.visit)) {
      item.status = "attention";
      item.error = { kind: "blocked", status: 0, code: "blocked", message: t("outbox.blocked"), errors: null };
      await database.put("outbox", item);
      emit({ type: "attention", item });
      changed();
      continue;
    }
    if (!now && item.next_at > Date.now()) {
      schedule(item.next_at);
      return;
    }
    const result = await send(item);
    if (result.outcome === "sent") {
      await database.delete("outbox", item.seq);
      emit({ type: "sent", item, data: result.data });
      changed();
      continue;
    }
    if (result.outcome === "attention") {
      item.status = "attention";
      item.error = result.error;
      await database.put("outbox", item);
      if (item.kind === "checkin") stuck.add(item.client_id);
      emit({ type: "attention", item });
      changed();
      continue;
    }
    // Keep it; nothing behind it goes first.
    item.attempts = (item.attempts || 0) + 1;
    item.error = result.error;
    item.last_try = Date.now();
    if (result.outcome === "keep") {
      item.next_at = Date.now() + backoff(item.attempts);
      schedule(item.next_at);
    }
    await database.put("outbox", item);
    emit({ type: "kept", item });
    changed();
    return;
  }
}

function withLock(fn) {
  // Two tabs must not send the same queue at once (harmless to the server, but wasteful).
  if (navigator.locks && navigator.locks.request) return navigator.locks.request("dxe-outbox", fn);
  return fn();
}

/** Send what waits, in order. `now` ignores the backoff (user asked, or the network came back). */
export function flush({ now = false } = {}) {
  if (now) skipWait = true;
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await withLock(run);
      } while (again);
    } catch (error) {
      console.error("Outbox flush failed:", error);
      schedule(Date.now() + ERROR_RETRY_MS);
    } finally {
      running = null;
    }
  })();
  return running;
}

/**
 * Save an item, then send it. Resolves when it is saved, with `result`: a promise
 * of {status: "sent", data} | {status: "queued", error} | {status: "attention", error}
 * that settles at the first answer (or "queued" after `waitMs`).
 */
export async function enqueue({ kind, path, body, file, filename, clientId, visit = null, label = "" }, { waitMs = 8000 } = {}) {
  const name = username();
  if (!name) throw new Error("not logged in");
  const item = {
    client_id: clientId.toLowerCase(),
    kind,
    path,
    body: body === undefined ? null : body,
    file: file || null,
    filename: filename || "",
    label,
    visit: visit ? visit.toLowerCase() : null,
    user: name,
    created_at: Date.now(),
    attempts: 0,
    next_at: 0,
    status: "pending",
    error: null,
  };
  const database = await db();
  item.seq = await database.add("outbox", item);
  const result = waitFor(item.client_id, waitMs);
  changed();
  flush({ now: true });
  return { item, result };
}

function waitFor(clientId, ms) {
  return new Promise((resolve) => {
    const done = (value) => {
      clearTimeout(limit);
      stop();
      resolve(value);
    };
    const stop = onOutbox((event) => {
      if (!event.item) return;
      // Any item kept back stops this round: ours stays queued behind it (or is it).
      if (event.type === "kept") done({ status: "queued", error: event.item.error });
      if (event.item.client_id !== clientId) return;
      if (event.type === "sent") done({ status: "sent", data: event.data });
      else if (event.type === "attention") done({ status: "attention", error: event.item.error });
    });
    const limit = setTimeout(() => done({ status: "queued", error: null }), ms);
  });
}

/** Put an item that needs attention (and what was held back with it) back in the queue. */
export async function retry(seq) {
  const database = await db();
  const items = await listItems();
  const item = items.find((i) => i.seq === seq);
  if (!item) return;
  for (const other of items) {
    if (other.status === "attention" && (other.seq === seq || (item.kind === "checkin" && other.visit === item.client_id))) {
      Object.assign(other, { status: "pending", attempts: 0, next_at: 0, error: null });
      await database.put("outbox", other);
    }
  }
  changed();
  return flush({ now: true });
}

/** The user chose to give up an item (and, for a check-in, what belongs to it). Returns how many went. */
export async function discard(seq) {
  const database = await db();
  const items = await listItems();
  const item = items.find((i) => i.seq === seq);
  if (!item) return 0;
  const gone = items.filter((i) => i.seq === seq || (item.kind === "checkin" && i.visit === item.client_id));
  for (const other of gone) await database.delete("outbox", other.seq);
  for (const other of gone) emit({ type: "discarded", item: other });
  changed();
  return gone.length;
}

/** How many items a discard of `seq` would remove (the item and what depends on it). */
export async function discardCount(seq) {
  const items = await listItems();
  const item = items.find((i) => i.seq === seq);
  if (!item) return 0;
  return items.filter((i) => i.seq === seq || (item.kind === "checkin" && i.visit === item.client_id)).length;
}

/** Start once at boot: count, send what waits, and listen for the network coming back. */
export function initOutbox() {
  if (started) return;
  started = true;
  window.addEventListener("online", () => flush({ now: true }));
  onNetChange((online) => {
    if (online) flush({ now: true });
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush({ now: true });
  });
  onUserChange(() => {
    refreshCount();
    emit({ type: "change" });
    flush({ now: true });
  });
  // Another tab changed the queue: recount here too.
  channel?.addEventListener("message", () => changed({ broadcast: false }));
  refreshCount();
  flush({ now: true });
}
