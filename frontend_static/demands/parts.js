// Small pieces the demands screens share: the status chip, "overdue".

import { h } from "../common/ui.js";

const OPEN = new Set(["assigned", "verifying", "handling"]);
const CHIP = { pending: "chip-pending", assigned: "chip-open", verifying: "chip-open", handling: "chip-open", resolved: "chip-ok", closed: "chip-ok" };

export function isOverdue(demand, now = Date.now()) {
  return OPEN.has(demand.status) && Boolean(demand.deadline) && Date.parse(demand.deadline) < now;
}

export function statusChip(demand) {
  return h("span", { class: `chip chip-small item-status dm-status ${CHIP[demand.status] || ""}`, dataset: { status: demand.status } }, demand.status_label);
}
