// 企业注册 (a visitor): mobile → SMS code → an enterprise account, logged in → 认领企业.
// The registration door sends a code to any number with the same answer (docs/joining.md).

import { t } from "../common/i18n.js";
import "./strings.js";
import { isOnline, onNetChange } from "../common/net.js";
import { h, icon } from "../common/ui.js";
import { setUser } from "../shell/session.js";
import { register, sendRegisterCode } from "./api.js";
import { noCodeHint } from "./nocode.js";

const MOBILE_RE = /^1[3-9]\d{9}$/;
const CODE_RE = /^\d{6}$/;
const RESEND_SECONDS = 60;

function say(box, message) {
  box.textContent = message || "";
  box.hidden = !message;
}

export function steps(current) {
  return h(
    "ol",
    { class: "join-steps", "aria-label": t("join.title") },
    ["join.step1", "join.step2", "join.step3"].map((key, i) =>
      h("li", { class: "join-step", "aria-current": i + 1 === current ? "step" : false, dataset: { done: String(i + 1 < current) } }, h("span", { class: "join-step-n" }, String(i + 1)), t(key)),
    ),
  );
}

export function mount(el) {
  const timers = [];
  const error = h("p", { class: "form-error", role: "alert", id: "join-error", hidden: true });
  const info = h("p", { class: "form-info", role: "status", id: "join-info", hidden: true });
  const hint = noCodeHint("join-nocode");
  hint.hidden = true;
  const send = h("button", { type: "button", class: "btn btn-secondary", id: "join-send" }, t("join.sendCode"));
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "join-submit" }, t("join.submit"));
  const mobile = h("input", { id: "join-mobile", name: "mobile", class: "input", type: "tel", inputmode: "numeric", autocomplete: "tel-national", maxlength: 11, required: true });
  const code = h("input", { id: "join-code", name: "code", class: "input", type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, pattern: "\\d{6}", required: true });
  const form = h(
    "form",
    { class: "form", id: "join-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "join-mobile" }, t("join.mobile")), h("div", { class: "input-row" }, mobile, send)),
    h("div", { class: "field" }, h("label", { for: "join-code" }, t("join.code")), code),
    info,
    hint,
    error,
    submit,
  );

  let countdown = 0;
  function tick() {
    if (!send.isConnected) return;
    if (countdown > 0) {
      send.disabled = true;
      send.textContent = t("join.resendIn", { n: countdown });
      countdown -= 1;
      timers.push(setTimeout(tick, 1000));
    } else {
      send.disabled = false;
      send.textContent = t("join.sendCode");
    }
  }

  send.addEventListener("click", async () => {
    const number = mobile.value.trim();
    if (!MOBILE_RE.test(number)) return say(error, t("join.badMobile"));
    say(error, "");
    send.disabled = true;
    send.textContent = t("join.sending");
    try {
      const answer = await sendRegisterCode(number);
      say(info, t("join.codeSent", { m: Math.max(1, Math.round((answer?.expires_in || 300) / 60)) }));
      hint.hidden = false;
      countdown = RESEND_SECONDS;
      code.focus();
    } catch (failure) {
      say(error, failure.message);
      countdown = 0;
    }
    tick();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const number = mobile.value.trim();
    const digits = code.value.trim();
    if (!MOBILE_RE.test(number)) return say(error, t("join.badMobile"));
    if (!CODE_RE.test(digits)) return say(error, t("join.badCode"));
    say(error, "");
    submit.disabled = true;
    submit.textContent = t("join.submitting");
    try {
      const me = await register(number, digits);
      delete me.created; // the session keeps /api/auth/me's shape
      // Go on to 认领企业 without a hashchange: setting the user redraws the shell there
      // (after the privacy notice, which carries on to it).
      history.replaceState(null, "", me.enterprise_id ? "#/sites" : "#/join-company");
      setUser(me);
    } catch (failure) {
      say(error, failure.message);
    } finally {
      if (submit.isConnected) {
        submit.disabled = false;
        submit.textContent = t("join.submit");
      }
    }
  });

  const offline = h("p", { class: "notice notice-offline", role: "status", id: "join-offline" }, icon("offline"), t("join.offline"));
  const syncOffline = (online) => (offline.hidden = online);
  syncOffline(isOnline());
  const stopNet = onNetChange(syncOffline);

  el.append(
    h(
      "div",
      { class: "page join", id: "join-screen" },
      steps(1),
      h("p", { class: "hint" }, t("join.intro")),
      offline,
      h("section", { class: "card" }, form),
      h(
        "div",
        { class: "login-links" },
        h("a", { class: "btn btn-ghost", href: "#/login?via=sms", id: "join-login" }, icon("login"), t("join.haveAccount")),
        h("a", { class: "btn btn-ghost", href: "#/sites" }, icon("search"), t("join.browse")),
      ),
    ),
  );
  return () => {
    stopNet();
    timers.forEach(clearTimeout);
  };
}
