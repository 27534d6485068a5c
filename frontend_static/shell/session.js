// The logged-in user. The last answer of /api/auth/me is kept in localStorage
// so that the shell can start (and show the right tabs) with no network.

import { ApiError, get, post } from "../common/api.js";

const STORAGE_KEY = "dxe.me";
const listeners = new Set();

function load() {
  try {
    const user = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    return user && typeof user.role === "string" && typeof user.username === "string" ? user : null;
  } catch {
    return null;
  }
}

let user = load();

export function currentUser() {
  return user;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function setUser(next) {
  const changed = !same(user, next);
  user = next;
  try {
    if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage unavailable: the session still works until the page closes.
  }
  if (changed) for (const fn of listeners) fn(user);
}

export function clearUser() {
  setUser(null);
}

export function onUserChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Ask the server who is logged in. 401 clears the remembered user; a network
 * failure keeps it (the phone is offline, the session is probably still fine).
 */
export async function refreshUser() {
  try {
    setUser(await get("/api/auth/me", { authRedirect: false }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) clearUser();
    else if (!(error instanceof ApiError && error.offline)) throw error;
  }
  return user;
}

export async function logIn(username, password) {
  const me = await post("/api/auth/login", { username, password }, { authRedirect: false });
  setUser(me);
  return me;
}

export async function sendSmsCode(mobile) {
  return post("/api/auth/sms/send", { mobile }, { authRedirect: false });
}

export async function logInWithSms(mobile, code) {
  const me = await post("/api/auth/sms/verify", { mobile, code }, { authRedirect: false });
  setUser(me);
  return me;
}

export async function logOut() {
  try {
    await post("/api/auth/logout", undefined, { authRedirect: false });
  } catch (error) {
    // Already logged out on the server: fine. Anything else (offline) is the caller's to show.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  clearUser();
}
