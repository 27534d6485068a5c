// The consultations' endpoints (/api/consultations, backend/consultations/api.py).

import { get, post, queryString } from "../common/api.js";

export function listConsultations(params = {}, { signal } = {}) {
  return get(`/api/consultations?${queryString(params)}`, { signal });
}

export function getConsultation(id, { signal } = {}) {
  return get(`/api/consultations/${encodeURIComponent(id)}`, { signal });
}

/** {category, subject, text} → the consultation with its answer_by and named official. */
export function askConsultation(body) {
  return post("/api/consultations", body);
}

/** action: answer | follow-up | close | reassign | convert — each answers the consultation as it is now. */
export function act(id, action, body = {}) {
  return post(`/api/consultations/${encodeURIComponent(id)}/${action}`, body);
}

/** {units: [{id, name}], officials: [{id, name, unit_id, unit_name}]} for the 转派 form. */
export function reassignTargets({ signal } = {}) {
  return get("/api/consultations/reassign-targets", { signal });
}
