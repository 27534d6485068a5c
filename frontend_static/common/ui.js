// Small DOM helpers shared by the screens. Text goes in through textContent
// only (never innerHTML), so nothing from the server can become markup.

import { t } from "./i18n.js";

/**
 * h("button", {class: "btn", onclick: fn, dataset: {x: 1}}, "text", child)
 * Attributes starting with "on" become event listeners; false/null are skipped.
 * `style` is an object of CSS properties ({width: "40%"}), set through el.style:
 * the CSP has no style-src 'unsafe-inline', which blocks style="" attributes.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "style") {
      if (typeof value !== "object") throw new TypeError("h(): style must be an object of CSS properties");
      Object.assign(el.style, value);
    } else if (key === "class") {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

/** Replace el's children; null/false/undefined are skipped and arrays flattened (like h()). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG_NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

// Our own simple line icons (24×24, stroke = currentColor).
const ICONS = {
  pin: [["path", { d: "M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z" }], ["circle", { cx: 12, cy: 9.5, r: 2.5 }]],
  clipboard: [["rect", { x: 5, y: 4, width: 14, height: 17, rx: 2 }], ["path", { d: "M9 4V2.8h6V4M8.5 10h7M8.5 14h7M8.5 18h4" }]],
  user: [["circle", { cx: 12, cy: 8, r: 4 }], ["path", { d: "M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" }]],
  team: [["circle", { cx: 8.5, cy: 8, r: 3 }], ["circle", { cx: 16.5, cy: 9, r: 2.5 }], ["path", { d: "M2.5 20c0-3.6 2.7-6 6-6s6 2.4 6 6M15 14.2c3.4-.6 6.5 1.5 6.5 5.8" }]],
  route: [["circle", { cx: 6, cy: 18, r: 2.5 }], ["circle", { cx: 18, cy: 6, r: 2.5 }], ["path", { d: "M8.5 18H15a3 3 0 0 0 0-6H9a3 3 0 0 1 0-6h6.5" }]],
  chart: [["path", { d: "M4 20h16M7 17V11M12 17V6M17 17v-8" }]],
  building: [["path", { d: "M4 21V8l8-5 8 5v13M4 21h16M9 21v-6h6v6M9 11h.01M15 11h.01" }]],
  chat: [["path", { d: "M4 5h16v11H9l-5 4z" }], ["path", { d: "M8 9.5h8M8 12.5h5" }]],
  search: [["circle", { cx: 10.5, cy: 10.5, r: 6 }], ["path", { d: "M15 15l5.5 5.5" }]],
  login: [["path", { d: "M14 4h5v16h-5M4 12h11M11 8l4 4-4 4" }]],
  help: [["circle", { cx: 12, cy: 12, r: 9 }], ["path", { d: "M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5M12 17.5h.01" }]],
  cloud: [["path", { d: "M7 18a4.5 4.5 0 0 1-.6-9A6 6 0 0 1 18 9.5a4.3 4.3 0 0 1-.5 8.5z" }], ["path", { d: "M12 11v5M9.8 13.5 12 11l2.2 2.5" }]],
  offline: [["path", { d: "M3 3l18 18M8.5 8.6A6 6 0 0 0 6.4 9 4.5 4.5 0 0 0 7 18h10M18 9.5a4.3 4.3 0 0 1 2.4 7" }]],
  soon: [["circle", { cx: 12, cy: 12, r: 9 }], ["path", { d: "M12 7v5l3.5 2" }]],
  warning: [["path", { d: "M12 3 2 20h20z" }], ["path", { d: "M12 10v4.5M12 17.5h.01" }]],
  empty: [["rect", { x: 3.5, y: 6, width: 17, height: 13, rx: 2 }], ["path", { d: "M3.5 12h5l1.5 2.5h4L15.5 12h5" }]],
  close: [["path", { d: "M6 6l12 12M18 6 6 18" }]],
  check: [["path", { d: "M4.5 12.5l5 5L19.5 7" }]],
  shield: [["path", { d: "M12 3l7.5 3v5.5c0 4.6-3.2 8.3-7.5 9.5-4.3-1.2-7.5-4.9-7.5-9.5V6z" }], ["path", { d: "M8.8 12.2l2.3 2.3 4.2-4.5" }]],
  locate: [["circle", { cx: 12, cy: 12, r: 6.5 }], ["circle", { cx: 12, cy: 12, r: 2 }], ["path", { d: "M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3" }]],
  more: [["circle", { cx: 5, cy: 12, r: 1.5 }], ["circle", { cx: 12, cy: 12, r: 1.5 }], ["circle", { cx: 19, cy: 12, r: 1.5 }]],
  list: [["path", { d: "M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01" }]],
  map: [["path", { d: "M3 6.5 9 4l6 2.5L21 4v13.5L15 20l-6-2.5L3 20z" }], ["path", { d: "M9 4v13.5M15 6.5V20" }]],
  camera: [["path", { d: "M3.5 8h3.5l1.8-2.5h6.4L17 8h3.5v11h-17z" }], ["circle", { cx: 12, cy: 13.2, r: 3.4 }]],
  image: [["rect", { x: 3.5, y: 4.5, width: 17, height: 15, rx: 2 }], ["circle", { cx: 9, cy: 10, r: 1.8 }], ["path", { d: "M4 18l5-5 3.5 3.5L15 14l5 4.5" }]],
  plus: [["path", { d: "M12 5v14M5 12h14" }]],
  trash: [["path", { d: "M4.5 7h15M9.5 7V4.5h5V7M6.5 7l1 13h9l1-13M10 11v5.5M14 11v5.5" }]],
  logout: [["path", { d: "M10 4H5v16h5M9 12h11M16 8l4 4-4 4" }]],
  sync: [["path", { d: "M19.5 8.5A8 8 0 0 0 5 7.5M4.5 15.5A8 8 0 0 0 19 16.5" }], ["path", { d: "M19.5 3.5v5h-5M4.5 20.5v-5h5" }]],
  star: [["path", { d: "M12 3.5l2.6 5.4 5.9.8-4.3 4.1 1 5.8L12 16.8l-5.2 2.8 1-5.8-4.3-4.1 5.9-.8z" }]],
  // site screens
  phone: [["path", { d: "M6.6 3.5h3l1.5 4-2 1.3a11 11 0 0 0 5.1 5.1l1.3-2 4 1.5v3a2 2 0 0 1-2.2 2A16.5 16.5 0 0 1 4.6 5.7a2 2 0 0 1 2-2.2z" }]],
  filter: [["path", { d: "M4 5h16l-6.2 7.5V19l-3.6-1.8v-4.7z" }]],
  bell: [["path", { d: "M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 1.5h-15z" }], ["path", { d: "M10 20.5a2.2 2.2 0 0 0 4 0" }]],
  navigate: [["path", { d: "M3.5 11 20.5 3.5 13 20.5l-2-7.5z" }]],
  area: [["rect", { x: 4, y: 4, width: 16, height: 16, rx: 1.5 }], ["path", { d: "M4 9.5h16M9.5 4v16" }]],
  edit: [["path", { d: "M4 20h4L19 9l-4-4L4 16z" }], ["path", { d: "M13.5 6.5l4 4" }]],
  mail: [["rect", { x: 3.5, y: 5.5, width: 17, height: 13, rx: 2 }], ["path", { d: "M4 7l8 6 8-6" }]],
  file: [["path", { d: "M6 3h8l4 4v14H6z" }], ["path", { d: "M14 3v4h4M9 13h6M9 17h6" }]],
};

export function icon(name, className = "icon") {
  const root = svg("svg", {
    class: className,
    viewBox: "0 0 24 24",
    width: 24,
    height: 24,
    fill: "none",
    stroke: "currentColor",
    "stroke-width": 2,
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    "aria-hidden": "true",
    focusable: "false",
  });
  for (const [tag, attrs] of ICONS[name] || ICONS.empty) root.append(svg(tag, attrs));
  return root;
}

const STATE_ICONS = { empty: "empty", error: "warning", offline: "offline", soon: "soon" };

/**
 * The four states every screen can be in besides "content":
 * stateView("loading" | "empty" | "error" | "offline" | "soon", {title, message, onRetry})
 */
