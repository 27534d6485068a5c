// fetch wrapper for /api/: JSON in and out, the CSRF header on every write,
// and one error type (ApiError) whose message can be shown to the user as is.
//
// Failure kinds (ApiError.kind):
//   "http"     the server answered with an error status; message = its `detail`
//   "network"  no answer at all (offline, connection reset)
//   "timeout"  no answer in time
//   "not-json" an answer that is not our JSON: a captive portal's login page,
//              a proxy's error page. Treated like being offline, never as data.

import { acceptLanguage, t } from "./i18n.js";
import { reportNetworkFailure, reportNetworkSuccess } from "./net.js";

const DEFAULT_TIMEOUT_MS = 15000;
let unauthorizedHandler = null;

export class ApiError extends Error {
  constructor(message, { kind, status = 0, code = "", errors = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.errors = errors;
  }

  /** True when the request never reached our server (retrying later may work). */
  get offline() {
    return this.kind === "network" || this.kind === "timeout" || this.kind === "not-json";
  }
}

/** Called with the ApiError whenever the server says 401 (not logged in). */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

export function readCookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

async function ensureCsrfCookie(signal) {
  if (readCookie("csrftoken")) return;
  await request("/api/auth/csrf", { signal, authRedirect: false });
}

function isJson(response) {
  const type = response.headers.get("Content-Type") || "";
  return /^application\/(.+\+)?json/i.test(type);
}

function statusMessage(status) {
  if (status === 401) return t("error.unauthorized");
  if (status === 403) return t("error.forbidden");
  if (status === 404) return t("error.notFound");
  if (status >= 500) return t("error.server", { status });
  return t("error.http", { status });
}

/** The file name a download answer names (Content-Disposition: attachment; filename*=UTF-8''…). */
function attachmentName(response) {
  const header = response.headers.get("Content-Disposition") || "";
  const match = /filename\*=UTF-8''([^;]+)/i.exec(header) || /filename="?([^";]+)"?/i.exec(header);
  try {
    return match ? decodeURIComponent(match[1]) : "";
  } catch {
    return match[1];
  }
}

/**
 * One request to our API. Options: method, body (sent as JSON, or as is when
 * it is a FormData), signal,
 * timeout (ms), authRedirect (false for the login calls themselves, whose
 * 401 means "wrong password", not "session expired"), file (true when the
 * answer may be a file: a 2xx attachment comes back as { file: Blob, name }).
 */
export async function request(path, options = {}) {
  const { method = "GET", body, signal, timeout = DEFAULT_TIMEOUT_MS, authRedirect = true, csrfRetry = true, file = false } = options;
  const write = method !== "GET" && method !== "HEAD";
  if (write) await ensureCsrfCookie(signal);

  const headers = { Accept: "application/json", "Accept-Language": acceptLanguage() };
  // FormData (a photo upload) sets its own multipart Content-Type with the boundary.
  const form = typeof FormData !== "undefined" && body instanceof FormData;
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  // Read the cookie fresh every time: Django rotates the token at login.
  if (write) headers["X-CSRFToken"] = readCookie("csrftoken");

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeout);
  const abortFromCaller = () => controller.abort();
  if (signal) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener("abort", abortFromCaller, { once: true });
  }

  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined || form ? body : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "follow",
      signal: controller.signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error; // the caller gave up: not a network problem
    reportNetworkFailure();
    if (timedOut) throw new ApiError(t("error.timeout"), { kind: "timeout" });
    throw new ApiError(t("error.network"), { kind: "network" });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abortFromCaller);
  }

  // A redirect to another origin, or an HTML page where JSON was expected,
  // is a captive portal or a proxy talking, not our server.
  const foreign = response.redirected && new URL(response.url).origin !== location.origin;
  if (response.status === 204 && !foreign) {
    reportNetworkSuccess();
    return null;
  }
  // A file is an attachment we named; a portal's HTML page is not one.
  if (file && response.ok && !foreign && /attachment/i.test(response.headers.get("Content-Disposition") || "")) {
    const blob = await response.blob();
    reportNetworkSuccess();
    return { file: blob, name: attachmentName(response) };
  }
  if (foreign || !isJson(response)) {
    reportNetworkFailure();
    throw new ApiError(t("error.notJson"), { kind: "not-json", status: response.status });
  }
  let data;
  try {
    data = await response.json();
  } catch {
    reportNetworkFailure();
    throw new ApiError(t("error.notJson"), { kind: "not-json", status: response.status });
  }
  reportNetworkSuccess();
  if (response.ok) return data;

  const detail = data && typeof data.detail === "string" ? data.detail : statusMessage(response.status);
  const error = new ApiError(detail, {
    kind: "http",
    status: response.status,
    code: (data && data.code) || "",
    errors: (data && data.errors) || null,
  });
  if (response.status === 403 && csrfRetry && (error.code === "csrf_failed" || /CSRF/.test(detail))) {
    // The CSRF cookie went missing or stale (cleared storage, another tab logged in): get a new one, once.
    await request("/api/auth/csrf", { signal, authRedirect: false });
    return request(path, { ...options, csrfRetry: false });
  }
  if (response.status === 401 && authRedirect && unauthorizedHandler) unauthorizedHandler(error);
  throw error;
}

export const get = (path, options) => request(path, { ...options, method: "GET" });
export const post = (path, body, options) => request(path, { ...options, method: "POST", body });

/** "a=1&b=x" from an object, skipping empty values. */
export function queryString(params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    query.set(key, String(value));
  }
  return query.toString();
}
