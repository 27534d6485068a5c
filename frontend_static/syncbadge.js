// How many records wait on this phone to be synced (§6). Nothing queues yet:
// the outbox issue calls setPendingCount() from its IndexedDB store.

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
