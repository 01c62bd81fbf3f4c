/**
 * The few IndexedDB calls the app needs, as promises: one database, an object store per use. `wallets` keeps
 * the sealed keys by role; `outbox` keeps what a collection point recorded while its answer could not come.
 */
const DB_NAME = "recircle";
export type Store = "wallets" | "outbox";
const STORES: Store[] = ["wallets", "outbox"];

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    // Version 2 added `outbox`: a phone with version 1 keeps its wallets and gains the new store.
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = () => {
      for (const store of STORES) if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(name: Store, mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const request = action(transaction.objectStore(name));
      // A write is kept once its transaction commits, not when its request succeeds.
      let result: T;
      request.onsuccess = () => (result = request.result as T);
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? request.error);
    });
  } finally {
    db.close();
  }
}

export const idbGet = <T>(key: string, store: Store = "wallets") => run<T | undefined>(store, "readonly", (s) => s.get(key));
export const idbPut = (key: string, value: unknown, store: Store = "wallets") => run<void>(store, "readwrite", (s) => s.put(value, key));
export const idbDelete = (key: string, store: Store = "wallets") => run<void>(store, "readwrite", (s) => s.delete(key));
/** Every value in a store, in key order. */
export const idbAll = <T>(store: Store) => run<T[]>(store, "readonly", (s) => s.getAll());
