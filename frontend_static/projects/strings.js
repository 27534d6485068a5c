// Import this ("import "./strings.js";") in every projects module that calls t().

import { useStrings } from "../common/i18n.js";

await useStrings("projects", { "zh-CN": () => import("./strings.zh.js"), en: () => import("./strings.en.js") });
