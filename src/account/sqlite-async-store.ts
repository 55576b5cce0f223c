/**
 * The SQLite backend of the store interface (AsyncStore), over the connection of store.ts: the same database,
 * migrations and transactions as the CLI. Changes by other processes are seen
 * by polling PRAGMA data_version, then reading the store's version row.
 */
import { notifyListeners } from './async-store.js';
import type { AsyncStore, AsyncStoreOptions, ChangeListener } from './async-store.js';
import { openStore } from './store.js';
import type { SqliteStore } from './store.js';

export function openSqliteAsyncStore(path: string, options: AsyncStoreOptions = {}): AsyncStore {
  return sqliteAsyncStore(openStore(path), options);
}

/** Wraps an open SQLite store; closing the async store closes it. */
export function sqliteAsyncStore(store: SqliteStore, options: AsyncStoreOptions = {}): AsyncStore {
  const listeners = new Set<ChangeListener>();
  let closed = false;
  let seen = store.version();
  let dataVersion = store.dataVersion();
  let timer: NodeJS.Timeout | undefined;

  const check = (): void => {
    if (closed || listeners.size === 0) return;
    const v = store.version();
    if (v <= seen) return;
    seen = v;
    notifyListeners(listeners, v, options.onError);
  };
  const poll = (): void => {
    try {
      const d = store.dataVersion();
      if (d === dataVersion) return;
      dataVersion = d;
      check();
    } catch (err) {
      options.onError?.(err);
    }
  };
  // This connection's own commits do not change data_version: check after each write.
  const written = <T>(r: T): T => {
    setImmediate(() => {
      try {
        check();
      } catch (err) {
        options.onError?.(err);
      }
    });
    return r;
  };

  return {
    kind: 'sqlite',
    location: store.path,
    version: async () => store.version(),
    loadAll: async () => store.transaction(() => ({ ...store.loadAll(), version: store.version() })),
    listAccounts: async () => store.listAccounts(),
    getAccount: async (id) => store.getAccount(id),
    getOrganization: async () => store.getOrganization(),
    importBatch: async (batch) =>
      written(
        store.write(() => {
          const b = typeof batch === 'function' ? batch(store.getOrganization()) : batch;
          if (b !== undefined) store.importBatch(b);
          return b;
        }),
      ),
    importAccount: async (account) => written(store.importAccount(account)),
    updateAccount: async (id, fn) =>
      written(
        store.write(() => {
          const r = fn(store.getAccount(id));
          if (r.account !== undefined) {
            if (r.account.id !== id) throw new Error(`updateAccount(${id}) returned account ${r.account.id}`);
            store.replaceAccount(r.account);
          }
          return r.result;
        }),
      ),
    removeAccount: async (id) => written(store.removeAccount(id)),
    onChange: (listener, since) => {
      if (listeners.size === 0) {
        seen = store.version();
        dataVersion = store.dataVersion();
        // Kept referenced: a subscription keeps the process alive until it is removed or the store closed.
        timer = setInterval(poll, options.pollMs ?? 100);
      }
      listeners.add(listener);
      if (since !== undefined && since < seen) {
        const v = seen;
        setImmediate(() => {
          if (listeners.has(listener)) notifyListeners(new Set([listener]), v, options.onError);
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) clearInterval(timer);
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      listeners.clear();
      store.close();
    },
  };
}
