/**
 * `iamsim account import|list|show|remove`, and the model loading shared by
 * the commands that decide against imported accounts (`--account FILE…`,
 * `--db PATH`, `IAMSIM_DB`, default DEFAULT_DB_PATH).
 */
import { existsSync, rmSync } from 'node:fs';
import { importFiles, type ImportOptions } from '../account/import/index.js';
import { listAccounts, removeAccount, showAccount } from '../account/commands.js';
import type { Universe } from '../account/query.js';
import { DEFAULT_DB_PATH, openStore, type Store } from '../account/store.js';
import { isPostgresUrl } from '../account/async-store.js';
import { writeImportSummary, writeList, writeRemoved, writeShown } from './account-output.js';
import { asyncImport, asyncList, asyncRemove, asyncShow } from './account-async.js';
import { loadUniverseAsync } from '../authz/universe.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkKnown, flag, has, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { EXIT, guarded, reportDiagnostics, type Io } from './io.js';

export const ACCOUNT_HELP = `Usage: iamsim account <import|list|show|remove> [options]

  iamsim account import FILE… [--db PATH] [--account-id ID] [--resource-arn ARN] [--region R]
                              [--parent-id ID] [--target-id ID]
      Imports AWS CLI outputs (get-account-authorization-details, organizations list/describe
      commands, get-bucket-policy, get-key-policy, get-repository-policy, describe-vpc-endpoints)
      and iamsim bundles (docs/account-bundle.md), all in one transaction.
  iamsim account list [--db PATH] [--format text|json]
  iamsim account show ID [--db PATH] [--format text|json]
  iamsim account remove ID [--db PATH]

The database is --db PATH, else $IAMSIM_DB, else ${DEFAULT_DB_PATH} (its folder is created on import);
a postgres:// or postgresql:// URL there names a PostgreSQL database instead (docs/store.md).
Errors are printed as file:line:column: error CODE: message. See docs/accounts.md.
Exit codes: 0 done, 2 bad input (nothing is written).
`;

/** --db, else IAMSIM_DB, else the default path. */
export function resolveDbPath(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): string {
  const v = flag(args, 'db');
  if (v !== undefined && v !== '') return v;
  const e = env['IAMSIM_DB'];
  return e !== undefined && e !== '' ? e : DEFAULT_DB_PATH;
}

/**
 * Flags that take one value give any further tokens back to the positionals,
 * so `account import --db x.db a.json b.json` works as well as the reverse.
 */
export function singleValued(args: ParsedArgs, names: readonly string[]): ParsedArgs {
  const flags = new Map(args.flags);
  const positionals = [...args.positionals];
  for (const n of names) {
    const v = flags.get(n);
    if (v !== undefined && v.length > 1) {
      flags.set(n, v.slice(0, 1));
      positionals.push(...v.slice(1));
    }
  }
  return { positionals, flags };
}

/** Text or JSON; `def` is the default. */
export function outputFormat(args: ParsedArgs, def: 'json' | 'text'): 'json' | 'text' {
  const f = flag(args, 'format') ?? flag(args, 'output') ?? def;
  if (f !== 'json' && f !== 'text') throw new UsageError(`--format must be json or text, not ${JSON.stringify(f)}`);
  return f;
}

function dbMissing(path: string, hint: string): Diagnostic {
  return { code: 'DB_NOT_FOUND', severity: 'error', message: `no iamsim database at ${path} (${hint})`, file: path, line: 1, column: 1, path: [] };
}

/**
 * Loads the model for a query: `--account FILE…` read into memory, and/or
 * `--db PATH` (a SQLite file or a postgres:// URL); with neither, the database
 * from IAMSIM_DB or the default path. Diagnostics go to stderr; undefined means exit 2.
 */
export async function loadModel(
  args: ParsedArgs,
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
  onFile?: (index: number, total: number, file: string) => void,
): Promise<Universe | undefined> {
  const files = args.flags.get('account') ?? [];
  if (has(args, 'account') && files.length === 0) throw new UsageError('--account needs at least one FILE');
  let db: string | undefined = flag(args, 'db');
  if (files.length === 0 && db === undefined) {
    db = resolveDbPath(args, env);
    if (!isPostgresUrl(db) && !existsSync(db)) {
      reportDiagnostics(io, [dbMissing(db, "give --account FILE… or --db PATH, or run 'iamsim account import' first")]);
      return undefined;
    }
  }
  const loaded = await loadUniverseAsync({
    ...(files.length > 0 ? { accountFiles: files } : {}),
    ...(db !== undefined ? { db } : {}),
    ...(onFile ? { importOptions: { onFile } } : {}),
  });
  if (
    reportDiagnostics(
      io,
      loaded.diagnostics.filter((d) => d.severity === 'error'),
    ) ||
    loaded.universe === undefined
  )
    return undefined;
  return loaded.universe;
}

