/**
 * The store as the server sees it: asynchronous, with a version that changes
 * on every write and change notifications (the engine reloads its model on a
 * change). `sqliteServerStore` adapts the embedded synchronous SQLite store
 * (src/account/store.ts) to that shape; writes made through it bump the
 * version and notify listeners.
 */
import type { Account, ImportBatch } from '../account/model.js';
import { openStore, type AccountSummary, type StoreContents } from '../account/store.js';

export interface ServerStore {
  readonly kind: 'sqlite' | 'postgres' | 'memory';
  version(): Promise<number>;
  loadAll(): Promise<StoreContents>;
  listAccounts(): Promise<AccountSummary[]>;
  getAccount(id: string): Promise<Account | undefined>;
  importBatch(batch: ImportBatch): Promise<void>;
  importAccount(account: Account): Promise<void>;
  /** Read-modify-write of one account in one transaction; `fn` may throw to abort. */
  updateAccount(id: string, fn: (current: Account | undefined) => Account): Promise<Account>;
  removeAccount(id: string): Promise<boolean>;
  /** Calls `listener` after any write (through this store or, for shared backends, another process). */
  onChange(listener: () => void): () => void;
  close(): Promise<void>;
}

/** SQLite (a file path, or ':memory:') behind the asynchronous interface. */
export function sqliteServerStore(path: string): ServerStore {
  const store = openStore(path);
  let version = 0;
  const listeners = new Set<() => void>();
  const changed = (): void => {
    version++;
    for (const l of listeners) l();
  };
  const write = async <T>(fn: () => T): Promise<T> => {
    const r = store.transaction(fn);
    changed();
    return r;
  };
  return {
    kind: path === ':memory:' ? 'memory' : 'sqlite',
    version: async () => version,
    loadAll: async () => store.loadAll(),
    listAccounts: async () => store.listAccounts(),
    getAccount: async (id) => store.getAccount(id),
    importBatch: (b) => write(() => store.importBatch(b)),
    importAccount: (a) => write(() => store.importAccount(a)),
    updateAccount: (id, fn) => write(() => {
      const next = fn(store.getAccount(id));
      store.importAccount(next);
      return next;
    }),
    removeAccount: (id) => write(() => store.removeAccount(id)),
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: async () => store.close(),
  };
}
