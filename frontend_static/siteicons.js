// Line icons the site screens need beyond ui.js's set (24×24, stroke = currentColor).

const SVG_NS = "http://www.w3.org/2000/svg";

const ICONS = {
  phone: [["path", { d: "M6.6 3.5h3l1.5 4-2 1.3a11 11 0 0 0 5.1 5.1l1.3-2 4 1.5v3a2 2 0 0 1-2.2 2A16.5 16.5 0 0 1 4.6 5.7a2 2 0 0 1 2-2.2z" }]],
  filter: [["path", { d: "M4 5h16l-6.2 7.5V19l-3.6-1.8v-4.7z" }]],
  bell: [["path", { d: "M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 1.5h-15z" }], ["path", { d: "M10 20.5a2.2 2.2 0 0 0 4 0" }]],
  navigate: [["path", { d: "M3.5 11 20.5 3.5 13 20.5l-2-7.5z" }]],
  area: [["rect", { x: 4, y: 4, width: 16, height: 16, rx: 1.5 }], ["path", { d: "M4 9.5h16M9.5 4v16" }]],
  edit: [["path", { d: "M4 20h4L19 9l-4-4L4 16z" }], ["path", { d: "M13.5 6.5l4 4" }]],
  mail: [["rect", { x: 3.5, y: 5.5, width: 17, height: 13, rx: 2 }], ["path", { d: "M4 7l8 6 8-6" }]],
};

export function siteIcon(name, className = "icon") {
  const root = document.createElementNS(SVG_NS, "svg");
  const attrs = {
    class: className,
    viewBox: "0 0 24 24",
    width: 24,
    height: 24,
    fill: "none",
    stroke: "currentColor",
    "stroke-width": 2,
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    "aria-hidden": "true",
    focusable: "false",
  };
  for (const [key, value] of Object.entries(attrs)) root.setAttribute(key, String(value));
  for (const [tag, shape] of ICONS[name] || []) {
    const child = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(shape)) child.setAttribute(key, String(value));
    root.append(child);
  }
  return root;
}
