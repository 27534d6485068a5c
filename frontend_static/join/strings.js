// Import this ("import "./strings.js";") in every join module that calls t(): the module then
// runs only once join's strings are loaded in the active language (common/i18n.js).

import { useStrings } from "../common/i18n.js";

await useStrings("join", { "zh-CN": () => import("./strings.zh.js"), en: () => import("./strings.en.js") });
