// How many records wait on this phone to be synced (§6). outbox.js sets the
// count from its IndexedDB store; the top bar's badge and 我的 listen.

const listeners = new Set();
let pending = 0;

export function getPendingCount() {
  return pending;
}

export function setPendingCount(n) {
  const next = Math.max(0, Number(n) || 0);
  if (next === pending) return;
  pending = next;
  for (const fn of listeners) fn(pending);
}

export function onPendingChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
