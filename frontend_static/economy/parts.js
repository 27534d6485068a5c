// What the economy screens share: a value with its unit (missing is "无数据", never 0) and
// the link from a figure to its rows.

import { t } from "../common/i18n.js";
import "./strings.js";
import { queryString } from "../common/api.js";

export function figureValue(value, unit) {
  if (value === null || value === undefined) return t("economy.noValue");
  const n = Number(value);
  return `${n.toLocaleString("zh-CN", { maximumFractionDigits: 2 })} ${unit}`;
}

export function rowsHref(filter, which) {
  return `#/economy-rows?${queryString({ ...filter, which })}`;
}
