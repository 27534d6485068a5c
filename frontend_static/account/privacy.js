// The first-use privacy notice: has this user acknowledged the current version?
// The server keeps the answer (so another phone never asks again). An official
// whose phone updated while offline must still be able to check in: then the
// acknowledgement waits in localStorage and is sent on the next good connection.

import { ApiError, post } from "../common/api.js";
import { currentUser, setUser } from "../shell/session.js";

const PENDING_KEY = "dxe.privacyAck";

function pending() {
  try {
    return JSON.parse(localStorage.getItem(PENDING_KEY) || "null");
  } catch {
    return null;
  }
}

function pendingFor(user) {
  const p = pending();
  return Boolean(p && user && p.user === user.id && p.version === user.privacy_notice_version);
}

function setPending(value) {
  try {
    if (value) localStorage.setItem(PENDING_KEY, JSON.stringify(value));
    else localStorage.removeItem(PENDING_KEY);
  } catch {
    // No storage: the notice shows once more next time, nothing worse.
  }
}

/** Must this user read the notice before anything else? */
export function needsNotice(user) {
  return Boolean(user && user.privacy_acknowledged === false && !pendingFor(user));
}

async function send(user) {
  await post("/api/auth/privacy-ack", { version: user.privacy_notice_version });
  setPending(null);
  if (currentUser() && currentUser().id === user.id) setUser({ ...currentUser(), privacy_acknowledged: true });
}

/**
 * The user tapped 我已阅读并同意. Resolves when it is recorded (or, offline,
 * kept for later); rejects with the server's ApiError otherwise.
 */
export async function acknowledge(user) {
  try {
    await send(user);
  } catch (error) {
    if (!(error instanceof ApiError && error.offline)) throw error;
    setPending({ user: user.id, version: user.privacy_notice_version });
  }
}

/** Send an acknowledgement made offline; quietly keeps it when still offline. */
export async function flushPendingAcknowledgement() {
  const user = currentUser();
  if (!user || user.privacy_acknowledged !== false || !pendingFor(user)) return;
  try {
    await send(user);
  } catch (error) {
    if (error instanceof ApiError && !error.offline) setPending(null); // e.g. a newer version: ask again
    console.warn("Privacy acknowledgement not sent:", error);
  }
}
