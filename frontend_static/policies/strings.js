// Import this ("import "./strings.js";") in every policies module that calls t(): the module then
// runs only once the policies strings are loaded in the active language (common/i18n.js).

import { useStrings } from "../common/i18n.js";

await useStrings("policies", { "zh-CN": () => import("./strings.zh.js"), en: () => import("./strings.en.js") });
