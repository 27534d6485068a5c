// 我的 → 消息推送: switch Web Push on or off for this browser.
//
// Push is a bonus, never the only channel: most Android phones in mainland China have
// no browser push service (subscribe() fails there), so the card says so plainly, and
// every notice is in the in-app inbox anyway (important ones also go out by SMS).
// States (data-state on #push-status): checking, unsupported, unconfigured, denied,
// off, on, busy, noService, error.

import { get, post } from "../common/api.js";
import { t } from "../common/i18n.js";
import "./strings.js";
import { h } from "../common/ui.js";

const READY_TIMEOUT_MS = 10000;

function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function registration() {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("service worker not ready")), READY_TIMEOUT_MS));
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

export function pushSwitch() {
  const status = h("p", { class: "push-status", id: "push-status", role: "status", "aria-live": "polite" });
  const toggle = h("button", { type: "button", class: "switch", id: "push-switch", role: "switch", "aria-checked": "false", disabled: true }, h("span", { class: "switch-knob", "aria-hidden": "true" }));
  const label = h("label", { class: "row-label", for: "push-switch" }, t("push.label"));
  const section = h(
    "section",
    { class: "card push-card", id: "push-card" },
    h("h2", { class: "card-title" }, t("push.title")),
    h("div", { class: "row switch-row" }, label, toggle),
    status,
    h("p", { class: "hint push-note", id: "push-note" }, t("push.note")),
  );
  let gone = false;
  let publicKey = null;

  function show(state, message) {
    if (gone) return;
    status.dataset.state = state;
    status.textContent = message ?? t(`push.${state}`);
    const on = state === "on";
    toggle.setAttribute("aria-checked", String(on));
    toggle.disabled = !["on", "off", "noService", "error"].includes(state);
  }

  async function current() {
    const reg = await registration();
    return reg.pushManager.getSubscription();
  }

  async function check() {
    show("checking");
    if (!supported()) return show("unsupported");
    let config;
    try {
      config = await get("/api/notifications/push/config");
    } catch (error) {
      return show("error", t("push.error", { message: error.message }));
    }
    if (!config.enabled) return show("unconfigured");
    publicKey = config.public_key;
    if (Notification.permission === "denied") return show("denied");
    try {
      const subscription = await current();
      if (subscription && Notification.permission === "granted") {
        // Tell the server again: after another login on this phone it is this user's.
        await post("/api/notifications/push/subscriptions", subscription.toJSON());
        return show("on");
      }
    } catch (error) {
      return show("error", t("push.error", { message: error.message }));
    }
    show("off");
  }

  async function switchOn() {
    show("busy");
    const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
    if (permission !== "granted") return show(permission === "denied" ? "denied" : "off");
    let subscription;
    try {
      const reg = await registration();
      subscription = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
    } catch (error) {
      // AbortError "push service not available": the usual answer on a phone without Google services.
      console.warn("Push subscription failed:", error);
      return show("noService");
    }
    try {
      await post("/api/notifications/push/subscriptions", subscription.toJSON());
    } catch (error) {
      await subscription.unsubscribe().catch(() => null);
      return show("error", t("push.error", { message: error.message }));
    }
    show("on");
  }

  async function switchOff() {
    show("busy");
    try {
      const subscription = await current();
      if (subscription) {
        await post("/api/notifications/push/unsubscribe", { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
    } catch (error) {
      return show("error", t("push.error", { message: error.message }));
    }
    show("off");
  }

  toggle.addEventListener("click", () => (toggle.getAttribute("aria-checked") === "true" ? switchOff() : switchOn()));
  check();
  return { el: section, stop: () => (gone = true) };
}
