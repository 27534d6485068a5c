// Numbers, distances, durations and times as people read them, in the user's
// language. Times are shown in Asia/Shanghai whatever the phone's zone (§4).

import { getLang, t } from "./i18n.js";

const ZONE = "Asia/Shanghai";

function locale() {
  return getLang() === "en" ? "en-GB" : "zh-CN";
}

export function formatDistance(metres) {
  if (typeof metres !== "number" || !Number.isFinite(metres)) return "—";
  if (metres < 1000) return t("unit.m", { n: Math.round(metres) });
  return t("unit.km", { n: (metres / 1000).toFixed(metres < 10000 ? 1 : 0) });
}

export function formatAccuracy(metres) {
  if (typeof metres !== "number" || !Number.isFinite(metres)) return t("unit.unknown");
  return t("unit.accuracy", { n: Math.round(metres) });
}

export function formatDuration(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return "—";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return t("unit.seconds", { n: Math.round(seconds) });
  if (minutes < 60) return t("unit.minutes", { n: minutes });
  return t("unit.hoursMinutes", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

function toDate(value) {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function format(value, options) {
  const date = toDate(value);
  if (!date) return "—";
  return new Intl.DateTimeFormat(locale(), { timeZone: ZONE, hour12: false, ...options }).format(date);
}

export function formatDateTime(value) {
  return format(value, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatTime(value) {
  return format(value, { hour: "2-digit", minute: "2-digit" });
}

export function formatDate(value) {
  return format(value, { year: "numeric", month: "long", day: "numeric" });
}

/** "3 分钟前" for a recent moment, else the date and time. */
export function formatAgo(value, now = Date.now()) {
  const date = toDate(value);
  if (!date) return "—";
  const minutes = Math.round((now - date.getTime()) / 60000);
  if (minutes < 1) return t("unit.justNow");
  if (minutes < 60) return t("unit.minutesAgo", { n: minutes });
  return formatDateTime(date);
}
