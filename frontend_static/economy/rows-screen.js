// #/economy-rows?metric=…&month=…&kind=…&scope=…&by=…&group=…&which=yoy: the enterprises one
// figure sums (GET /api/economy/rows with the figure's own filter), each with this period's
// and the base period's value; the ones the rate leaves out say which months they lack.

import { t } from "../common/i18n.js";
import "./strings.js";
import { getRows } from "./api.js";
import { figureValue } from "./parts.js";
import { errorView, fill, h, stateView } from "../common/ui.js";

const FILTER = ["metric", "month", "kind", "scope", "by", "group"];

export function mount(el, { params }) {
  const filter = Object.fromEntries(FILTER.map((k) => [k, params.get(k) || ""]));
  const which = params.get("which") === "mom" ? "mom" : "yoy";
  const back = new URLSearchParams(Object.fromEntries(FILTER.filter((k) => k !== "group").map((k) => [k, filter[k]])));
  const body = h("div", { id: "economy-rows-body", "aria-live": "polite" });
  el.append(
    h(
      "div",
      { class: "page economy" },
      h("a", { class: "btn btn-ghost btn-small back-link", href: `#/economy?${back}` }, t("economy.back")),
      h("h2", { class: "section-title", id: "economy-rows-title" }, t("economy.rowsTitle", { label: t(`economy.metric.${filter.metric}`), which: t(`economy.which.${which}`) })),
      h("p", { class: "hint" }, t("economy.rowsHint", { period: filter.month, scope: t(`economy.scope.${filter.scope || "all"}`) })),
      body,
    ),
  );
  const controller = new AbortController();

  async function load() {
    fill(body, stateView("loading"));
    try {
      const page = await getRows(filter, { signal: controller.signal });
      if (controller.signal.aborted) return;
      if (!page.items.length) return fill(body, stateView("empty", { title: t("economy.rowsEmpty") }));
      fill(body, h("ul", { class: "item-list", id: "economy-rows" }, page.items.map((item) => row(item, which))));
    } catch (error) {
      if (!controller.signal.aborted) fill(body, errorView(error, { title: t("economy.error"), onRetry: load }));
    }
  }

  load();
  return () => controller.abort();
}

function row(item, which) {
  const side = item.sides[which];
  return h(
    "li",
    { class: "card ec-source", dataset: { enterprise: String(item.enterprise_id), comparable: String(side.comparable) } },
    h("p", { class: "item-card-ent" }, item.enterprise_name),
    h("p", { class: "ec-sides" }, h("span", {}, `${t("economy.current")} ${figureValue(side.current, "")}`), h("span", {}, `${t("economy.base")} ${figureValue(side.base, "")}`)),
    side.comparable ? null : h("p", { class: "item-late" }, t("economy.notCompared", { months: side.months_missing.join("、") })),
    item.batch ? h("p", { class: "hint" }, t("economy.batch", { batch: item.batch })) : null,
  );
}
