// The joining row in 我的: an enterprise user's 企业认证 (with the status in words), a
// reviewer's 企业认领审核 (with the number waiting). Nothing for other roles.

import { t } from "../common/i18n.js";
import "./strings.js";
import { h, icon } from "../common/ui.js";
import { joinStatus, listClaims } from "./api.js";

const REVIEWERS = new Set(["staff", "manager", "admin"]);

/** {el, stop} or null. The value fills in when the server answers (offline: stays "…"). */
export function joinRow(user) {
  const enterprise = user.role === "enterprise";
  if (!enterprise && !REVIEWERS.has(user.role)) return null;
  const controller = new AbortController();
  const value = h("span", { class: "row-value join-row-value", id: enterprise ? "join-company-value" : "join-review-count" }, "…");
  const el = h(
    "a",
    { class: "card link-row", href: enterprise ? "#/join-company" : "#/join-review", id: enterprise ? "join-company-row" : "join-review-row" },
    icon(enterprise ? "shield" : "building"),
    h("span", {}, t(enterprise ? "me.joinCompany" : "me.joinReview")),
    value,
    h("span", { class: "chevron", "aria-hidden": "true" }, "›"),
  );
  const ask = enterprise
    ? joinStatus({ signal: controller.signal }).then((status) => status.status_text)
    : listClaims({ status: "pending", limit: 1 }, { signal: controller.signal }).then((page) => String(page.count));
  ask.then(
    (text) => (value.textContent = text),
    () => (value.textContent = ""),
  );
  return { el, stop: () => controller.abort() };
}
