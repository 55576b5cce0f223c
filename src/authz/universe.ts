/**
 * Loads the model a command decides against: account files (authorization
 * details, organization command outputs, resource policies, bundles) read
 * straight into memory, or the store (SQLite or PostgreSQL, through
 * loadUniverseAsync), or both (files override the stored accounts they name).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { buildBatch, parseFiles, parseTexts, type ImportOptions } from '../account/import/index.js';
import { isPostgresUrl, redactUrl, storeDiagnostic, type AsyncStore, type StoreContents } from '../account/async-store.js';
import { overlayContents } from '../account/overlay.js';
import { StoreOpenError } from '../account/store-error.js';
import { openAsyncStore } from '../account/open-store.js';
import { createUniverse, type Universe } from '../account/query.js';
import type { ImportBatch } from '../account/model.js';

export interface UniverseSource {
  readonly accountFiles?: readonly string[];
  readonly db?: string;
  readonly importOptions?: ImportOptions;
  /** The advice given when the SQLite database `db` does not exist (default: run 'iamsim account import' first). */
  readonly missingStoreHint?: string;
}

export interface LoadedUniverse {
  readonly universe?: Universe;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads the model from account files alone. A store is read asynchronously
 * (the one store interface, account/async-store.ts): with `db`, use loadUniverseAsync.
 */
export function loadUniverse(src: UniverseSource): LoadedUniverse {
  if (src.db !== undefined) {
    const at = isPostgresUrl(src.db) ? redactUrl(src.db) : src.db;
    const message = `a store is read asynchronously: use loadUniverseAsync (${at})`;
    return { diagnostics: [{ code: 'DB_UNSUPPORTED', severity: 'error', message, file: at, line: 1, column: 1, path: [] }] };
  }
  return withFiles(undefined, src, []);
}

/** Reads the model from account files and/or a store (an SQLite path or a `postgres://` URL): files override the stored accounts they name. */
export async function loadUniverseAsync(src: UniverseSource): Promise<LoadedUniverse> {
  if (src.db === undefined) return loadUniverse(src);
  const at = isPostgresUrl(src.db) ? redactUrl(src.db) : src.db;
  let store: AsyncStore | undefined;
  let stored: StoreContents;
  try {
    store = await openAsyncStore(src.db, { create: false });
    stored = await store.loadAll();
  } catch (err) {
    if (err instanceof StoreOpenError) throw err; // the user's input error (a directory, not a database), reported as such
    return { diagnostics: [storeDiagnostic(at, err, src.missingStoreHint)] };
  } finally {
    await store?.close();
  }
  return withFiles(stored, src, []);
}

/** The stored model with the account files on top (account/overlay.ts). */
function withFiles(stored: StoreContents | undefined, src: UniverseSource, diagnostics: Diagnostic[]): LoadedUniverse {
  let files: ImportBatch | undefined;
  if (src.accountFiles !== undefined && src.accountFiles.length > 0) {
    // Organization fragments in the files merge into the stored organization.
    files = buildBatch(parseFiles(src.accountFiles, src.importOptions ?? {}, diagnostics), stored?.organization, diagnostics);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { universe: createUniverse(overlayContents(stored, files)), diagnostics };
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
