// A grid of radio choices, each a whole-chip touch target (a thumb on a 360-px screen finds a
// chip more easily than a radio dot): 走访目的, a demand's or consultation's category, a rating.

import { h } from "./ui.js";

/** [{value, label}] → {el, value()}; `checked` preselects a value (a draft coming back). */
export function choices(name, items, { columns = 2, checked = "" } = {}) {
  const inputs = [];
  const grid = h("div", { class: `choice-grid choice-cols-${columns}` });
  for (const { value, label } of items) {
    const on = value === checked;
    const input = h("input", { type: "radio", name, value, class: "choice-input", id: `${name}-${value}`, checked: on });
    const wrap = h("label", { class: `choice${on ? " is-checked" : ""}`, for: input.id }, input, h("span", { class: "choice-label" }, label));
    input.addEventListener("change", () => {
      for (const other of inputs) other.closest(".choice").classList.toggle("is-checked", other.checked);
    });
    inputs.push(input);
    grid.append(wrap);
  }
  return { el: grid, value: () => (inputs.find((i) => i.checked) || {}).value || "" };
}
