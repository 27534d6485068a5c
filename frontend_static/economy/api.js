// The economic figures' endpoints (/api/economy, docs/economy.md).

import { get, queryString } from "../common/api.js";

export function getFigures(params, { signal } = {}) {
  return get(`/api/economy/figures?${queryString(params)}`, { signal });
}

/** The enterprises one figure sums: params are the figure's `filter`. */
export function getRows(params, { signal } = {}) {
  return get(`/api/economy/rows?${queryString({ ...params, limit: 200 })}`, { signal });
}
