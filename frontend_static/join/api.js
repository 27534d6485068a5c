// The joining endpoints (/api/join/…), one function each (docs/joining.md).

import { get, post, queryString } from "../common/api.js";

/** A registration code: the same answer whether or not the number has an account. */
export function sendRegisterCode(mobile) {
  return post("/api/join/sms/send", { mobile }, { authRedirect: false });
}

/** Register (or log into the number's enterprise account): the /api/auth/me shape plus `created`. */
export function register(mobile, code) {
  return post("/api/join/register", { mobile, code }, { authRedirect: false });
}

export function claimCompany(name, uscc) {
  return post("/api/join/claim", { name, uscc });
}

/** {verified, enterprise_id, status_text, claim} */
export function joinStatus({ signal } = {}) {
  return get("/api/join/status", { signal });
}

export function listClaims({ status = "pending", limit = 50, offset = 0 } = {}, { signal } = {}) {
  return get(`/api/join/claims?${queryString({ status, limit, offset })}`, { signal });
}

export function approveClaim(id, reason = "") {
  return post(`/api/join/claims/${encodeURIComponent(id)}/approve`, { reason });
}

export function rejectClaim(id, reason) {
  return post(`/api/join/claims/${encodeURIComponent(id)}/reject`, { reason });
}
