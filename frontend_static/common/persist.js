// Persistent storage (§6): ask the browser once not to evict this app's data
// (the outbox lives in it) under storage pressure, and report the answer on 我的.

const ASKED_KEY = "dxe.persistAsked";

/** "persisted" | "not-persisted" | "unsupported" */
export async function storageStatus() {
  if (!navigator.storage || !navigator.storage.persisted) return "unsupported";
  try {
    return (await navigator.storage.persisted()) ? "persisted" : "not-persisted";
  } catch {
    return "unsupported";
  }
}

/** Ask once per phone; later calls only read the status. */
export async function requestPersistence() {
  if (!navigator.storage || !navigator.storage.persist) return "unsupported";
  const status = await storageStatus();
  if (status !== "not-persisted") return status;
  try {
    if (localStorage.getItem(ASKED_KEY)) return status;
    localStorage.setItem(ASKED_KEY, new Date().toISOString());
  } catch {
    // No localStorage: ask anyway (browsers answer repeated asks without prompting).
  }
  try {
    return (await navigator.storage.persist()) ? "persisted" : "not-persisted";
  } catch {
    return "unsupported";
  }
}
