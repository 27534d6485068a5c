// The visitor's way to an account, over the public site map (their start page):
// 企业注册 / 登录. Not a wall: the map stays usable underneath.

import { t } from "../common/i18n.js";
import "./strings.js";
import { h } from "../common/ui.js";

export function joinBanner() {
  return h(
    "div",
    { class: "join-banner", id: "join-banner", role: "region", "aria-label": t("joinBanner.title") },
    h("p", { class: "join-banner-text" }, h("strong", {}, t("joinBanner.title")), " ", t("joinBanner.body")),
    h(
      "div",
      { class: "join-banner-actions" },
      h("a", { class: "btn btn-primary btn-small", href: "#/join", id: "join-banner-register" }, t("joinBanner.register")),
      h("a", { class: "btn btn-secondary btn-small", href: "#/login", id: "join-banner-login" }, t("joinBanner.login")),
    ),
  );
}
