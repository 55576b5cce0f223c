/**
 * `iamsim account import|list|show|remove --db postgres://…`: the same
 * commands and output as for SQLite, through the asynchronous store.
 */
import { redactUrl, storeDiagnostic } from '../account/async-store.js';
import { openAsyncStore } from '../account/open-store.js';
import type { AsyncStore } from '../account/async-store.js';
import { showAccountAsync } from '../account/commands.js';
import { importFilesAsync, type ImportOptions } from '../account/import/index.js';
import { writeImportSummary, writeList, writeRemoved, writeShown } from './account-output.js';
import { EXIT, reportDiagnostics, type Io } from './io.js';

/** Opens the store, runs `fn`, closes it; a database error is one diagnostic and exit 2. */
async function withAsyncStore(url: string, io: Io, create: boolean, fn: (s: AsyncStore) => Promise<number>): Promise<number> {
  const location = redactUrl(url);
  let store: AsyncStore;
  try {
    store = await openAsyncStore(url, { create });
  } catch (err) {
    reportDiagnostics(io, [storeDiagnostic(location, err)]);
    return EXIT.BAD_INPUT;
  }
  try {
    return await fn(store);
  } catch (err) {
    reportDiagnostics(io, [storeDiagnostic(location, err)]);
    return EXIT.BAD_INPUT;
  } finally {
    await store.close();
  }
}

export function asyncImport(url: string, files: readonly string[], options: ImportOptions, io: Io): Promise<number> {
  return withAsyncStore(url, io, true, async (store) => {
    const r = await importFilesAsync(files, store, options);
    reportDiagnostics(io, r.diagnostics);
    if (!r.ok) {
      io.stderr.write(`iamsim account import: nothing was imported into ${store.location}\n`);
      return EXIT.BAD_INPUT;
    }
    writeImportSummary(io, r, await store.listAccounts(), store.location);
    return EXIT.OK;
  });
}

export function asyncList(url: string, format: 'json' | 'text', io: Io): Promise<number> {
  return withAsyncStore(url, io, false, async (store) => {
    writeList(io, format, await store.listAccounts(), await store.getOrganization());
    return EXIT.OK;
  });
}

export function asyncShow(url: string, id: string, format: 'json' | 'text', io: Io): Promise<number> {
  return withAsyncStore(url, io, false, async (store) => writeShown(io, format, store.location, id, await showAccountAsync(store, id)));
}

export function asyncRemove(url: string, id: string, io: Io): Promise<number> {
  return withAsyncStore(url, io, false, async (store) => writeRemoved(io, store.location, id, await store.removeAccount(id)));
}
