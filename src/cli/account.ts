/**
 * `iamsim account import|list|show|remove`, and the model loading shared by
 * the commands that decide against imported accounts (`--account FILE…`,
 * `--db PATH`, `IAMSIM_DB`, default DEFAULT_DB_PATH).
 */
import type { ImportOptions } from '../account/import/index.js';
import { importIntoStore, showAccount, usingStore, type StoreOutcome } from '../account/commands.js';
import type { Universe } from '../account/query.js';
import { DEFAULT_DB_PATH } from '../account/async-store.js';
import { writeImportSummary, writeList, writeRemoved, writeShown } from './account-output.js';
import { loadUniverseAsync } from '../authz/universe.js';
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
  const given = flag(args, 'db');
  const db = files.length === 0 && given === undefined ? resolveDbPath(args, env) : given;
  const loaded = await loadUniverseAsync({
    ...(files.length > 0 ? { accountFiles: files } : {}),
    ...(db !== undefined ? { db } : {}),
    ...(db !== given ? { missingStoreHint: "give --account FILE… or --db PATH, or run 'iamsim account import' first" } : {}),
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

/** Prints a store command's outcome: `write` on success, else its diagnostic and exit 2. */
async function run<T>(pending: Promise<StoreOutcome<T>>, io: Io, write: (value: T, location: string) => number): Promise<number> {
  const outcome = await pending;
  if (!outcome.ok) {
    reportDiagnostics(io, [outcome.diagnostic]);
    return EXIT.BAD_INPUT;
  }
  return write(outcome.value, outcome.location);
}

const IMPORT_FLAGS = new Set(['db', 'account-id', 'resource-arn', 'region', 'parent-id', 'target-id', 'help']);

function importCmd(args: ParsedArgs, io: Io): Promise<number> {
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
  return run(importIntoStore(resolveDbPath(args), files, options), io, ({ result, summaries }, location) => {
    reportDiagnostics(io, result.diagnostics);
    if (!result.ok) {
      io.stderr.write(`iamsim account import: nothing was imported into ${location}\n`);
      return EXIT.BAD_INPUT;
    }
    writeImportSummary(io, result, summaries, location);
    return EXIT.OK;
  });
}

function listCmd(args: ParsedArgs, io: Io): Promise<number> {
  checkKnown(args, new Set(['db', 'format', 'output', 'help']), 'account list');
  const format = outputFormat(args, 'text');
  const listed = usingStore(resolveDbPath(args), false, async (s) => ({ accounts: await s.listAccounts(), org: await s.getOrganization() }));
  return run(listed, io, ({ accounts, org }) => {
    writeList(io, format, accounts, org);
    return EXIT.OK;
  });
}

function showCmd(args: ParsedArgs, io: Io): Promise<number> {
  checkKnown(args, new Set(['db', 'format', 'output', 'help']), 'account show');
  const id = args.positionals[1];
  if (id === undefined) throw new UsageError('account show needs an account ID');
  const format = outputFormat(args, 'text');
  return run(
    usingStore(resolveDbPath(args), false, (s) => showAccount(s, id)),
    io,
    (details, location) => writeShown(io, format, location, id, details),
  );
}

function removeCmd(args: ParsedArgs, io: Io): Promise<number> {
  checkKnown(args, new Set(['db', 'help']), 'account remove');
  const id = args.positionals[1];
  if (id === undefined) throw new UsageError('account remove needs an account ID');
  return run(
    usingStore(resolveDbPath(args), false, (s) => s.removeAccount(id)),
    io,
    (removed, location) => writeRemoved(io, location, id, removed),
  );
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
