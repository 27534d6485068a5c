// The idle-site endpoints (/api/sites/…), one function each. Filters travel
// as the API names them (type, status, area_min, area_max, rent_max, q, sort).

import { get, post, queryString, request } from "../common/api.js";

export { queryString };

/** The GeoJSON search for a map view: {type, total, limit, offset, features}. */
export function searchSites(params, { signal } = {}) {
  return get(`/api/sites?${queryString(params)}`, { signal });
}

/** The same search inside a drawn polygon: body = filters + {polygon, sort, limit, near}. */
export function searchSitesInArea(body, { signal } = {}) {
  return post("/api/sites/search", body, { signal });
}

/** Server-side clusters for a wide view: {zoom, cell_deg, total, clusters}. */
export function siteClusters(params, { signal } = {}) {
  return get(`/api/sites/clusters?${queryString(params)}`, { signal });
}

export function siteDetail(id, { signal } = {}) {
  return get(`/api/sites/${encodeURIComponent(id)}`, { signal });
}

/** The owner's full contact; logged in only (401), limited (429), logged by the server. */
export function revealContact(id) {
  return post(`/api/sites/${encodeURIComponent(id)}/contact`);
}

export function sendInquiry(id, body) {
  return post(`/api/sites/${encodeURIComponent(id)}/inquiries`, body);
}

export function listInquiries(params = {}, { signal } = {}) {
  return get(`/api/sites/inquiries?${queryString(params)}`, { signal });
}

export function getInquiry(id, { signal } = {}) {
  return get(`/api/sites/inquiries/${encodeURIComponent(id)}`, { signal });
}

export function answerInquiry(id, body) {
  return post(`/api/sites/inquiries/${encodeURIComponent(id)}/answer`, body);
}

export function listSavedSearches({ signal } = {}) {
  return get("/api/sites/saved-searches", { signal });
}

export function saveSearch(body) {
  return post("/api/sites/saved-searches", body);
}

export function deleteSavedSearch(id) {
  return request(`/api/sites/saved-searches/${encodeURIComponent(id)}`, { method: "DELETE" });
}

// --- owners -------------------------------------------------------------------------

export function mySites(params = {}, { signal } = {}) {
  return get(`/api/sites/mine?${queryString(params)}`, { signal });
}

export function updateSite(id, changes) {
  return request(`/api/sites/${encodeURIComponent(id)}`, { method: "PATCH", body: changes });
}

export function confirmSite(id) {
  return post(`/api/sites/${encodeURIComponent(id)}/confirm`);
}

export function addSitePhoto(id, file) {
  const form = new FormData();
  form.append("file", file);
  return post(`/api/sites/${encodeURIComponent(id)}/photos`, form, { timeout: 60000 });
}

export function deleteSitePhoto(id, photoId) {
  return request(`/api/sites/${encodeURIComponent(id)}/photos/${encodeURIComponent(photoId)}`, { method: "DELETE" });
}
