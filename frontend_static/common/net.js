// Online/offline state and the banner under the top bar.
// navigator.onLine only knows about the phone's own link; a request that fails
// at the network level (basement, dead Wi-Fi) also counts as offline until the
// next request gets through. api.js reports both.

import { onLangChange, t } from "./i18n.js";

let browserOnline = navigator.onLine !== false;
let requestsFailing = false;
const listeners = new Set();

export function isOnline() {
  return browserOnline && !requestsFailing;
}

export function onNetChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function update() {
  const online = isOnline();
  const banner = document.getElementById("net-banner");
  if (banner) {
    banner.hidden = online;
    banner.textContent = online ? "" : t("net.offline");
  }
  document.documentElement.classList.toggle("is-offline", !online);
  for (const fn of listeners) fn(online);
}

function set({ browser = browserOnline, failing = requestsFailing }) {
  const before = isOnline();
  browserOnline = browser;
  requestsFailing = failing;
  if (before !== isOnline()) update();
}

/** A fetch failed before any HTTP answer came back. */
export function reportNetworkFailure() {
  set({ failing: true });
}

/** Some HTTP answer came back from our server. */
export function reportNetworkSuccess() {
  set({ failing: false });
}

export function initNet() {
  window.addEventListener("online", () => set({ browser: true, failing: false }));
  window.addEventListener("offline", () => set({ browser: false }));
  onLangChange(update);
  update();
}