export function stateView(kind, { title, message, onRetry, retryLabel } = {}) {
  const defaults = {
    loading: t("state.loading"),
    empty: t("state.empty"),
    error: t("state.error"),
    offline: t("state.offline"),
    soon: t("state.soon"),
  };
  return h(
    "div",
    { class: `state state-${kind}`, dataset: { state: kind }, role: kind === "error" ? "alert" : "status" },
    kind === "loading" ? h("div", { class: "spinner", "aria-hidden": "true" }) : icon(STATE_ICONS[kind], "state-icon"),
    h("p", { class: "state-title" }, title || defaults[kind]),
    message ? h("p", { class: "state-message" }, message) : null,
    onRetry ? h("button", { type: "button", class: "btn btn-primary", onclick: onRetry }, retryLabel || t("state.retry")) : null,
  );
}

/** The state for an error thrown by api.js: offline-like failures get the offline view. */
export function errorView(error, { title, onRetry } = {}) {
  if (error && error.offline) {
    // A captive portal gets its own explanation; plain offline gets the hint.
    const message = error.kind === "not-json" ? error.message : t("state.offlineHint");
    return stateView("offline", { title, message, onRetry });
  }
  return stateView("error", { title, message: error ? error.message : "", onRetry });
}

let toastTimer = null;

/** A short message at the bottom of the screen; `action` = {label, onClick}. */
export function toast(message, { action, duration = 4000 } = {}) {
  const el = document.getElementById("toast");
  if (!el) return;
  el.replaceChildren(h("span", {}, message));
  if (action) {
    el.append(h("button", { type: "button", class: "btn btn-small", onclick: action.onClick }, action.label));
  }
  el.hidden = false;
  clearTimeout(toastTimer);
  if (duration) toastTimer = setTimeout(() => (el.hidden = true), duration);
}
