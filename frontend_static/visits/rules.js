// The server's flag rules that the phone warns about before the user commits (today:
// the short visit). Read from /api/config, which the service worker keeps for offline
// use; the last answer is also kept here, so a phone that read it once can still warn
// in a basement. Without any answer there is no warning: better silent than a guess.

import { get } from "../common/api.js";

const KEY = "dxe.visitRules";
let pending = null;

function remembered() {
  try {
    const rules = JSON.parse(localStorage.getItem(KEY) || "null");
    return rules && Number.isFinite(rules.short_visit_s) ? rules : null;
  } catch {
    return null;
  }
}

/** {short_visit_s} or null when the phone has never heard the rules. */
export function visitRules() {
  pending ??= get("/api/config")
    .then((config) => {
      const rules = config && config.visits;
      if (!rules || !Number.isFinite(rules.short_visit_s)) return remembered();
      try {
        localStorage.setItem(KEY, JSON.stringify(rules));
      } catch {
        // Not kept: the next page load asks again.
      }
      return rules;
    })
    .catch(() => {
      pending = null;
      return remembered();
    });
  return pending;
}
