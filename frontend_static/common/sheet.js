// A bottom sheet: a modal <dialog> that rises from the bottom edge, within
// thumb reach. Closes with its × button, Esc/back, or a tap above it.

import { t } from "./i18n.js";
import { h, icon } from "./ui.js";

const open = new Set();

/**
 * openSheet({title, id, onClose}) → {body, setTitle, setContent(...nodes), close()}
 * `body` is the scrolling content area; `onClose` runs once, however it closes.
 */
export function openSheet({ title = "", id, onClose } = {}) {
  const titleEl = h("h2", { class: "sheet-title", id: id ? `${id}-title` : null }, title);
  const closeButton = h("button", { type: "button", class: "icon-button sheet-close", "aria-label": t("sheet.close"), title: t("sheet.close") }, icon("close"));
  const body = h("div", { class: "sheet-body" });
  const dialog = h(
    "dialog",
    { class: "sheet", id, "aria-labelledby": id ? `${id}-title` : null },
    h("div", { class: "sheet-grip", "aria-hidden": "true" }),
    h("div", { class: "sheet-head" }, titleEl, closeButton),
    body,
  );
  let closed = false;

  function close() {
    if (closed) return;
    closed = true;
    open.delete(handle);
    if (dialog.open) dialog.close();
    dialog.remove();
    if (onClose) onClose();
  }

  closeButton.addEventListener("click", close);
  dialog.addEventListener("close", close);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    close();
  });
  // A tap on the dimmed page above the sheet lands on the <dialog> itself.
  dialog.addEventListener("click", (event) => {
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) close();
  });

  document.body.append(dialog);
  dialog.showModal();

  const handle = {
    dialog,
    body,
    setTitle(text) {
      titleEl.textContent = text;
    },
    setContent(...nodes) {
      body.replaceChildren(...nodes.flat().filter(Boolean));
    },
    close,
    get closed() {
      return closed;
    },
  };
  open.add(handle);
  return handle;
}

/** Close every open sheet (the screen is changing). */
export function closeSheets() {
  for (const handle of [...open]) handle.close();
}
