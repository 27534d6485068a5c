// 登录: two tabs, 账号密码 (everyone) and 手机验证码 (enterprise users).
// A successful login sets the session; shell/app.js then moves to the role's home.

import { getLang, setLang, t } from "../common/i18n.js";
import "./strings.js";
import { isOnline, onNetChange } from "../common/net.js";
import { logIn, logInWithSms, sendSmsCode } from "../shell/session.js";
import { h, icon } from "../common/ui.js";
import { noCodeHint } from "../join/nocode.js";

const MOBILE_RE = /^1[3-9]\d{9}$/;
const CODE_RE = /^\d{6}$/;
const RESEND_SECONDS = 60;

function field({ id, label, ...input }) {
  return h("div", { class: "field" }, h("label", { for: id }, label), h("input", { id, name: id, class: "input", ...input }));
}

function setBusy(button, busy, busyText, idleText) {
  button.disabled = busy;
  button.setAttribute("aria-busy", String(busy));
  button.textContent = busy ? busyText : idleText;
}

function showError(box, message) {
  box.textContent = message || "";
  box.hidden = !message;
}

export function mount(el, { params }) {
  const timers = [];

  // --- 账号密码 --------------------------------------------------------------
  const passwordError = h("p", { class: "form-error", role: "alert", id: "login-error", hidden: true });
  const passwordSubmit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "login-submit" }, t("login.submit"));
  const passwordForm = h(
    "form",
    { class: "form", id: "login-password-form", novalidate: true, "aria-labelledby": "tab-password" },
    field({ id: "username", label: t("login.username"), type: "text", autocomplete: "username", autocapitalize: "none", spellcheck: "false", required: true }),
    field({ id: "password", label: t("login.password"), type: "password", autocomplete: "current-password", required: true }),
    passwordError,
    passwordSubmit,
  );
  passwordForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = passwordForm.elements.username.value.trim();
    const password = passwordForm.elements.password.value;
    if (!username) return showError(passwordError, t("login.needUsername"));
    if (!password) return showError(passwordError, t("login.needPassword"));
    showError(passwordError, "");
    setBusy(passwordSubmit, true, t("login.submitting"), t("login.submit"));
    try {
      await logIn(username, password);
    } catch (error) {
      showError(passwordError, error.message);
      passwordForm.elements.password.select();
    } finally {
      if (passwordSubmit.isConnected) setBusy(passwordSubmit, false, t("login.submitting"), t("login.submit"));
    }
  });

  // --- 手机验证码 ------------------------------------------------------------
  const smsError = h("p", { class: "form-error", role: "alert", id: "sms-error", hidden: true });
  const smsInfo = h("p", { class: "form-info", role: "status", id: "sms-info", hidden: true });
  // Shown after every send, whatever the number: the login door sends codes only to registered
  // numbers but answers alike, so this is where an unregistered one learns what to do.
  const smsNoCode = noCodeHint("sms-nocode", { register: true });
  smsNoCode.hidden = true;
  const sendButton = h("button", { type: "button", class: "btn btn-secondary", id: "sms-send" }, t("login.sendCode"));
  const smsSubmit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "sms-submit" }, t("login.submit"));
  const smsForm = h(
    "form",
    { class: "form", id: "login-sms-form", novalidate: true, hidden: true, "aria-labelledby": "tab-sms" },
    h("p", { class: "hint" }, t("login.smsHint")),
    h(
      "div",
      { class: "field" },
      h("label", { for: "mobile" }, t("login.mobile")),
      h(
        "div",
        { class: "input-row" },
        h("input", { id: "mobile", name: "mobile", class: "input", type: "tel", inputmode: "numeric", autocomplete: "tel-national", maxlength: 11, required: true }),
        sendButton,
      ),
    ),
    field({ id: "code", label: t("login.code"), type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, pattern: "\\d{6}", required: true }),
    smsInfo,
    smsNoCode,
    smsError,
    smsSubmit,
  );

  let countdown = 0;
  function tick() {
    if (countdown > 0) {
      sendButton.disabled = true;
      sendButton.textContent = t("login.resendIn", { n: countdown });
      countdown -= 1;
      timers.push(setTimeout(tick, 1000));
    } else {
      sendButton.disabled = false;
      sendButton.textContent = t("login.sendCode");
    }
  }

  sendButton.addEventListener("click", async () => {
    const mobile = smsForm.elements.mobile.value.trim();
    if (!MOBILE_RE.test(mobile)) return showError(smsError, t("login.badMobile"));
    showError(smsError, "");
    setBusy(sendButton, true, t("login.sending"), t("login.sendCode"));
    try {
      const answer = await sendSmsCode(mobile);
      showError(smsInfo, t("login.codeSent", { m: Math.max(1, Math.round((answer?.expires_in || 300) / 60)) }));
      smsNoCode.hidden = false;
      countdown = RESEND_SECONDS;
      smsForm.elements.code.focus();
    } catch (error) {
      showError(smsError, error.message);
      countdown = 0;
    } finally {
      sendButton.removeAttribute("aria-busy");
      if (sendButton.isConnected) tick();
    }
  });

  smsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const mobile = smsForm.elements.mobile.value.trim();
    const code = smsForm.elements.code.value.trim();
    if (!MOBILE_RE.test(mobile)) return showError(smsError, t("login.badMobile"));
    if (!CODE_RE.test(code)) return showError(smsError, t("login.badCode"));
    showError(smsError, "");
    setBusy(smsSubmit, true, t("login.submitting"), t("login.submit"));
    try {
      await logInWithSms(mobile, code);
    } catch (error) {
      showError(smsError, error.message);
    } finally {
      if (smsSubmit.isConnected) setBusy(smsSubmit, false, t("login.submitting"), t("login.submit"));
    }
  });

  // --- tabs ------------------------------------------------------------------
  const tabPassword = h("button", { type: "button", role: "tab", id: "tab-password", class: "seg", "aria-controls": "login-password-form" }, t("login.tabPassword"));
  const tabSms = h("button", { type: "button", role: "tab", id: "tab-sms", class: "seg", "aria-controls": "login-sms-form" }, t("login.tabSms"));
  function select(which) {
    const sms = which === "sms";
    tabPassword.setAttribute("aria-selected", String(!sms));
    tabSms.setAttribute("aria-selected", String(sms));
    passwordForm.hidden = sms;
    smsForm.hidden = !sms;
  }
  tabPassword.addEventListener("click", () => select("password"));
  tabSms.addEventListener("click", () => select("sms"));
  select(params.get("via") === "sms" ? "sms" : "password");

  // --- offline notice and page ---------------------------------------------------
  const offlineNote = h("p", { class: "notice notice-offline", role: "status", id: "login-offline" }, icon("offline"), t("login.offline"));
  const syncOffline = (online) => (offlineNote.hidden = online);
  syncOffline(isOnline());
  const stopNet = onNetChange(syncOffline);

  const other = getLang() === "en" ? "zh-CN" : "en";
  const langButton = h(
    "button",
    { type: "button", class: "btn btn-ghost lang-switch", id: "login-lang", lang: other, onclick: () => setLang(other) },
    other === "en" ? t("me.langEn") : t("me.langZh"),
  );

  el.append(
    h(
      "div",
      { class: "page login" },
      h("div", { class: "login-top" }, langButton),
      h(
        "div",
        { class: "brand" },
        h("img", { class: "brand-logo", src: new URL("../common/icons/icon-192.png", import.meta.url).href, alt: "", width: 72, height: 72 }),
        h("h1", { class: "brand-name" }, t("app.name")),
        h("p", { class: "brand-tagline" }, t("app.tagline")),
      ),
      offlineNote,
      h("div", { class: "card login-card" }, h("div", { class: "segmented", role: "tablist" }, tabPassword, tabSms), passwordForm, smsForm),
      h(
        "div",
        { class: "login-links" },
        h("a", { class: "btn btn-ghost", href: "#/join", id: "login-register" }, icon("building"), t("login.register")),
        h("a", { class: "btn btn-ghost", href: "#/sites" }, icon("search"), t("login.browse")),
        h("a", { class: "btn btn-ghost", href: "#/help" }, icon("help"), t("tab.help")),
      ),
    ),
  );

  return () => {
    stopNet();
    timers.forEach(clearTimeout);
  };
}
