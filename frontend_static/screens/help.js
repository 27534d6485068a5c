// 操作手册: one short section per screen, in the user's language.

import { t } from "../i18n.js";
import { h } from "../ui.js";

const SECTIONS = ["login", "nearby", "visits", "sites", "messages", "team", "trails", "reports", "mySites", "inquiries", "me", "privacy", "offline"];

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
