/**
 * Loads the model a command decides against: account files (authorization
 * details, organization command outputs, resource policies, bundles) read
 * straight into memory, or the SQLite store, or both (files override the
 * stored accounts they name).
 */
import { existsSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { buildBatch, parseFiles, parseTexts, type ImportOptions } from '../account/import/index.js';
import { openStore } from '../account/store.js';
import { isPostgresUrl, redactUrl } from '../account/async-store.js';
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

export function loadUniverse(src: UniverseSource): LoadedUniverse {
  const diagnostics: Diagnostic[] = [];
  const accounts = new Map<string, Account>();
  const resourcePolicies = new Map<string, ResourcePolicy>();
  let organization: Organization | undefined;
  if (src.db !== undefined) {
    if (isPostgresUrl(src.db)) {
      const at = redactUrl(src.db);
      diagnostics.push({ code: 'DB_UNSUPPORTED', severity: 'error', message: `this command reads SQLite files only; PostgreSQL stores are read by 'iamsim account' and 'iamsim serve' (${at})`, file: at, line: 1, column: 1, path: [] });
      return { diagnostics };
    }
    if (!existsSync(src.db)) {
      diagnostics.push({ code: 'DB_NOT_FOUND', severity: 'error', message: `no iamsim database at ${src.db} (run 'iamsim account import' first)`, file: src.db, line: 1, column: 1, path: [] });
      return { diagnostics };
    }
    const store = openStore(src.db);
    try {
      const c = store.loadAll();
      for (const a of c.accounts) accounts.set(a.id, a);
      for (const rp of c.resourcePolicies) resourcePolicies.set(rp.arn, rp);
      organization = c.organization;
    } finally {
      store.close();
    }
  }
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
