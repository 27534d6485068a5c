// Import this ("import "./strings.js";") in every sites module that calls t(): the module then
// runs only once sites's strings are loaded in the active language (common/i18n.js).

import { useStrings } from "../common/i18n.js";

await useStrings("sites", { "zh-CN": () => import("./strings.zh.js"), en: () => import("./strings.en.js") });
