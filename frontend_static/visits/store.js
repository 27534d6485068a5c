// This phone's field visits: check in, record, check out, attach photos.
//
// Every write goes through the outbox (saved first, then sent). The visit itself
// is also kept here, keyed by the check-in's client_id, so that an open visit,
// its half-filled form and the result of a check-out made in a basement survive
// a reload with no network. When the outbox hears the server's answer, the
// record takes the server's figures (id, distance, flags, duration).
//
// The server is addressed by the check-in's client_id (`visit_ref`) for the
// check-out and photos: an offline phone does not know the server id yet.

import { db } from "../common/db.js";
import { distanceM, fenceOf, withinFence } from "../common/geolocate.js";
import { enqueue, listItems, newClientId, onOutbox } from "../common/outbox.js";
import { currentUser } from "../shell/session.js";

// Finished visits stay on the phone this long after the server has everything.
const KEEP_DONE_MS = 3 * 24 * 3600 * 1000;
const listeners = new Set();
let started = false;

export function onVisitsChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed(record) {
  for (const fn of [...listeners]) {
    try {
      fn(record);
    } catch (error) {
      console.error(error);
    }
  }
}

function username() {
  const user = currentUser();
  return user ? user.username : null;
}

export async function getRecord(clientId) {
  if (!clientId) return null;
  const record = await (await db()).get("visits", String(clientId).toLowerCase());
  return record && record.user === username() ? record : null;
}

/** This user's visits on the phone, newest first. */
export async function listRecords() {
  const name = username();
  const all = await (await db()).getAll("visits");
  return all.filter((r) => r.user === name).sort((a, b) => b.created_at - a.created_at);
}

export async function findByServerId(id) {
  return (await listRecords()).find((r) => r.server_id === Number(id)) || null;
}

async function save(record) {
  record.updated_at = Date.now();
  await (await db()).put("visits", record);
  changed(record);
  return record;
}

async function update(clientId, fn) {
  const database = await db();
  const tx = database.transaction("visits", "readwrite");
  const record = await tx.store.get(clientId);
  if (!record) {
    await tx.done;
    return null;
  }
  fn(record);
  record.updated_at = Date.now();
  await tx.store.put(record);
  await tx.done;
  changed(record);
  return record;
}

function enterpriseOf(enterprise) {
  const { id, name, address = "", lat, lng, geofence_m = null } = enterprise;
  return { id, name, address, lat, lng, geofence_m };
}

function measured(enterprise, fix) {
  const distance = distanceM(fix.lat, fix.lng, enterprise.lat, enterprise.lng);
  return { distance_m: distance, within: withinFence(distance, fenceOf(enterprise), fix.accuracy_m) };
}

/**
 * 签到. Resolves {record, result} once the check-in is saved on the phone;
 * `result` settles with the first answer from the server (or "queued").
 */
export async function checkIn({ enterprise, fix, online }) {
  const clientId = newClientId();
  const body = {
    client_id: clientId,
    enterprise_id: enterprise.id,
    lat: fix.lat,
    lng: fix.lng,
    accuracy_m: fix.accuracy_m,
    speed: fix.speed,
    heading: fix.heading,
    captured_at: fix.captured_at,
    // Fixed when saved, never changed afterwards: a resend must be byte-for-byte
    // the same body or the server answers 409. True when the phone knew it was offline.
    queued: !online,
  };
  const record = await save({
    client_id: clientId,
    user: username(),
    enterprise: enterpriseOf(enterprise),
    checkin: { ...body, ...measured(enterprise, fix) },
    checkin_result: null,
    server_id: null,
    draft: null,
    photos: [],
    checkout: null,
    checkout_result: null,
    created_at: Date.now(),
  });
  try {
    const { result } = await enqueue({ kind: "checkin", path: "/api/visits/checkin", body, clientId, label: enterprise.name });
    return { record, result };
  } catch (error) {
    // Not queued (storage failed): do not leave a visit that can never sync.
    await (await db()).delete("visits", clientId);
    changed({ client_id: clientId, deleted: true });
    throw error;
  }
}

/** 签退 with the form's values. Resolves {record, result} like checkIn. */
export async function checkOut({ record, form, fix }) {
  const clientId = newClientId();
  const body = {
    client_id: clientId,
    lat: fix.lat,
    lng: fix.lng,
    accuracy_m: fix.accuracy_m,
    captured_at: fix.captured_at,
    purpose: form.purpose,
    people_met: form.people_met,
    summary: form.summary,
    demands: form.demands,
  };
  const next = await update(record.client_id, (r) => {
    r.checkout = { ...body, distance_m: distanceM(fix.lat, fix.lng, r.enterprise.lat, r.enterprise.lng) };
    r.draft = null;
  });
  try {
    const { result } = await enqueue({
      kind: "checkout",
      path: `/api/visits/${record.client_id}/checkout`,
      body,
      clientId,
      visit: record.client_id,
      label: record.enterprise.name,
    });
    return { record: next, result };
  } catch (error) {
    await update(record.client_id, (r) => {
      r.checkout = null;
      r.draft = form;
    });
    throw error;
  }
}

