// Photos of a visit: take one with the camera or pick from the gallery. The file
// is queued as it is (no shrinking, the server checks and thumbnails it) and
// shown with its sync status; a photo still on the phone is shown from its Blob.

import { t } from "../common/i18n.js";
import "./strings.js";
import { fill, h, icon } from "../common/ui.js";

const MAX_BYTES = 10 * 1024 * 1024;

function picker(id, label, iconName, capture) {
  const input = h("input", { type: "file", accept: "image/*", class: "file-input", id, capture: capture ? "environment" : null, "aria-label": label });
  return { input, el: h("label", { class: "btn btn-secondary file-button", for: id }, icon(iconName), h("span", {}, label), input) };
}

/**
 * mountPhotos({onFiles}) → {el, render(photos, itemsByClientId), destroy()}
 * `photos` are the record's photo entries; `itemsByClientId` maps a photo's
 * client_id to its outbox item (absent once sent).
 */
export function mountPhotos({ onFiles }) {
  const urls = new Map();
  const error = h("p", { class: "field-error", id: "photo-error", role: "alert", hidden: true });
  const list = h("ul", { class: "photo-list", id: "photo-list" });
  const camera = picker("photo-camera", t("photo.camera"), "camera", true);
  const gallery = picker("photo-gallery", t("photo.gallery"), "image", false);

  async function take(event) {
    const input = event.target;
    const files = [...(input.files || [])];
    input.value = "";
    error.hidden = true;
    const tooBig = files.filter((file) => file.size > MAX_BYTES);
    if (tooBig.length) {
      error.textContent = t("photo.tooBig", { name: tooBig[0].name });
      error.hidden = false;
    }
    const ok = files.filter((file) => file.size <= MAX_BYTES);
    if (ok.length) await onFiles(ok);
  }
  camera.input.addEventListener("change", take);
  gallery.input.addEventListener("change", take);

  function thumb(photo, item) {
    if (item && item.file) {
      if (!urls.has(photo.client_id)) urls.set(photo.client_id, URL.createObjectURL(item.file));
      return h("img", { class: "photo-thumb", src: urls.get(photo.client_id), alt: photo.name });
    }
    if (photo.result && photo.result.thumbnail_url) {
      return h("img", { class: "photo-thumb", src: photo.result.thumbnail_url, alt: photo.name, loading: "lazy" });
    }
    return h("span", { class: "photo-thumb photo-thumb-empty", "aria-hidden": "true" }, icon("image"));
  }

  function render(photos, items) {
    fill(
      list,
      ...photos.map((photo) => {
        const item = items.get(photo.client_id);
        const status = photo.result ? "synced" : item && item.status === "attention" ? "attention" : "pending";
        const key = { synced: "photo.synced", attention: "photo.attention", pending: "photo.pending" }[status];
        return h(
          "li",
          { class: "photo", dataset: { sync: status } },
          thumb(photo, item),
          h(
            "div",
            { class: "photo-text" },
            h("span", { class: "photo-name" }, photo.name),
            h("span", { class: `chip chip-small chip-${status}` }, t(key)),
            status === "attention" && item.error ? h("span", { class: "photo-error" }, item.error.message) : null,
          ),
        );
      }),
    );
    list.hidden = photos.length === 0;
  }

  const el = h(
    "section",
    { class: "field photos", "aria-labelledby": "photos-title" },
    h("h3", { class: "field-title", id: "photos-title" }, t("photo.title")),
    h("div", { class: "btn-row" }, camera.el, gallery.el),
    h("p", { class: "hint" }, t("photo.hint")),
    error,
    list,
  );

  return {
    el,
    render,
    destroy() {
      for (const url of urls.values()) URL.revokeObjectURL(url);
      urls.clear();
    },
  };
}
