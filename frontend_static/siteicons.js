// The site screens' icons live in ui.js's set with the others; this name stays for their imports.
export { icon as siteIcon } from "./ui.js";
