// The site screens' icons live in common/ui.js's set with the others; this name stays for their imports.
export { icon as siteIcon } from "../common/ui.js";
