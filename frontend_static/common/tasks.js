// Long work split into short tasks, so that a cheap phone paints and answers taps in between
// (a task over 50 ms is what Lighthouse's Total Blocking Time and the budget bench count).

/** A task boundary: the browser may paint and handle input before the caller carries on. */
export function yieldToMain() {
  if (globalThis.scheduler && typeof globalThis.scheduler.yield === "function") return globalThis.scheduler.yield();
  // Not setTimeout: a hidden tab would wait a second at each boundary.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/**
 * Append make(item) for every item to `parent`, a slice of about `sliceMs` at a time with a
 * task boundary between slices. Resolves true when all are in, false as soon as
 * `current()` says a newer call took over (its items are then not all appended).
 */
export async function appendInSlices(parent, items, make, { current = () => true, sliceMs = 8 } = {}) {
  let i = 0;
  while (i < items.length) {
    const start = performance.now();
    const slice = document.createDocumentFragment();
    do slice.append(make(items[i++]));
    while (i < items.length && performance.now() - start < sliceMs);
    parent.append(slice);
    if (i < items.length) {
      await yieldToMain();
      if (!current()) return false;
    }
  }
  return true;
}
