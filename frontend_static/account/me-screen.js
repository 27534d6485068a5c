// 我的: who is logged in, what waits to sync and whether the phone keeps it
// safely (persistent storage), who has looked at my whereabouts (staff), the
// language switch, help, the privacy notice, log out.

import { get } from "../common/api.js";
import { formatDateTime } from "../common/format.js";
import { getLang, setLang, t } from "../common/i18n.js";
import "./strings.js";
import { listItems, onOutbox } from "../common/outbox.js";
import { storageStatus } from "../common/persist.js";
import { joinRow } from "../join/merow.js";
import { pushSwitch } from "../messages/pushswitch.js";
import { logOut } from "../shell/session.js";
import { getPendingCount, onPendingChange } from "../common/syncbadge.js";
import { errorView, fill, h, icon, stateView } from "../common/ui.js";

const VERSION = "0.2.0";
const FIELD_ROLES = new Set(["staff", "manager"]);
const STORAGE_KEYS = { persisted: "me.storagePersisted", "not-persisted": "me.storageNotPersisted", unsupported: "me.storageUnsupported" };

function row(label, value, attrs = {}) {
  return h("div", { class: "row", ...attrs }, h("span", { class: "row-label" }, label), h("span", { class: "row-value" }, value ?? "—"));
}

function accessLog() {
  const list = h("div", { class: "access-log-body" }, stateView("loading"));
  const section = h("section", { class: "card", id: "access-log" }, h("h2", { class: "card-title" }, t("me.accessTitle")), h("p", { class: "hint" }, t("me.accessHint")), list);
  let gone = false;

  async function load() {
    fill(list, stateView("loading"));
    try {
      const page = await get("/api/visits/access-log?limit=20");
      if (gone) return;
      if (!page.items.length) {
        fill(list, stateView("empty", { title: t("me.accessEmpty") }));
        return;
      }
      fill(
        list,
        h(
          "ul",
          { class: "access-list", id: "access-list" },
          page.items.map((entry) =>
            h(
              "li",
              { class: "access-item" },
              h("p", { class: "access-who" }, h("strong", {}, entry.viewer_name), " ", h("span", { class: "hint" }, entry.viewer_role)),
              h("p", { class: "access-what" }, entry.what_label, entry.detail ? ` · ${entry.detail}` : ""),
              h("p", { class: "access-at" }, formatDateTime(entry.at)),
            ),
          ),
        ),
        page.count > page.items.length ? h("p", { class: "hint" }, t("me.accessMore", { n: page.count })) : null,
      );
    } catch (error) {
      if (!gone) fill(list, errorView(error, { title: t("me.accessError"), onRetry: load }));
    }
  }
  load();
  return { el: section, stop: () => (gone = true) };
}

export function mount(el, { user }) {
  const pendingValue = h("span", { class: "row-value big-number", id: "pending-count" }, String(getPendingCount()));
  const attentionValue = h("span", { class: "row-value", id: "attention-count" }, "0");
  const attentionRow = h(
    "a",
    { class: "row row-link", href: "#/visits", hidden: true, id: "attention-row" },
    h("span", { class: "row-label" }, icon("warning"), t("me.attention")),
    attentionValue,
  );
  const storageValue = h("span", { class: "row-value", id: "storage-status" }, "…");

  async function refreshCounts() {
    const items = await listItems().catch(() => []);
    const attention = items.filter((i) => i.status === "attention").length;
    attentionValue.textContent = String(attention);
    attentionRow.hidden = attention === 0;
  }
  const stopPending = onPendingChange((n) => (pendingValue.textContent = String(n)));
  const stopOutbox = onOutbox((event) => event.type === "change" && refreshCounts());
  refreshCounts();
  const storageHint = h("p", { class: "hint storage-hint", hidden: true }, t("me.storageHint"));
  storageStatus().then((status) => {
    storageValue.textContent = t(STORAGE_KEYS[status]);
    storageValue.dataset.status = status;
    storageHint.hidden = status !== "not-persisted";
  });

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
  const logoutWarning = h("p", { class: "notice", role: "alert", hidden: true, id: "logout-warning" });
  const logoutButton = h("button", { type: "button", class: "btn btn-danger btn-block", id: "logout" }, t("me.logout"));
  let warned = false;
  logoutButton.addEventListener("click", async () => {
    const waiting = getPendingCount();
    if (waiting && !warned) {
      // Unsynced records stay on the phone and go up at this user's next login: say so first.
      warned = true;
      logoutWarning.textContent = t("me.logoutPending", { n: waiting });
      logoutWarning.hidden = false;
      logoutButton.textContent = t("me.logoutAnyway");
      logoutWarning.scrollIntoView({ block: "nearest" });
      return;
    }
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

  const access = FIELD_ROLES.has(user.role) ? accessLog() : null;
  // Only field visits are written offline (the outbox): other roles would read
  // "离线记录 0 · 离线存储 未开启" about something they never use. Anything still
  // waiting on this phone is shown whatever the role, so it is never hidden.
  const keepsOutbox = FIELD_ROLES.has(user.role) || getPendingCount() > 0;
  // An owner account belongs to its owner unit (资源持有单位), not to an org unit.
  const whereRow =
    user.role === "enterprise"
      ? row(t("me.enterprise"), user.enterprise_name, { id: "me-enterprise" })
      : row(t("me.unit"), user.role === "owner" ? user.owner_unit_name : user.org_unit, { id: "me-unit" });
  const push = pushSwitch();
  const join = joinRow(user);

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
        whereRow,
        ...(keepsOutbox
          ? [
              h("div", { class: "row", id: "me-sync-row" }, h("span", { class: "row-label" }, t("me.sync")), h("span", {}, pendingValue, " ", h("span", { class: "row-unit" }, t("sync.pendingShort")))),
              attentionRow,
              h("div", { class: "row", id: "me-storage-row" }, h("span", { class: "row-label" }, t("me.storage")), storageValue),
              storageHint,
            ]
          : []),
      ),
      access ? access.el : null,
      access
        ? h(
            "a",
            { class: "card link-row", href: "#/my-trail", id: "my-trail-row" },
            icon("route"),
            h("span", {}, t("trail.mine")),
            h("span", { class: "chevron", "aria-hidden": "true" }, "›"),
          )
        : null,
      join ? join.el : null,
      // 招商项目 (projects/): the pipeline has no tab of its own; its way in is here.
      FIELD_ROLES.has(user.role) || user.role === "admin"
        ? h("a", { class: "card link-row", href: "#/projects", id: "projects-row" }, icon("chart"), h("span", {}, t("tab.projects")), h("span", { class: "chevron", "aria-hidden": "true" }, "›"))
        : null,
      push.el,
      h("section", { class: "card" }, h("h2", { class: "card-title" }, t("me.language")), h("div", { class: "segmented", role: "group" }, langButtons)),
      h("a", { class: "card link-row", href: "#/help", id: "help-row" }, icon("help"), h("span", {}, t("me.help")), h("span", { class: "chevron", "aria-hidden": "true" }, "›")),
      h("a", { class: "card link-row", href: "#/privacy", id: "privacy-row" }, icon("shield"), h("span", {}, t("me.privacy")), h("span", { class: "chevron", "aria-hidden": "true" }, "›")),
      logoutWarning,
      logoutError,
      logoutButton,
      h("p", { class: "version" }, `${t("app.name")} · ${t("me.version")} ${VERSION}`),
    ),
  );
  return () => {
    stopPending();
    stopOutbox();
    access?.stop();
    push.stop();
    join?.stop();
  };
}
