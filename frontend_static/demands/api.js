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
