// Small pieces the demands screens share: the status chip, "overdue", radio choices.

import { h } from "../common/ui.js";

const OPEN = new Set(["assigned", "verifying", "handling"]);
const CHIP = { pending: "chip-pending", assigned: "chip-open", verifying: "chip-open", handling: "chip-open", resolved: "chip-ok", closed: "chip-ok" };

export function isOverdue(demand, now = Date.now()) {
  return OPEN.has(demand.status) && Boolean(demand.deadline) && Date.parse(demand.deadline) < now;
}

export function statusChip(demand) {
  return h("span", { class: `chip chip-small dm-status ${CHIP[demand.status] || ""}`, dataset: { status: demand.status } }, demand.status_label);
}

/** A grid of radio choices, each a whole-chip touch target: [{value, label}] → {el, value()}. */
export function choices(name, items, { columns = 2 } = {}) {
  const inputs = [];
  const grid = h("div", { class: `choice-grid dm-choices dm-cols-${columns}` });
  for (const { value, label } of items) {
    const input = h("input", { type: "radio", name, value, class: "choice-input", id: `${name}-${value}` });
    const wrap = h("label", { class: "choice", for: input.id }, input, h("span", { class: "choice-label" }, label));
    input.addEventListener("change", () => {
      for (const other of inputs) other.closest(".choice").classList.toggle("is-checked", other.checked);
    });
    inputs.push(input);
    grid.append(wrap);
  }
  return { el: grid, value: () => (inputs.find((i) => i.checked) || {}).value || "" };
}
