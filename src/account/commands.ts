/**
 * Functions behind `iamsim account import|list|show|remove` beyond the store's
 * own (AsyncStore: listAccounts, removeAccount). The CLI opens the store
 * (`--db`, `IAMSIM_DB`, default DEFAULT_DB_PATH) and formats output.
 */
import { existsSync, rmSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isPostgresUrl, redactUrl, storeDiagnostic, type AccountSummary, type AsyncStore } from './async-store.js';
import { importFiles, type ImportOptions, type ImportResult } from './import/index.js';
import { openAsyncStore } from './open-store.js';
import { StoreOpenError } from './store-error.js';
import type { Account, Organization } from './model.js';
import { createUniverse, orgPoliciesFor } from './query.js';
import type { OrgLevel } from './query.js';

export { importFiles, importFilesAsync } from './import/index.js';
export type { ImportOptions, ImportResult } from './import/index.js';

export interface AccountDetails {
  readonly account: Account;
  /** Root → OU… → account, with the SCPs and RCPs attached at each level. */
  readonly organizationPath?: readonly {
    readonly nodeId: string;
    readonly kind: OrgLevel['kind'];
    readonly name: string;
    readonly scps: readonly string[];
    readonly rcps: readonly string[];
  }[];
  readonly managementAccount: boolean;
}

/** The stored account with its place in the organization; undefined when absent. */
export async function showAccount(store: AsyncStore, id: string): Promise<AccountDetails | undefined> {
  const account = await store.getAccount(id);
  return account ? accountDetails(account, await store.getOrganization()) : undefined;
}

/** The former name of showAccount. */
export const showAccountAsync = showAccount;

/** The account with its path through the organization and the SCPs/RCPs at each level. */
export function accountDetails(account: Account, organization: Organization | undefined): AccountDetails {
  const id = account.id;
  const u = createUniverse({ accounts: [account], ...(organization ? { organization } : {}) });
  const scps = orgPoliciesFor(u, id, 'SCP');
  const rcps = orgPoliciesFor(u, id, 'RCP');
  const path = scps?.levels.map((l, i) => ({
    nodeId: l.nodeId,
    kind: l.kind,
    name: l.name,
    scps: l.policies.map((p) => p.name),
    rcps: rcps?.levels[i]?.policies.map((p) => p.name) ?? [],
  }));
  return {
    account,
    managementAccount: organization?.managementAccountId === id,
    ...(path ? { organizationPath: path } : {}),
  };
}

/** What a store command gives back: its value and the store's location for messages, or why the store could not be used. */
export type StoreOutcome<T> = { readonly ok: true; readonly value: T; readonly location: string } | { readonly ok: false; readonly diagnostic: Diagnostic };

/**
 * Opens the store at `target` (an SQLite path or a `postgres://` URL; with
 * `create` false, a missing store is DB_NOT_FOUND), runs `fn`, closes it. A
 * database error is one diagnostic; StoreOpenError (a directory, not a
 * database, a newer schema) is the caller's input error and is thrown.
 */
export async function usingStore<T>(target: string, create: boolean, fn: (s: AsyncStore) => Promise<T>): Promise<StoreOutcome<T>> {
  const location = isPostgresUrl(target) ? redactUrl(target) : target;
  let store: AsyncStore;
  try {
    store = await openAsyncStore(target, { create });
  } catch (err) {
    if (err instanceof StoreOpenError) throw err;
    return { ok: false, diagnostic: storeDiagnostic(location, err) };
  }
  try {
    return { ok: true, value: await fn(store), location: store.location };
  } catch (err) {
    if (err instanceof StoreOpenError) throw err;
    return { ok: false, diagnostic: storeDiagnostic(location, err) };
  } finally {
    await store.close();
  }
}

export interface StoreImport {
  readonly result: ImportResult;
  /** Every stored account after the import (for the summary). */
  readonly summaries: readonly AccountSummary[];
}

/**
 * `account import`: the files into the store at `target` (created when
 * missing), in one transaction. A failed first import into a new SQLite file
 * leaves no empty database behind.
 */
export async function importIntoStore(target: string, files: readonly string[], options: ImportOptions): Promise<StoreOutcome<StoreImport>> {
  const sqlite = !isPostgresUrl(target) && target !== ':memory:';
  const existed = !sqlite || existsSync(target);
  let outcome: StoreOutcome<StoreImport> | undefined;
  try {
    outcome = await usingStore(target, true, async (store) => {
      const result = await importFiles(files, store, options);
      return { result, summaries: result.ok ? await store.listAccounts() : [] };
    });
    return outcome;
  } finally {
    const failed = outcome === undefined || !outcome.ok || !outcome.value.result.ok;
    if (failed && !existed) for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
  }
}
