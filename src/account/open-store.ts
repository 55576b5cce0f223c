/**
 * Opens an asynchronous store: PostgreSQL for `postgres://`/`postgresql://`
 * URLs, else the embedded SQLite file at the path. Apart from the interface
 * (async-store.ts) so that the backends, which implement that interface, are
 * not imported by it.
 */
import { existsSync } from 'node:fs';
import { isPostgresUrl, StoreNotFoundError, type AsyncStore, type AsyncStoreOptions } from './async-store.js';

/** Opens the PostgreSQL store for `postgres://`/`postgresql://` URLs, else the SQLite file at the path. */
export async function openAsyncStore(target: string, options: AsyncStoreOptions = {}): Promise<AsyncStore> {
  if (isPostgresUrl(target)) {
    const { openPostgresStore } = await import('./pg/store.js');
    return openPostgresStore(target, options);
  }
  if (options.create === false && target !== ':memory:' && !existsSync(target)) throw new StoreNotFoundError(target);
  const { openSqliteAsyncStore } = await import('./sqlite-async-store.js');
  return openSqliteAsyncStore(target, options);
}
