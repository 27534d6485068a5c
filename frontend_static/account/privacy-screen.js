// 隐私说明: what Dianxiaoer records about this user, who sees it, how long it is
// kept. shell/app.js sends every route here until the current version is acknowledged;
// afterwards it stays readable from 我的.

import { t } from "../common/i18n.js";
import "./strings.js";
import { homeFor, nextRoute } from "../shell/nav.js";
import { acknowledge, needsNotice } from "./privacy.js";
import { logOut } from "../shell/session.js";
import { h } from "../common/ui.js";

// Which parts concern whom: an enterprise user is never located, an official is.
const SECTIONS = {
  staff: ["account", "device", "location", "visibility", "retention", "flags", "photos"],
  manager: ["account", "device", "location", "visibility", "retention", "flags", "photos", "reviewing"],
  admin: ["account", "device", "visibility", "reviewing", "contacts"],
  enterprise: ["account", "device", "ratings", "contacts", "inquiries"],
  owner: ["account", "device", "ownerPhone", "inquiries"],
};

export function mount(el, { user, params }) {
  const days = user.location_retention_days;
  const sections = (SECTIONS[user.role] || ["account"]).concat("rights");
  const error = h("p", { class: "form-error", role: "alert", id: "privacy-error", hidden: true });
  const asking = needsNotice(user);
  const agree = h("button", { type: "button", class: "btn btn-primary btn-block", id: "privacy-agree" }, t("privacy.agree"));

  // Declining is allowed: it logs out (shell/app.js then shows the login screen).
  const decline = h("button", { type: "button", class: "btn btn-block", id: "privacy-decline" }, t("privacy.decline"));
  decline.addEventListener("click", async () => {
    decline.disabled = true;
    error.hidden = true;
    try {
      await logOut();
    } catch (failure) {
      error.textContent = failure.offline ? t("me.logoutOffline") : failure.message;
      error.hidden = false;
      decline.disabled = false;
    }
  });

  agree.addEventListener("click", async () => {
    agree.disabled = true;
    agree.textContent = t("privacy.saving");
    error.hidden = true;
    try {
      await acknowledge(user);
      location.replace(`#/${nextRoute(params.get("next"), user.role) || homeFor(user.role)}`);
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      agree.disabled = false;
      agree.textContent = t("privacy.agree");
    }
  });

  el.append(
    h(
      "article",
      { class: "page privacy", id: "privacy-notice", dataset: { version: user.privacy_notice_version } },
      h("h1", { class: "privacy-title" }, t("privacy.title")),
      h("p", { class: "lead" }, t("privacy.intro")),
      sections.map((key) =>
        h(
          "section",
          { class: "card privacy-section", id: `privacy-${key}` },
          h("h2", {}, t(`privacy.${key}.title`)),
          // A user remembered from an older build has no figure until /api/auth/me answers.
          h("p", {}, key === "retention" && !Number.isInteger(days) ? t("privacy.retention.bodyUnknown") : t(`privacy.${key}.body`, { days })),
        ),
      ),
      h("p", { class: "hint" }, t("privacy.version", { version: user.privacy_notice_version })),
      asking
        ? h("div", { class: "privacy-actions" }, error, agree, decline)
        : h("p", { class: "privacy-actions" }, h("span", { class: "hint", id: "privacy-done" }, t("privacy.done")), " ", h("a", { href: "#/me", class: "btn btn-block", id: "privacy-back" }, t("privacy.back"))),
    ),
  );
}
