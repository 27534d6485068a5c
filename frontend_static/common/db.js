// The phone's own database (IndexedDB, through the idb library served by the app).
//
//   outbox  every check-in, check-out and photo waiting for the server, in the
//           order it was made (autoIncrement `seq`); photos are kept as Blobs.
//   visits  this phone's field visits (the check-in's client_id is the key), so an
//           open visit and its check-out form survive a reload with no network.
//
// Nothing here is cleared on logout: an unsynced record is never dropped silently.

// Loaded on first use, like Leaflet: if it ever failed to load, the rest of the app still starts.

export const DB_NAME = "dxe";
const DB_VERSION = 1;

let dbPromise = null;

export function db() {
  if (!dbPromise) {
    const opening = import("../../vendor/idb/index.js").then(({ openDB }) => open(openDB));
    // Private mode or a broken store: forget the failure so that a later call retries.
    opening.catch(() => {
      if (dbPromise === opening) dbPromise = null;
    });
    dbPromise = opening;
  }
  return dbPromise;
}

function open(openDB) {
  return openDB(DB_NAME, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        const outbox = database.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        outbox.createIndex("client_id", "client_id", { unique: true });
        database.createObjectStore("visits", { keyPath: "client_id" });
      }
    },
    blocking() {
      // A newer version of the app (another tab) wants to upgrade: let it.
      const current = dbPromise;
      dbPromise = null;
      current?.then((database) => database.close());
    },
  });
}
