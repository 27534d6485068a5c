// Photos and PDFs on a demand or a consultation: the list (a photo's thumbnail opens the photo;
// a PDF downloads — the server never lets one render in our origin) and, for the people the
// server lets add one, a picker that sends each chosen file in turn and shows the server's
// Chinese message when it refuses one (not a photo or PDF, too large, too many, damaged PDF).

import { post } from "./api.js";
import { t } from "./i18n.js";
import { fill, h, icon, toast } from "./ui.js";

const ACCEPT = "image/jpeg,image/png,image/webp,application/pdf";

function size(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function item(a) {
  if (a.kind === "image") {
    return h(
      "li",
      { class: "att att-image", dataset: { id: a.id } },
      h("a", { href: a.url, target: "_blank", rel: "noopener", class: "att-thumb", "aria-label": t("attach.openPhoto", { name: a.name }) },
        h("img", { src: a.thumb_url, alt: a.name, loading: "lazy", width: 96, height: 72 })),
    );
  }
  const pages = a.pages ? t("attach.pages", { n: a.pages }) : "";
  return h(
    "li",
    { class: "att att-pdf", dataset: { id: a.id } },
    h("a", { href: a.url, download: a.name, class: "att-file" }, icon("file", "chip-icon"),
      h("span", { class: "att-name" }, a.name), h("span", { class: "hint" }, [pages, size(a.size_bytes)].filter(Boolean).join(" · "))),
  );
}

/**
 * A card listing `items` (AttachmentOut). With `uploadUrl`, a button adds photos or PDFs by
 * POSTing each to it; `onAdded(attachment)` follows each success.
 */
export function attachmentsCard({ items, uploadUrl = null, onAdded = () => {}, id = "attachments" }) {
  const list = h("ul", { class: "att-list", id: `${id}-list` }, items.map(item));
  const status = h("p", { class: "hint att-status", id: `${id}-status`, role: "status" });
  let picker = null;
  if (uploadUrl) {
    const input = h("input", { type: "file", accept: ACCEPT, multiple: true, id: `${id}-input`, class: "att-input" });
    input.addEventListener("change", async () => {
      const files = [...input.files];
      input.value = "";
      for (const [index, file] of files.entries()) {
        fill(status, t("attach.sending", { n: index + 1, total: files.length, name: file.name }));
        const form = new FormData();
        form.append("file", file, file.name);
        try {
          const added = await post(uploadUrl, form, { timeout: 120_000 });
          if (!list.querySelector(`[data-id="${added.id}"]`)) list.append(item(added));
          onAdded(added);
        } catch (error) {
          toast(`${file.name}：${error.message}`);
        }
      }
      fill(status);
    });
    picker = h("label", { for: `${id}-input`, class: "btn btn-secondary att-add", id: `${id}-add` }, icon("camera", "chip-icon"), t("attach.add"), input);
  }
  if (!items.length && !picker) return null;
  return h(
    "section",
    { class: "card att-card", id },
    h("h3", { class: "sub-title" }, t("attach.title")),
    items.length ? null : h("p", { class: "hint", id: `${id}-empty` }, t("attach.none")),
    list,
    picker,
    status,
  );
}
