// i18n: every string the user sees comes from the strings files. Simplified Chinese is the
// default; English is a switch on 我的 (and on the login screen), kept in localStorage.
//
// Strings live beside the code that shows them, one file per domain and language
// (<domain>/strings.zh.js, <domain>/strings.en.js), and only the active language is loaded:
// a domain's modules import its strings.js, which registers the domain here and waits for its
// strings (top-level await), so no screen draws before its words are there. Keys stay global
// ("sites.title"); a key lives in exactly one domain (tests/e2e/test_e2e_static.py).

const STORAGE_KEY = "dxe.lang";
export const LANGS = ["zh-CN", "en"];

// domain → {byLang: {"zh-CN": () => import(…), en: …}, ready: Promise}
const domains = new Map();
// Every registered domain's strings in the current language.
let strings = {};
// The language a running setLang() is switching to; a later switch wins.
let switching = null;

function storedLang() {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(value) ? value : null;
  } catch {
    return null;
  }
}

let current = storedLang() || "zh-CN";
const listeners = new Set();

async function load(entry, lang) {
  return (await entry.byLang[lang]()).default;
}

/**
 * Register a domain's strings and load them in the current language (once per domain).
 * `byLang` maps each language to a loader: () => import("./strings.zh.js").
 */
export function useStrings(domain, byLang) {
  let entry = domains.get(domain);
  if (!entry) {
    entry = { byLang };
    domains.set(domain, entry);
    entry.ready = (async () => {
      for (;;) {
        const lang = current;
        const table = await load(entry, lang);
        // A switch finished while these were on their way: fetch them in the new language.
        if (lang === current) {
          Object.assign(strings, table);
          return;
        }
      }
    })();
  }
  return entry.ready;
}

export function getLang() {
  return current;
}

/** Switch language: every registered domain's strings are loaded first, then screens redraw. */
export async function setLang(lang) {
  if (!LANGS.includes(lang) || (lang === current && !switching)) return;
  switching = lang;
  const next = {};
  const done = new Set();
  try {
    // Domains registered while waiting (a screen opened meanwhile) are fetched in a further round.
    for (;;) {
      const todo = [...domains.entries()].filter(([name]) => !done.has(name));
      if (!todo.length) break;
      const tables = await Promise.all(todo.map(([, entry]) => load(entry, lang)));
      todo.forEach(([name], i) => {
        done.add(name);
        Object.assign(next, tables[i]);
      });
    }
  } catch (error) {
    // Offline with the other language never cached: stay in this one.
    console.error("Could not load the strings:", error);
    if (switching === lang) switching = null;
    return;
  }
  if (switching !== lang) return;
  switching = null;
  current = lang;
  strings = next;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or full storage: the switch still works for this page.
  }
  applyDocumentLang();
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The value for `key` in the current language, with {name} placeholders filled in. */
export function t(key, params) {
  const text = strings[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** For HTTP Accept-Language, so the server can answer in the same language. */
export function acceptLanguage() {
  return current === "en" ? "en" : "zh-Hans,zh-CN;q=0.9";
}

export function applyDocumentLang() {
  document.documentElement.lang = current;
}

await useStrings("common", { "zh-CN": () => import("./strings.zh.js"), en: () => import("./strings.en.js") });
