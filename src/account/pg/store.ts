/**
 * AsyncStore on PostgreSQL, for several `iamsim serve` replicas over one
 * database. Every write transaction first bumps the version row, which also
 * takes its row lock: writers are serialized, so a read-modify-write sees no
 * concurrent change, and the bump commits (or vanishes) with the write. The
 * NOTIFY issued in the transaction is delivered only on commit. A writer that
 * dies mid-transaction loses its connection and PostgreSQL rolls it back.
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import { notifyListeners, redactUrl, StoreNotFoundError } from '../async-store.js';
import type { AsyncStore, AsyncStoreOptions, ChangeListener } from '../async-store.js';
import { pgMigrate, pgSchemaVersion } from './migrations.js';
import { deleteAccount, readAccount, readAllAccounts, readOrganization, readSummaries, writeAccount, writeBatch } from './rows.js';
import { watchVersion } from './watch.js';

/** The channel replicas LISTEN on; the payload is the new version. */
export const CHANGE_CHANNEL = 'iamsim_store';

/** serialization_failure, deadlock_detected: the transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/** What a write body returns: its result, and whether it wrote anything (else it is rolled back). */
interface WriteOutcome<T> {
  readonly result: T;
  readonly changed: boolean;
}

export async function openPostgresStore(url: string, options: AsyncStoreOptions = {}): Promise<AsyncStore> {
  // keepAlive notices a vanished peer; a transaction left idle (a stuck writer) is ended by the server
  // after a minute instead of holding the version row lock, and so every other writer, forever.
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    application_name: 'iamsim',
    keepAlive: true,
    // A database that does not answer fails the request instead of holding it.
    connectionTimeoutMillis: 10_000,
    options: '-c idle_in_transaction_session_timeout=60000',
  });
  pool.on('error', (err) => options.onError?.(err));
  try {
    const client = await pool.connect();
    try {
      if (options.create === false && (await pgSchemaVersion(client)) === 0) throw new StoreNotFoundError(redactUrl(url));
      await pgMigrate(client);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    throw e;
  }
  return postgresStore(pool, url, options);
}

interface Subscription {
  readonly listener: ChangeListener;
  last: number;
}

/**
 * A pooled connection for one transaction. While checked out, a connection's
 * errors (PostgreSQL restarting: admin_shutdown, a reset socket) are the
 * borrower's: without a listener they would be an uncaught exception that
 * ends the process. The query in flight fails with the error; the connection
 * is then released as broken, so the pool opens a new one next time.
 */
async function checkout(pool: pg.Pool): Promise<{ client: PoolClient; failed: () => Error | undefined; done: (broken?: Error) => void }> {
  const client = await pool.connect();
  let failure: Error | undefined;
  const onError = (err: Error): void => {
    failure = err;
  };
  client.on('error', onError);
  return {
    client,
    failed: () => failure,
    done: (broken) => {
      client.off('error', onError);
      client.release(broken ?? failure);
    },
  };
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function postgresStore(pool: pg.Pool, url: string, options: AsyncStoreOptions): AsyncStore {
  const subs = new Set<Subscription>();
  const deliver = (sub: Subscription, v: number): void => {
    if (v <= sub.last) return;
    sub.last = v;
    notifyListeners(new Set([sub.listener]), v, options.onError);
  };
  let stopWatch: (() => Promise<void>) | undefined;

  const readVersion = async (db: Pick<PoolClient, 'query'>): Promise<number> =>
    Number((await db.query<{ version: string }>('SELECT version FROM store_version WHERE singleton = 1')).rows[0]?.version ?? 0);

  /** Runs `fn` in one REPEATABLE READ, READ ONLY transaction: one consistent snapshot. */
  const read = async <T>(fn: (db: PoolClient) => Promise<T>): Promise<T> => {
    const { client, done } = await checkout(pool);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const r = await fn(client);
      await client.query('COMMIT');
      return r;
    } catch (e) {
      await client.query('ROLLBACK').catch((err: Error) => {
        broken = err;
      });
      throw e;
    } finally {
      done(broken);
    }
  };

  /** Runs `fn` in one write transaction holding the version row lock; retries serialization failures. */
  const write = async <T>(fn: (db: PoolClient) => Promise<WriteOutcome<T>>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const { client, done } = await checkout(pool);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const v = await client.query<{ version: string }>('UPDATE store_version SET version = version + 1 WHERE singleton = 1 RETURNING version');
        const out = await fn(client);
        if (!out.changed) {
          await client.query('ROLLBACK');
          return out.result;
        }
        await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, v.rows[0]?.version ?? '0']);
        await client.query('COMMIT');
        return out.result;
      } catch (e) {
        await client.query('ROLLBACK').catch((err: Error) => {
          broken = err;
        });
        if (attempt < MAX_ATTEMPTS && RETRYABLE.has(errorCode(e) ?? '')) continue;
        throw e;
      } finally {
        done(broken);
      }
    }
  };

  const store: AsyncStore = {
    kind: 'postgres',
    location: redactUrl(url),
    version: async () => readVersion(pool),
    loadAll: () =>
      read(async (db) => {
        const version = await readVersion(db);
        const { accounts, resourcePolicies } = await readAllAccounts(db);
        const organization = await readOrganization(db);
        return { version, accounts, resourcePolicies, ...(organization ? { organization } : {}) };
      }),
    listAccounts: () => read(readSummaries),
    getAccount: (id) => read((db) => readAccount(db, id)),
    getOrganization: () => read(readOrganization),
    importBatch: (batch) =>
      write(async (db) => {
        const b = typeof batch === 'function' ? batch(await readOrganization(db)) : batch;
        if (b !== undefined) await writeBatch(db, b);
        return { result: b, changed: b !== undefined };
      }),
    importAccount: (account) =>
      write(async (db) => {
        await writeAccount(db, account);
        return { result: undefined, changed: true };
      }),
    updateAccount: (id, fn) =>
      write(async (db) => {
        const r = fn(await readAccount(db, id));
        if (r.account === undefined) return { result: r.result, changed: false };
        if (r.account.id !== id) throw new Error(`updateAccount(${id}) returned account ${r.account.id}`);
        await writeAccount(db, r.account, true);
        return { result: r.result, changed: true };
      }),
    removeAccount: (id) =>
      write(async (db) => {
        const removed = await deleteAccount(db, id);
        return { result: removed, changed: removed };
      }),
    onChange: (listener, since) => {
      // Each subscription remembers the last version it was given, so no version is reported twice.
      const sub: Subscription = { listener, last: since ?? -1 };
      if (subs.size === 0) {
        stopWatch = watchVersion({
          url,
          channel: CHANGE_CHANNEL,
          pollMs: options.pollMs ?? 1000,
          readVersion: () => readVersion(pool),
          changed: (v) => {
            for (const s of [...subs]) deliver(s, v);
          },
          ...(options.onError ? { onError: options.onError } : {}),
        });
      }
      subs.add(sub);
      if (since !== undefined) {
        readVersion(pool).then(
          (v) => {
            if (subs.has(sub)) deliver(sub, v);
          },
          (err: unknown) => options.onError?.(err),
        );
      }
      return () => {
        subs.delete(sub);
        if (subs.size === 0 && stopWatch) {
          void stopWatch();
          stopWatch = undefined;
        }
      };
    },
    close: async () => {
      subs.clear();
      if (stopWatch) await stopWatch();
      stopWatch = undefined;
      await pool.end();
    },
  };
  return store;
}
