// Registers the service worker (backend/views.py serves frontend_static/sw.js at
// /serviceworker.js, scope /) and tells the user when a new version took over.

export function registerServiceWorker({ onUpdate } = {}) {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  // A first install also fires controllerchange (clients.claim); only a
  // replacement of an existing worker is an "update".
  const hadController = Boolean(navigator.serviceWorker.controller);
  // A tapped push notification (sw.js) opens its notice's in-app route here.
  navigator.serviceWorker.addEventListener("message", (event) => {
    const url = event.data && event.data.type === "dxe:open" ? event.data.url : null;
    if (typeof url === "string" && url.startsWith("#/")) location.hash = url;
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (hadController && onUpdate) onUpdate();
  });
  const register = () =>
    navigator.serviceWorker.register("/serviceworker.js", { scope: "/", updateViaCache: "none" }).catch((error) => {
      // No service worker (private mode, old browser): the app works, only not offline.
      console.warn("Service worker registration failed:", error);
      return null;
    });
  // After the load event and once the page is idle: the install fetches every file of the app
  // (the offline copy), which must not compete with the first screen's own requests and work.
  const whenIdle = () =>
    new Promise((resolve) => {
      if (typeof requestIdleCallback === "function") requestIdleCallback(() => resolve(register()), { timeout: 3000 });
      else setTimeout(() => resolve(register()), 1000);
    });
  if (document.readyState === "complete") return whenIdle();
  return new Promise((resolve) => window.addEventListener("load", () => resolve(whenIdle()), { once: true }));
}
