// The demands ledger's endpoints (/api/demands, docs/demands.md) and the two lists the
// screens borrow: enterprises to raise a demand for (a phone call), officials to assign to.

import { get, post, queryString } from "../common/api.js";

export function listDemands(params = {}, { signal } = {}) {
  return get(`/api/demands?${queryString(params)}`, { signal });
}

export function getDemand(id, { signal } = {}) {
  return get(`/api/demands/${encodeURIComponent(id)}`, { signal });
}

export function raiseDemand(body) {
  return post("/api/demands", body);
}

/** action: assign | verify | handle | resolve | rate — each answers the demand as it is now. */
export function act(id, action, body = {}) {
  return post(`/api/demands/${encodeURIComponent(id)}/${action}`, body);
}

export function searchEnterprises(q, { signal } = {}) {
  return get(`/api/enterprises?${queryString({ q, limit: 8 })}`, { signal });
}

/** A 场地 demand's suggested sites: {items, count, limit, offset, needs, can_inquire, can_set_needs}. */
export function getSiteSuggestions(id, { signal } = {}) {
  return get(`/api/demands/${encodeURIComponent(id)}/site-suggestions`, { signal });
}

/** State or correct a 场地 demand's needs; answers the demand (a note on its timeline). */
export function setSiteNeeds(id, needs) {
  return post(`/api/demands/${encodeURIComponent(id)}/site-needs`, needs);
}

/** The enterprise's inquiry to a suggested site's owner unit, from its demand. */
export function sendSiteInquiry(id, body) {
  return post(`/api/demands/${encodeURIComponent(id)}/site-inquiries`, body);
}
