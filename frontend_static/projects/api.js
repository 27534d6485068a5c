// The pipeline's endpoints (/api/projects, docs/projects.md).

import { get, post, queryString } from "../common/api.js";

export const listProjects = (params = {}, { signal } = {}) => get(`/api/projects?${queryString(params)}`, { signal });
export const listStages = ({ signal } = {}) => get("/api/projects/stages", { signal });
export const getProject = (id, { signal } = {}) => get(`/api/projects/${encodeURIComponent(id)}`, { signal });
export const createProject = (body) => post("/api/projects", body);
/** action: move | decide | follow-ups | reassign | drop — each but follow-ups answers the project as it is now. */
export const act = (id, action, body) => post(`/api/projects/${encodeURIComponent(id)}/${action}`, body);
export const getPacket = (since, { signal } = {}) => get(`/api/projects/packet?${queryString({ since })}`, { signal });
export const packetXlsxUrl = (since) => `/api/projects/packet?${queryString({ since, format: "xlsx" })}`;
export const getVisit = (id) => get(`/api/visits/${encodeURIComponent(id)}`);
export const getDashboard = ({ signal } = {}) => get("/api/projects/dashboard?months=12", { signal });
