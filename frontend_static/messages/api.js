// The in-app notice endpoints (/api/notifications/…): the inbox of every role.

import { get, post, queryString } from "../common/api.js";

export function listNotices(params = {}, { signal } = {}) {
  return get(`/api/notifications?${queryString(params)}`, { signal });
}

export function markNoticeRead(id) {
  return post(`/api/notifications/${encodeURIComponent(id)}/read`);
}

export function markAllNoticesRead() {
  return post("/api/notifications/read-all");
}
