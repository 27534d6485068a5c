// The policies' endpoints (/api/policies, /api/me/policy-matches; backend/policies/api.py).

import { get, post, queryString } from "../common/api.js";

/** Every live policy against my company (staff: enterprise_id) with outcome, reasons, shortfalls. */
export function policyMatches(params = {}, { signal } = {}) {
  return get(`/api/me/policy-matches?${queryString(params)}`, { signal });
}

/** 咨询这条政策: {consultation_id, url}. */
export function askAboutPolicy(id, text) {
  return post(`/api/policies/${encodeURIComponent(id)}/ask`, { text });
}
