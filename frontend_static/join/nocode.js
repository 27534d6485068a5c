// "收不到验证码？": what to do when no code comes. The same words for every number, so the
// hint says nothing about whether a number has an account.

import { t } from "../common/i18n.js";
import "./strings.js";
import { h } from "../common/ui.js";

/** The login door adds `register`: a number with no account gets no login code, so point to 企业注册. */
export function noCodeHint(id, { register = false } = {}) {
  return h(
    "div",
    { class: "nocode", id, role: "note" },
    h("p", { class: "nocode-title" }, t("join.noCodeTitle")),
    h(
      "ol",
      { class: "nocode-steps" },
      h("li", {}, t("join.noCode1")),
      register ? h("li", {}, t("join.noCodeRegister"), " ", h("a", { class: "nocode-register", href: "#/join", id: `${id}-register` }, t("joinBanner.register"))) : null,
      h("li", {}, t("join.noCode2")),
      h("li", {}, t("join.noCode3")),
    ),
  );
}