function withStore<T>(path: string, io: Io, fn: (s: Store) => T): T | undefined {
  if (!existsSync(path)) {
    reportDiagnostics(io, [dbMissing(path, "run 'iamsim account import' first")]);
    return undefined;
  }
  const store = openStore(path);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

const IMPORT_FLAGS = new Set(['db', 'account-id', 'resource-arn', 'region', 'parent-id', 'target-id', 'help']);

function importCmd(args: ParsedArgs, io: Io): number | Promise<number> {
  checkKnown(args, IMPORT_FLAGS, 'account import');
  const files = args.positionals.slice(1);
  if (files.length === 0) throw new UsageError("account import needs at least one FILE; see 'iamsim account --help'");
  const options: ImportOptions = {};
  const opt = (name: string, key: 'accountId' | 'resourceArn' | 'region' | 'parentId' | 'targetId'): void => {
    const v = flag(args, name);
    if (v !== undefined) (options as Record<string, string>)[key] = v;
  };
  opt('account-id', 'accountId');
  opt('resource-arn', 'resourceArn');
  opt('region', 'region');
  opt('parent-id', 'parentId');
  opt('target-id', 'targetId');
  const path = resolveDbPath(args);
  if (isPostgresUrl(path)) return asyncImport(path, files, options, io);
  const existed = path === ':memory:' || existsSync(path);
  const store = openStore(path);
  let failed = false;
  try {
    const r = importFiles(files, store, options);
    reportDiagnostics(io, r.diagnostics);
    if (!r.ok) {
      failed = true;
      io.stderr.write(`iamsim account import: nothing was imported into ${path}\n`);
      return EXIT.BAD_INPUT;
    }
    writeImportSummary(io, r, store.listAccounts(), path);
    return EXIT.OK;
  } finally {
    store.close();
    // A failed first import leaves no empty database behind.
    if (failed && !existed) for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  }
}

function listCmd(args: ParsedArgs, io: Io): number | Promise<number> {
  checkKnown(args, new Set(['db', 'format', 'output', 'help']), 'account list');
  const format = outputFormat(args, 'text');
  const path = resolveDbPath(args);
  if (isPostgresUrl(path)) return asyncList(path, format, io);
  const rows = withStore(path, io, (s) => ({ accounts: listAccounts(s), org: s.getOrganization() }));
  if (rows === undefined) return EXIT.BAD_INPUT;
  writeList(io, format, rows.accounts, rows.org);
  return EXIT.OK;
}

function showCmd(args: ParsedArgs, io: Io): number | Promise<number> {
  checkKnown(args, new Set(['db', 'format', 'output', 'help']), 'account show');
  const id = args.positionals[1];
  if (id === undefined) throw new UsageError('account show needs an account ID');
  const format = outputFormat(args, 'text');
  const path = resolveDbPath(args);
  if (isPostgresUrl(path)) return asyncShow(path, id, format, io);
  const found = withStore(path, io, (s) => ({ details: showAccount(s, id) }));
  return found === undefined ? EXIT.BAD_INPUT : writeShown(io, format, path, id, found.details);
}

function removeCmd(args: ParsedArgs, io: Io): number | Promise<number> {
  checkKnown(args, new Set(['db', 'help']), 'account remove');
  const id = args.positionals[1];
  if (id === undefined) throw new UsageError('account remove needs an account ID');
  const path = resolveDbPath(args);
  if (isPostgresUrl(path)) return asyncRemove(path, id, io);
  const removed = withStore(path, io, (s) => removeAccount(s, id));
  return removed === undefined ? EXIT.BAD_INPUT : writeRemoved(io, path, id, removed);
}

export async function accountCommand(argv: readonly string[], io: Io): Promise<number> {
  return guarded('account', io, () => {
    const args = singleValued(parseArgs(argv, new Set(['help'])), ['db', 'account-id', 'resource-arn', 'region', 'parent-id', 'target-id', 'format', 'output']);
    const sub = args.positionals[0];
    if (has(args, 'help') || sub === undefined || sub === 'help') {
      io.stdout.write(ACCOUNT_HELP);
      return sub === undefined && !has(args, 'help') ? EXIT.BAD_INPUT : EXIT.OK;
    }
    switch (sub) {
      case 'import':
        return importCmd(args, io);
      case 'list':
        return listCmd(args, io);
      case 'show':
        return showCmd(args, io);
      case 'remove':
        return removeCmd(args, io);
      default:
        throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: use import, list, show or remove`);
    }
  });
}
