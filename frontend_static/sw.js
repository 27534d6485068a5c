/* 店小二 service worker (served at /serviceworker.js by backend/views.py, scope /).
 *
 * - Precaches the app shell under a versioned cache name. Static files are
 *   served cache-first, so new files reach phones only through a new VERSION:
 *   the server fills it in with a hash of this file, the shell and every file
 *   in APP_FILES (backend/views.py), so no one has to remember a bump. APP_FILES
 *   itself is filled in by the server too: no hand-kept list to forget a file in.
 * - Navigations to the shell ("/"): network first, falling back to the cached
 *   copy (offline start). Other pages (/api/docs) are left to the network.
 * - /api/config and /api/basemap: network first with a cache fallback, so the
 *   town map draws offline.
 * - Every other /api/ request: network only. Private data is never cached here,
 *   and writes (check-in/out, photos) are never touched: the page's IndexedDB
 *   outbox (common/outbox.js) owns retrying them.
 * - Other origins (map tiles): not touched.
 * - Web Push (switched on in 我的, messages/pushswitch.js): a pushed notice is shown as a
 *   notification; a tap opens its in-app route in an open window, or a new one.
 */

const VERSION = "dev"; // replaced when served
const CACHE = `dxe-${VERSION}`;
const NAVIGATION_TIMEOUT_MS = 6000;

// The files precached at install: the shell ("/"), the manifest, every file under
// frontend_static/ and the vendor files the app loads. The server fills this in when it
// serves /serviceworker.js (backend/views.py, app_files()); a build step may take its place.
const APP_FILES = []; // replaced when served

// Public map data: refreshed from the network when possible, kept for offline use.
const MAP_DATA = ["/api/config", "/api/basemap"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: "reload" skips the HTTP cache so a new VERSION gets fresh files.
      await cache.addAll(APP_FILES.map((url) => new Request(url, { cache: "reload" })));
      // The map data is a bonus at install time: the shell installs without it.
      await Promise.all(MAP_DATA.map((url) => refresh(cache, new Request(url, { cache: "reload" })).catch(() => null)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith("dxe-") && name !== CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate" && url.pathname === "/") {
    event.respondWith(navigation(request));
  } else if (MAP_DATA.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith("/api/") || url.pathname === "/serviceworker.js") {
    // Network only: let the browser handle it.
  } else if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.json") {
    event.respondWith(cacheFirst(request));
  }
});

function isJson(response) {
  return /^application\/(.+\+)?json/i.test(response.headers.get("Content-Type") || "");
}

/** Fetch and store a JSON answer; anything else (a captive portal's page) is not stored. */
async function refresh(cache, request) {
  const response = await fetch(request);
  if (response.ok && isJson(response) && !response.redirected) {
    await cache.put(request.url, response.clone());
  }
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await refresh(cache, request);
    if (response.ok && isJson(response)) return response;
    // An error or a portal page: a cached copy, if any, is more useful.
    return (await cache.match(request.url, { ignoreVary: true, ignoreSearch: true })) || response;
  } catch (error) {
    const cached = await cache.match(request.url, { ignoreVary: true, ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

async function navigation(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match("/", { ignoreVary: true });
  const network = fetch(request);
  if (!cached) return network;
  // On a link that never answers (weak signal in a basement), do not wait forever.
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch {
    // Offline: fall through to the cached shell.
  }
  network.catch(() => null);
  return cached;
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

// --- Web Push ------------------------------------------------------------------------------

/** Only an in-app route ("#/inquiries/7") is ever opened from a notification. */
function inAppRoute(url) {
  return typeof url === "string" && /^#\/[^\s]*$/.test(url) ? url : "#/";
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  const options = {
    body: typeof data.body === "string" ? data.body : "",
    icon: "/static/app/common/icons/icon-192.png",
    badge: "/static/app/common/icons/icon-192.png",
    lang: "zh-CN",
    data: { url: inAppRoute(data.url) },
  };
  // One tag per batch: a message pushed again (after a lost answer) replaces the first.
  if (typeof data.tag === "string" && data.tag) options.tag = data.tag;
  event.waitUntil(self.registration.showNotification(typeof data.title === "string" && data.title ? data.title : "店小二", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = inAppRoute(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        // The app routes by hash: tell it, rather than reloading the page (shell/sw-register.js listens).
        open.postMessage({ type: "dxe:open", url });
        await open.focus().catch(() => null);
        return;
      }
      await self.clients.openWindow(`/${url}`);
    })(),
  );
});
