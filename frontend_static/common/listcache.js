// The last lists a user saw, per tab, kept in localStorage so a screen can show them offline.
// One key per domain; the entries name their user, so another account on the same phone
// never sees them (and the domain clears them at logout).

import { errorView, fill, stateView } from "./ui.js";

export function listCache(key) {
  return {
    read(username, tab) {
      try {
        const cache = JSON.parse(localStorage.getItem(key) || "null");
        return cache && cache.user === username && cache.lists && cache.lists[tab] ? cache.lists[tab] : null;
      } catch {
        return null;
      }
    },
    write(username, tab, items) {
      try {
        const old = JSON.parse(localStorage.getItem(key) || "null");
        const lists = old && old.user === username ? old.lists : {};
        lists[tab] = { at: new Date().toISOString(), items };
        localStorage.setItem(key, JSON.stringify({ user: username, lists }));
      } catch {
        // Full or unavailable storage: the list still shows, only not offline later.
      }
    },
    clear() {
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing stored.
      }
    },
  };
}

/**
 * Loads one tab's list into `body`: from the server (and keeps it), or, when offline, the list
 * last kept for this user and tab, painted with its date; otherwise the error with a retry.
 * A newer load aborts the one before, so a fast tab switch never paints the old tab's list.
 * fetchPage(signal) → {items}; paint(items, {cachedAt}).
 */
export function tabLoader({ cache, body, fetchPage, paint, errorTitle }) {
  let controller = null;
  async function load(username, tab) {
    controller?.abort();
    controller = new AbortController();
    const mine = controller;
    fill(body, stateView("loading"));
    try {
      const page = await fetchPage(mine.signal);
      if (mine.signal.aborted) return;
      cache.write(username, tab, page.items);
      paint(page.items);
    } catch (error) {
      if (mine.signal.aborted) return;
      const cached = error.offline ? cache.read(username, tab) : null;
      if (cached) paint(cached.items, { cachedAt: cached.at });
      else fill(body, errorView(error, { title: errorTitle, onRetry: () => load(username, tab) }));
    }
  }
  return { load, abort: () => controller?.abort() };
}
