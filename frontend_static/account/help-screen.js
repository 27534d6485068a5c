// 操作手册: one short section per screen, in the user's language.

import { t } from "../common/i18n.js";
import "./strings.js";
import { h } from "../common/ui.js";

const SECTIONS = ["login", "nearby", "visits", "sites", "policies", "messages", "demands", "team", "trails", "reports", "mySites", "inquiries", "me", "privacy", "offline"];

export function mount(el) {
  el.append(
    h(
      "article",
      { class: "page help" },
      h("p", { class: "lead" }, t("help.intro")),
      SECTIONS.map((key) =>
        h(
          "section",
          { class: "card help-section", id: `help-${key}` },
          h("h2", {}, t(`help.${key}.title`)),
          h("p", {}, t(`help.${key}.body`)),
        ),
      ),
    ),
  );
}
