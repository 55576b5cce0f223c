/**
 * The asynchronous store interface used by `iamsim serve` and by the account
 * commands for PostgreSQL URLs, with two backends: the embedded SQLite store
 * (store.ts, unchanged for the CLI) and PostgreSQL (pg/, for several replicas
 * over one database). `openAsyncStore` (open-store.ts) picks the backend.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Account, ImportBatch, Organization, ResourcePolicy } from './model.js';

export interface AccountSummary {
  readonly id: string;
  readonly name?: string;
  readonly users: number;
  readonly groups: number;
  readonly roles: number;
  readonly managedPolicies: number;
  readonly resourcePolicies: number;
  readonly sources: readonly string[];
  readonly importedAt: string;
}

/** Everything in the store, for building a query Universe. */
export interface StoreContents {
  readonly accounts: readonly Account[];
  readonly organization?: Organization;
  readonly resourcePolicies: readonly ResourcePolicy[];
}

/** Default database path, relative to the current directory (the CLI also honours --db and IAMSIM_DB). */
export const DEFAULT_DB_PATH = '.iamsim/iamsim.db';

/** Everything in the store together with the version it was read at. */
export interface VersionedContents extends StoreContents {
  readonly version: number;
}

/**
 * Builds the batch to write from the organization stored at the moment of the
 * write (imports merge organization fragments into it); undefined writes nothing.
 */
export type BatchBuilder = (organization: Organization | undefined) => ImportBatch | undefined;

/** What an `updateAccount` callback returns: the new account (none: write nothing) and a result. */
export interface AccountUpdate<T> {
  readonly account?: Account;
  readonly result: T;
}

export type ChangeListener = (version: number) => void;

export interface AsyncStore {
  readonly kind: 'sqlite' | 'postgres';
  /** The SQLite path, or the PostgreSQL URL without its password (for messages). */
  readonly location: string;
  /** Increases with every committed write, by any process sharing the store. */
  version(): Promise<number>;
  /** The whole model, read in one consistent snapshot, with its version. */
  loadAll(): Promise<VersionedContents>;
  listAccounts(): Promise<AccountSummary[]>;
  getAccount(id: string): Promise<Account | undefined>;
  getOrganization(): Promise<Organization | undefined>;
  /**
   * Writes a whole import in one transaction (the organization, if any,
   * replaces the stored one). A builder runs inside the transaction, so it
   * sees the organization no other writer can change before the commit.
   * Resolves to the batch written, or undefined when the builder gave none.
   */
  importBatch(batch: ImportBatch | BatchBuilder): Promise<ImportBatch | undefined>;
  /** Replaces the account's IAM entities; upserts its resource policies. */
  importAccount(account: Account): Promise<void>;
  /**
   * Read-modify-write of one account in one transaction: `fn` gets the stored
   * account (undefined if absent) and returns the replacement (IAM entities and
   * the resource policies it owns) or none. An exception in `fn` rolls back and
   * rejects with it. `fn` may run more than once when PostgreSQL retries.
   */
  updateAccount<T>(id: string, fn: (account: Account | undefined) => AccountUpdate<T>): Promise<T>;
  /** Removes the account and the resource policies it owns; false when absent. */
  removeAccount(id: string): Promise<boolean>;
  /**
   * Calls `listener` with the new version after writes committed by any
   * process (SQLite: polling data_version; PostgreSQL: LISTEN/NOTIFY plus a
   * poll of the version counter). With `since` (e.g. the version from
   * `loadAll`), every version after it is reported, including writes that
   * committed before the call; without it, those after the watch started.
   * Several writes may be reported as one call. Returns the unsubscribe function.
   */
  onChange(listener: ChangeListener, since?: number): () => void;
  close(): Promise<void>;
}

export interface AsyncStoreOptions {
  /** How often the change watcher polls, in ms (SQLite default 100, PostgreSQL 1000). */
  readonly pollMs?: number;
  /** Receives listener exceptions and background errors (lost LISTEN connection); default: ignored. */
  readonly onError?: (err: unknown) => void;
  /**
   * Create the store when there is none (default true). When false, opening a
   * missing SQLite file or a PostgreSQL database without iamsim's tables fails
   * with StoreNotFoundError. An existing older schema is always migrated forward.
   */
  readonly create?: boolean;
}

/** Raised by openAsyncStore with `create: false` when there is no store yet. */
export class StoreNotFoundError extends Error {
  constructor(readonly location: string) {
    super(`no iamsim store at ${location}`);
    this.name = 'StoreNotFoundError';
  }
}

/**
 * The diagnostic for a store that cannot be opened or read (DB_NOT_FOUND or
 * DB_UNAVAILABLE). `location` is the SQLite path or the redacted URL; `hint`
 * replaces the advice given for a missing SQLite database.
 */
export function storeDiagnostic(location: string, err: unknown, hint = "run 'iamsim account import' first"): Diagnostic {
  if (err instanceof StoreNotFoundError) {
    const message = isPostgresUrl(location)
      ? `no iamsim tables in ${location} (run 'iamsim account import --db URL' first)`
      : `no iamsim database at ${location} (${hint})`;
    return { code: 'DB_NOT_FOUND', severity: 'error', message, file: location, line: 1, column: 1, path: [] };
  }
  const why = err instanceof Error ? err.message : String(err);
  return { code: 'DB_UNAVAILABLE', severity: 'error', message: `database error: ${why}`, file: location, line: 1, column: 1, path: [] };
}

/** True for `postgres://` and `postgresql://` URLs. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(target);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** Calls every listener, sending exceptions to `onError`. */
export function notifyListeners(listeners: ReadonlySet<ChangeListener>, version: number, onError?: (err: unknown) => void): void {
  for (const l of [...listeners]) {
    try {
      l(version);
    } catch (err) {
      onError?.(err);
    }
  }
}
