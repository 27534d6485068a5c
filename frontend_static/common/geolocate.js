// The phone's position, read once, only when the user taps (定位 / 签到 / 签退).
// Never watchPosition, never in the background: whereabouts are sensitive
// personal information (PIPL Art. 28; design brief §5).

import { t } from "./i18n.js";

const DEFAULT_TIMEOUT_MS = 20000;
// A fix's own timestamp is used when it agrees with the device clock; some phones
// report GPS time, another zone or a cached time, and then the arrival time is truer.
const TIMESTAMP_TOLERANCE_MS = 60000;
const EARTH_RADIUS_M = 6371008.8;
// Mirrors geo/geofence.py: the accuracy circle may reach the fence, credit capped at 100 m.
export const DEFAULT_GEOFENCE_M = 300;
export const POOR_ACCURACY_M = 100;
const ACCURACY_CREDIT_CAP_M = 100;

export class GeoError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = "GeoError";
    this.kind = kind; // "denied" | "unavailable" | "timeout" | "unsupported" | "insecure"
  }
}

function finite(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/** "2026-11-17T10:00:00.000+08:00": ISO 8601 in the phone's own zone, with its offset. */
export function isoWithOffset(date) {
  const pad = (n, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/** A Geolocation position as the API wants it. */
export function toFix(position, now = Date.now()) {
  const coords = position.coords;
  const stamp = Number(position.timestamp);
  const at = finite(stamp) && Math.abs(stamp - now) <= TIMESTAMP_TOLERANCE_MS ? Math.min(stamp, now) : now;
  return {
    lat: coords.latitude,
    lng: coords.longitude,
    accuracy_m: finite(coords.accuracy) && coords.accuracy >= 0 ? Math.min(coords.accuracy, 100000) : null,
    speed: finite(coords.speed) && coords.speed >= 0 && coords.speed <= 1000 ? coords.speed : null,
    heading: finite(coords.heading) && coords.heading >= 0 && coords.heading <= 360 ? coords.heading : null,
    captured_at: isoWithOffset(new Date(at)),
    at,
  };
}

function geoError(error) {
  if (error && error.code === 1) return new GeoError("denied", t("geo.denied"));
  if (error && error.code === 3) return new GeoError("timeout", t("geo.timeout"));
  return new GeoError("unavailable", t("geo.unavailable"));
}

/** One fresh, high-accuracy position. Resolves a fix; rejects a GeoError with a Chinese message. */
export function readPosition({ timeout = DEFAULT_TIMEOUT_MS } = {}) {
  if (!window.isSecureContext) return Promise.reject(new GeoError("insecure", t("geo.insecure")));
  if (!navigator.geolocation) return Promise.reject(new GeoError("unsupported", t("geo.unsupported")));
  return new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(
      (position) => resolve(toFix(position)),
      (error) => reject(geoError(error)),
      { enableHighAccuracy: true, maximumAge: 0, timeout },
    );
  });
}

/** Great-circle distance in metres (within 0.5 % of the server's ellipsoid figure). */
export function distanceM(lat1, lng1, lat2, lng2) {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function fenceOf(enterprise) {
  return enterprise && enterprise.geofence_m ? enterprise.geofence_m : DEFAULT_GEOFENCE_M;
}

/** The same rule as the server's geofence check, for the preview before 签到. */
export function withinFence(distance, radius, accuracy) {
  const credit = finite(accuracy) && accuracy > 0 ? Math.min(accuracy, ACCURACY_CREDIT_CAP_M) : 0;
  return distance - credit <= radius;
}
