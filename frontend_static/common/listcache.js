// The last lists a user saw, per tab, kept in localStorage so a screen can show them offline.
// One key per domain; the entries name their user, so another account on the same phone
// never sees them (and the domain clears them at logout).

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