/** A photo, sent as taken (nothing shrunk), queued as a Blob. */
export async function addPhoto({ record, file }) {
  const clientId = newClientId();
  const filename = file.name || "photo.jpg";
  const next = await update(record.client_id, (r) => {
    r.photos.push({ client_id: clientId, name: filename, size: file.size, type: file.type, result: null });
  });
  try {
    const { result } = await enqueue({
      kind: "photo",
      path: `/api/visits/${record.client_id}/photos`,
      file,
      filename,
      clientId,
      visit: record.client_id,
      label: record.enterprise.name,
    });
    return { record: next, clientId, result };
  } catch (error) {
    await update(record.client_id, (r) => {
      r.photos = r.photos.filter((p) => p.client_id !== clientId);
    });
    throw error;
  }
}

export async function saveDraft(clientId, draft) {
  return update(clientId, (r) => {
    r.draft = draft;
  });
}

/**
 * An open visit known to the server but not to this phone (made on another
 * phone, or the phone's storage was cleared): keep it here to check out.
 */
export async function adoptServerVisit(visit, enterprise = null) {
  const clientId = String(visit.client_id).toLowerCase();
  const existing = await getRecord(clientId);
  if (existing) return existing;
  return save({
    client_id: clientId,
    user: username(),
    // Without the enterprise's own record, its position is taken as the check-in's.
    enterprise: enterprise
      ? enterpriseOf(enterprise)
      : { id: visit.enterprise_id, name: visit.enterprise_name, address: "", lat: visit.checkin_lat, lng: visit.checkin_lng, geofence_m: null },
    checkin: {
      captured_at: visit.checkin_at,
      lat: visit.checkin_lat,
      lng: visit.checkin_lng,
      accuracy_m: visit.checkin_accuracy_m,
      distance_m: visit.distance_m,
      within: visit.within_geofence,
    },
    checkin_result: {
      id: visit.id,
      client_id: clientId,
      enterprise_id: visit.enterprise_id,
      enterprise_name: visit.enterprise_name,
      checkin_at: visit.checkin_at,
      distance_m: visit.distance_m,
      within_geofence: visit.within_geofence,
      flags: visit.flags,
    },
    server_id: visit.id,
    draft: null,
    photos: [],
    checkout: null,
    checkout_result: null,
    created_at: Date.parse(visit.checkin_at) || Date.now(),
  });
}

/** Visits checked in and not yet checked out on this phone. */
export async function openRecords() {
  return (await listRecords()).filter((r) => !r.checkout);
}

/** What still waits in the outbox for each record: {clientId: {pending, attention, kinds}} */
export async function syncState() {
  const state = {};
  for (const item of await listItems()) {
    const key = item.kind === "checkin" ? item.client_id : item.visit;
    if (!key) continue;
    state[key] ??= { pending: 0, attention: 0, kinds: new Set(), items: [] };
    state[key][item.status === "attention" ? "attention" : "pending"] += 1;
    state[key].kinds.add(item.kind);
    state[key].items.push(item);
  }
  return state;
}

async function onSent({ type, item, data }) {
  if (type !== "sent") return;
  if (item.kind === "checkin") {
    await update(item.client_id, (r) => {
      r.checkin_result = data;
      r.server_id = data.id;
    });
  } else if (item.kind === "checkout" && item.visit) {
    await update(item.visit, (r) => {
      r.checkout_result = data;
      r.server_id = data.id;
    });
  } else if (item.kind === "photo" && item.visit) {
    await update(item.visit, (r) => {
      const photo = r.photos.find((p) => p.client_id === item.client_id);
      if (photo) photo.result = data;
    });
  }
}

/** The user gave up an unsent item: the phone's copy of the visit follows. */
async function onDiscarded({ item }) {
  if (item.kind === "checkin") {
    await (await db()).delete("visits", item.client_id);
    changed({ client_id: item.client_id, deleted: true });
  } else if (item.kind === "checkout" && item.visit) {
    // The visit is open again: it can be checked out anew.
    await update(item.visit, (r) => {
      if (r.checkout && r.checkout.client_id === item.client_id) {
        r.checkout = null;
        r.checkout_result = null;
      }
    });
  } else if (item.kind === "photo" && item.visit) {
    await update(item.visit, (r) => {
      r.photos = r.photos.filter((p) => p.client_id !== item.client_id);
    });
  }
}

async function prune() {
  const database = await db();
  const waiting = new Set((await database.getAll("outbox")).map((i) => i.visit || i.client_id));
  const old = Date.now() - KEEP_DONE_MS;
  for (const record of await database.getAll("visits")) {
    if (record.checkout && record.checkout_result && !waiting.has(record.client_id) && record.updated_at < old) {
      await database.delete("visits", record.client_id);
    }
  }
}

export function initVisits() {
  if (started) return;
  started = true;
  onOutbox((event) => {
    if (event.type === "sent") onSent(event).catch((error) => console.error(error));
    if (event.type === "discarded") onDiscarded(event).catch((error) => console.error(error));
  });
  prune().catch((error) => console.warn("Could not prune old visits:", error));
}
