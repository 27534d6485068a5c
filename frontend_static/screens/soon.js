// Screens whose features arrive in later issues: a proper empty state saying
// what will be here, instead of a blank page.

import { t } from "../i18n.js";
import { stateView } from "../ui.js";

export function mount(el, { route }) {
  el.append(
    stateView("soon", {
      title: `${t(route.titleKey)} · ${t("state.soon")}`,
      message: t(route.soonKey),
    }),
  );
}
