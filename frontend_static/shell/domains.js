// Every domain's screens, one line per domain. A domain's routes.js maps its routes to
// lazily imported screen modules (shell/nav.js explains the fields); adding a screen is
// one entry there plus its module.

import { routes as account } from "../account/routes.js";
import { routes as consultations } from "../consultations/routes.js";
import { routes as demands } from "../demands/routes.js";
import { routes as economy } from "../economy/routes.js";
import { routes as join } from "../join/routes.js";
import { routes as messages } from "../messages/routes.js";
import { routes as policies } from "../policies/routes.js";
import { routes as projects } from "../projects/routes.js";
import { routes as review } from "../review/routes.js";
import { routes as sites } from "../sites/routes.js";
import { routes as visits } from "../visits/routes.js";

export const DOMAINS = { account, visits, review, sites, messages, join, demands, consultations, economy, policies, projects };
