// 我的: who is logged in, pending-sync count, language switch, help, log out.

import { getLang, setLang, t } from "../i18n.js";
import { logOut } from "../session.js";
import { getPendingCount, onPendingChange } from "../syncbadge.js";
import { h, icon } from "../ui.js";

const VERSION = "0.1.0";

function row(label, value, attrs = {}) {
  return h("div", { class: "row", ...attrs }, h("span", { class: "row-label" }, label), h("span", { class: "row-value" }, value ?? "—"));
}

export function mount(el, { user }) {
  const pendingValue = h("span", { class: "row-value big-number", id: "pending-count" }, String(getPendingCount()));
  const stopPending = onPendingChange((n) => (pendingValue.textContent = String(n)));

  const langButtons = ["zh-CN", "en"].map((lang) =>
    h(
      "button",
      {
        type: "button",
        class: "seg",
        lang,
        id: `lang-${lang}`,
        "aria-pressed": String(getLang() === lang),
        onclick: () => setLang(lang),
      },
      lang === "en" ? t("me.langEn") : t("me.langZh"),
    ),
  );

  const logoutError = h("p", { class: "form-error", role: "alert", hidden: true, id: "logout-error" });
  const logoutButton = h("button", { type: "button", class: "btn btn-danger btn-block", id: "logout" }, t("me.logout"));
  logoutButton.addEventListener("click", async () => {
    logoutButton.disabled = true;
    logoutButton.textContent = t("me.loggingOut");
    logoutError.hidden = true;
    try {
      await logOut(); // app.js sees the session end and shows the login screen
    } catch (error) {
      logoutError.textContent = error.offline ? t("me.logoutOffline") : error.message;
      logoutError.hidden = false;
      logoutError.scrollIntoView({ block: "nearest" });
      logoutButton.disabled = false;
      logoutButton.textContent = t("me.logout");
    }
  });

  el.append(
    h(
      "div",
      { class: "page me" },
      h(
        "section",
        { class: "card profile" },
        h("div", { class: "avatar", "aria-hidden": "true" }, (user.display_name || user.username).slice(0, 1)),
        h("div", {}, h("p", { class: "profile-name", id: "profile-name" }, user.display_name || user.username), h("p", { class: "profile-role" }, t(`role.${user.role}`))),
      ),
      h(
        "section",
        { class: "card rows" },
        row(t("me.account"), user.username),
        row(t("me.unit"), user.org_unit),
        h("div", { class: "row" }, h("span", { class: "row-label" }, t("me.sync")), h("span", {}, pendingValue, " ", h("span", { class: "row-unit" }, t("sync.pendingShort")))),
      ),
      h("section", { class: "card" }, h("h2", { class: "card-title" }, t("me.language")), h("div", { class: "segmented", role: "group" }, langButtons)),
      h("a", { class: "card link-row", href: "#/help", id: "help-row" }, icon("help"), h("span", {}, t("me.help")), h("span", { class: "chevron", "aria-hidden": "true" }, "›")),
      logoutError,
      logoutButton,
      h("p", { class: "version" }, `${t("app.name")} · ${t("me.version")} ${VERSION}`),
    ),
  );
  return stopPending;
}
