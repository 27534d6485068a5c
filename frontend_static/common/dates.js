// Calendar days as "YYYY-MM-DD" strings, in Asia/Shanghai whatever the phone's
// zone (§4), and the day/month arithmetic of the manager screens. Arithmetic runs
// on UTC midnights so that no daylight-saving rule of the phone can shift a day.

import { getLang } from "./i18n.js";

const ZONE = "Asia/Shanghai";
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_RE = /^\d{4}-\d{2}$/;

function pad(n) {
  return String(n).padStart(2, "0");
}

function locale() {
  return getLang() === "en" ? "en-GB" : "zh-CN";
}

/** Today in Asia/Shanghai, "YYYY-MM-DD". */
export function today(now = new Date()) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function isDay(value) {
  if (typeof value !== "string" || !DAY_RE.test(value)) return false;
  return toIso(parse(value)) === value; // rejects 2026-02-30
}

export function isMonth(value) {
  return typeof value === "string" && MONTH_RE.test(value) && Number(value.slice(5)) >= 1 && Number(value.slice(5)) <= 12;
}

function parse(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function toIso(date) {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function addDays(day, n) {
  const date = parse(day);
  date.setUTCDate(date.getUTCDate() + n);
  return toIso(date);
}

/** "2026-05-17" → "2026-05-01" */
export function monthStart(day) {
  return `${day.slice(0, 7)}-01`;
}

/** "2026-05" (or a day in it) moved by n months → "YYYY-MM" */
export function addMonths(month, n) {
  const [y, m] = month.slice(0, 7).split("-").map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** Last day of the month "YYYY-MM" (or of the month of a day). */
export function monthEnd(month) {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}

export function minDay(a, b) {
  return a <= b ? a : b;
}

function format(day, options) {
  return new Intl.DateTimeFormat(locale(), { timeZone: "UTC", ...options }).format(parse(day));
}

/** "5月17日 周日" / "Sun 17 May" */
export function formatDayLong(day) {
  return format(day, { month: "long", day: "numeric", weekday: "short" });
}

/** "2026年5月" / "May 2026" */
export function formatMonth(month) {
  return format(`${month.slice(0, 7)}-01`, { year: "numeric", month: "long" });
}

/** A trend period's label: months "5月" (with the year when asked), weeks "5/11". */
export function formatPeriod(period, granularity, { withYear = false } = {}) {
  if (granularity === "month") return format(period, withYear ? { year: "2-digit", month: "short" } : { month: "short" });
  return format(period, { month: "numeric", day: "numeric" });
}
