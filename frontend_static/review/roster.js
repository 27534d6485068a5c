// Whom a manager may pick on 轨迹: the people of the team report (own unit for
// a manager, everyone for an admin). Kept in memory for the page's life; 团队
// hands over the rows it already has, so 轨迹 usually asks nothing.

import { get } from "../common/api.js";
import { monthStart, today } from "../common/dates.js";

let roster = null;

export function setRoster(rows) {
  roster = rows.map((r) => ({ staff_id: r.staff_id, staff_name: r.staff_name, team: r.team }));
}

/** [{staff_id, staff_name, team}] — throws ApiError like api.js. */
export async function loadRoster({ signal } = {}) {
  if (roster) return roster;
  const day = today();
  const report = await get(`/api/reports/team?date_from=${monthStart(day)}&date_to=${day}`, { signal });
  setRoster(report.rows);
  return roster;
}
