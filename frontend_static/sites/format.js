// How a site's numbers and labels read: area in m², rent in 元/m²/天, the
// type and status chips. Labels come from i18n (not the server's Chinese labels)
// so the English interface stays English.

import { getLang, t } from "../common/i18n.js";
import "./strings.js";
import { h } from "../common/ui.js";

export const SITE_TYPES = ["factory", "office", "warehouse", "shop", "land"];
export const SITE_STATUSES = ["vacant", "reserved", "leased"];
export const RENT_UNITS = ["yuan_m2_day", "yuan_m2_month", "yuan_year"];

function locale() {
  return getLang() === "en" ? "en-GB" : "zh-CN";
}

// One formatter per language and precision: making one costs more than a whole site card
// (200 cards spent ~1/3 of their time here on a 4×-throttled phone).
const formatters = new Map();

function formatter(key, make) {
  let found = formatters.get(key);
  if (!found) formatters.set(key, (found = make()));
  return found;
}

export function formatNumber(value, digits = 0) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  const lang = locale();
  return formatter(`n ${lang} ${digits}`, () => new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 })).format(value);
}

/** "1,200 m²", or "面积待定" when unknown. */
export function formatArea(value) {
  return typeof value === "number" ? t("sites.areaValue", { n: formatNumber(value, 1) }) : t("sites.areaUnknown");
}

/** "1.20 元/m²/天", or "租金面议" when unknown. */
export function formatRent(value) {
  if (typeof value !== "number") return t("sites.rentUnknown");
  return t("sites.rentValue", { n: value.toFixed(2) });
}

const DAYS_PER_MONTH = 365 / 12; // backend/sites/rent.py turns 元/m²/月 into 元/m²/天 with 12/365

/** The month's rent for the whole site in 元 (unit rent × area), or null when either is unknown. */
export function monthlyTotal(rentPerM2Day, areaM2) {
  if (typeof rentPerM2Day !== "number" || typeof areaM2 !== "number" || areaM2 <= 0) return null;
  return rentPerM2Day * areaM2 * DAYS_PER_MONTH;
}

/** "约 5,900 元/月" (to two significant figures above 1,000: it is an estimate), or null. */
export function formatMonthly(rentPerM2Day, areaM2) {
  const total = monthlyTotal(rentPerM2Day, areaM2);
  if (total === null) return null;
  const step = total >= 1000 ? 10 ** (Math.floor(Math.log10(total)) - 1) : 10;
  return t("sites.monthlyValue", { n: formatNumber(Math.max(step, Math.round(total / step) * step)) });
}

/** The rent as the owner typed it: "27 元/m²/月", "0.9 元/m²/天", "120,000 元/年". */
export function formatRentTyped(value, unit) {
  if (typeof value !== "number") return t("sites.rentUnknown");
  return t("sites.rentQuoted", { value: formatNumber(value, 2), unit: t(`sites.rentUnit.${unit}`) });
}

export function typeLabel(type) {
  return t(`siteType.${type}`);
}

export function statusLabel(status) {
  return t(`sites.status.${status}`);
}

export function typeChip(type) {
  return h("span", { class: `chip chip-small site-type site-type-${type}`, dataset: { type } }, typeLabel(type));
}

export function statusChip(status) {
  return h("span", { class: `chip chip-small site-status site-status-${status}`, dataset: { status } }, statusLabel(status));
}

/** The "not confirmed for 90 days" chip, or null. */
export function awaitingChip(awaiting) {
  return awaiting ? h("span", { class: "chip chip-small chip-pending site-awaiting" }, t("sites.awaiting")) : null;
}

/** A date ("2026-10-30") as the user reads it. */
export function formatDay(value) {
  if (!value) return "—";
  const [y, m, d] = String(value).slice(0, 10).split("-").map(Number);
  if (!y || !m || !d) return String(value);
  const lang = locale();
  return formatter(`d ${lang}`, () => new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" })).format(Date.UTC(y, m - 1, d));
}
