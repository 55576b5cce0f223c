/**
 * Loads the model a command decides against: account files (authorization
 * details, organization command outputs, resource policies, bundles) read
 * straight into memory, or the store (SQLite, or PostgreSQL through
 * loadUniverseAsync), or both (files override the stored accounts they name).
 */
import { existsSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { buildBatch, parseFiles, parseTexts, type ImportOptions } from '../account/import/index.js';
import { openStore, type StoreContents } from '../account/store.js';
import { isPostgresUrl, redactUrl, storeDiagnostic, type AsyncStore } from '../account/async-store.js';
import { openAsyncStore } from '../account/open-store.js';
import { createUniverse, type Universe } from '../account/query.js';
import type { Account, Organization, ResourcePolicy } from '../account/model.js';

export interface UniverseSource {
  readonly accountFiles?: readonly string[];
  readonly db?: string;
  readonly importOptions?: ImportOptions;
}

export interface LoadedUniverse {
  readonly universe?: Universe;
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads the model from account files and/or a SQLite store (see loadUniverseAsync for PostgreSQL). */
export function loadUniverse(src: UniverseSource): LoadedUniverse {
  const diagnostics: Diagnostic[] = [];
  let stored: StoreContents | undefined;
  if (src.db !== undefined) {
    if (isPostgresUrl(src.db)) {
      const at = redactUrl(src.db);
      diagnostics.push({
        code: 'DB_UNSUPPORTED',
        severity: 'error',
        message: `a PostgreSQL store is read asynchronously: use loadUniverseAsync (${at})`,
        file: at,
        line: 1,
        column: 1,
        path: [],
      });
      return { diagnostics };
    }
    if (!existsSync(src.db)) {
      diagnostics.push({
        code: 'DB_NOT_FOUND',
        severity: 'error',
        message: `no iamsim database at ${src.db} (run 'iamsim account import' first)`,
        file: src.db,
        line: 1,
        column: 1,
        path: [],
      });
      return { diagnostics };
    }
    const store = openStore(src.db);
    try {
      stored = store.loadAll();
    } finally {
      store.close();
    }
  }
  return withFiles(stored, src, diagnostics);
}

/** loadUniverse for any store: a `postgres://` URL in `db` is read through the async store. */
export async function loadUniverseAsync(src: UniverseSource): Promise<LoadedUniverse> {
  if (src.db === undefined || !isPostgresUrl(src.db)) return loadUniverse(src);
  let store: AsyncStore | undefined;
  try {
    store = await openAsyncStore(src.db, { create: false });
    return withFiles(await store.loadAll(), src, []);
  } catch (err) {
    return { diagnostics: [storeDiagnostic(redactUrl(src.db), err)] };
  } finally {
    await store?.close();
  }
}

/** The stored model with the account files on top (files override the accounts they name). */
function withFiles(stored: StoreContents | undefined, src: UniverseSource, diagnostics: Diagnostic[]): LoadedUniverse {
  const accounts = new Map<string, Account>(stored?.accounts.map((a) => [a.id, a]));
  const resourcePolicies = new Map<string, ResourcePolicy>(stored?.resourcePolicies.map((rp) => [rp.arn, rp]));
  let organization: Organization | undefined = stored?.organization;
  if (src.accountFiles !== undefined && src.accountFiles.length > 0) {
    const inputs = parseFiles(src.accountFiles, src.importOptions ?? {}, diagnostics);
    const batch = buildBatch(inputs, organization, diagnostics);
    for (const a of batch.accounts) accounts.set(a.id, a);
    for (const rp of batch.resourcePolicies) resourcePolicies.set(rp.arn, rp);
    if (batch.organization) organization = batch.organization;
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const universe = createUniverse({
    accounts: [...accounts.values()],
    resourcePolicies: [...resourcePolicies.values()],
    ...(organization ? { organization } : {}),
  });
  return { universe, diagnostics };
}

/**
 * Builds a model from account exports already in memory (an upload): the
 * same formats as `account import`, detected by shape; nothing is read from disk.
 */
export function universeFromTexts(files: readonly { readonly name: string; readonly text: string }[], importOptions: ImportOptions = {}): LoadedUniverse {
  const diagnostics: Diagnostic[] = [];
  const batch = buildBatch(parseTexts(files, importOptions, diagnostics), undefined, diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const universe = createUniverse({
    accounts: batch.accounts,
    resourcePolicies: batch.resourcePolicies,
    ...(batch.organization ? { organization: batch.organization } : {}),
  });
  return { universe, diagnostics };
}
