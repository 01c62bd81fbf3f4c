/** The few IndexedDB calls a key store needs, as promises: one database, one object store, keyed by role. */
const DB_NAME = "recircle";
const STORE = "wallets";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = action(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export const idbGet = <T>(key: string) => run<T | undefined>("readonly", (store) => store.get(key));
export const idbPut = (key: string, value: unknown) => run<void>("readwrite", (store) => store.put(value, key));
export const idbDelete = (key: string) => run<void>("readwrite", (store) => store.delete(key));
