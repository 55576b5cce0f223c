/** `iamsim serve`'s flags: parsed and checked before anything starts (bad flags exit 2). */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { isPostgresUrl } from '../account/async-store.js';
import { parseCredentialsFile, type Credentials } from '../server/auth.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { readText } from './io.js';
import type { Engine, IamsimServer } from '../server/index.js';
import type { WorkerLink } from '../server/cluster-worker.js';

export const SERVE_HELP = `Usage: iamsim serve [--host 127.0.0.1] [--port 0|N] [--db PATH] [--account FILE…] [options]

Serves, on one port: AWS IAM's Query API (aws iam … --endpoint-url), IAM Access Analyzer's
policy APIs (aws accessanalyzer … --endpoint-url), the decision API (POST /v1/authorize,
OpenAPI at /openapi.json), /healthz, /readyz, /metrics, and the console (GET /).
Prints 'iamsim serve: listening on URL' once ready. See docs/server.md.

Options:
  --host HOST               address to listen on (default 127.0.0.1)
  --port N                  port (default 0: a free port, printed)
  --db PATH                 the iamsim database (default: $IAMSIM_DB, else .iamsim/iamsim.db when it
                            exists, else an empty in-memory store); IAM writes are persisted here
  --account FILE…           account files layered over the store (read-only through the API);
                            without --db they seed an in-memory store
  --account-id ID           the account IAM calls act in when the signing key names none
                            (default: the model's only account)
  --auth none|sigv4         none (default): signatures are accepted unverified;
                            sigv4: every request must be signed with a key from --credentials
  --credentials FILE        AWS shared-credentials file (aws_access_key_id / aws_secret_access_key)
  --decision-log FILE       JSON Lines log of every /v1/authorize decision
  --decision-log-max-bytes N   rotate the log at N bytes (default 10485760), keeping 5 files
  --body-limit N            request body limit in bytes (default 1048576; 413 beyond)
  --workers N|auto          server processes sharing the port (default 1; auto: one per
                            processor); each has its own engine over the same store, the
                            decision log and /metrics cover them all, a worker that dies is
                            replaced. Without --db they share a temporary database.
Writes (CreateRole, PutRolePolicy, …) from beyond loopback need --auth sigv4.
Exit codes: 0 stopped cleanly, 2 bad input (flags, files, database).
`;

const FLAGS = new Set([
  'host',
  'port',
  'db',
  'account',
  'account-id',
  'auth',
  'credentials',
  'decision-log',
  'decision-log-max-bytes',
  'body-limit',
  'workers',
  'help',
]);

export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  readonly files: readonly string[];
  /** The store: a SQLite path, a PostgreSQL URL, or ':memory:'. */
  readonly location: string;
  readonly credentials?: Credentials;
  readonly decisionLog?: string;
  readonly decisionLogMaxBytes?: number;
  readonly bodyLimit?: number;
  readonly accountId?: string;
  readonly workers: number;
}

function intFlag(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(v)}`);
  return n;
}

function storePath(db: string | undefined, files: readonly string[], env: NodeJS.ProcessEnv): string {
  if (db !== undefined) {
    if (db !== ':memory:' && !isPostgresUrl(db) && !existsSync(db))
      throw new UsageError(`no iamsim database at ${db} (run 'iamsim account import --db ${db} …' first)`);
    return db;
  }
  if (files.length > 0) return ':memory:';
  const fromEnv = env['IAMSIM_DB'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return existsSync('.iamsim/iamsim.db') ? '.iamsim/iamsim.db' : ':memory:';
}

function workersFlag(v: string | undefined): number {
  if (v === undefined) return 1;
  if (v === 'auto') return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--workers must be auto or an integer from 1 to 256, not ${JSON.stringify(v)}`);
  return n;
}

function readCredentials(file: string | undefined): Credentials | undefined {
  if (file === undefined) return undefined;
  try {
    return parseCredentialsFile(readText(file), file);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** The configuration, or 'help' when --help was asked for; throws UsageError on a bad flag. */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ServeConfig | 'help' {
  const args = parseArgs(argv, new Set(['help']));
  if (has(args, 'help')) return 'help';
  checkKnown(args, FLAGS, 'serve');
  const port = intFlag(flag(args, 'port'), 'port', 0, 65535) ?? 0;
  const files = args.flags.get('account') ?? [];
  if (has(args, 'account') && files.length === 0) throw new UsageError('--account needs at least one FILE');
  const auth = flag(args, 'auth') ?? (has(args, 'credentials') ? 'sigv4' : 'none');
  if (auth !== 'none' && auth !== 'sigv4') throw new UsageError(`--auth must be none or sigv4, not ${JSON.stringify(auth)}`);
  const credFile = flag(args, 'credentials');
  if (auth === 'sigv4' && credFile === undefined) throw new UsageError('--auth sigv4 needs --credentials FILE');
  const credentials = readCredentials(credFile);
  const log = flag(args, 'decision-log');
  const logMax = intFlag(flag(args, 'decision-log-max-bytes'), 'decision-log-max-bytes', 1024, Number.MAX_SAFE_INTEGER);
  const bodyLimit = intFlag(flag(args, 'body-limit'), 'body-limit', 1024, 64 * 1024 * 1024);
  const accountId = flag(args, 'account-id');
  if (accountId !== undefined && !/^\d{12}$/.test(accountId))
    throw new UsageError(`--account-id must be a 12-digit account id, not ${JSON.stringify(accountId)}`);
  return {
    host: flag(args, 'host') ?? '127.0.0.1',
    port,
    files,
    location: storePath(flag(args, 'db'), files, env),
    workers: workersFlag(flag(args, 'workers')),
    ...(credentials ? { credentials } : {}),
    ...(log !== undefined ? { decisionLog: log } : {}),
    ...(logMax !== undefined ? { decisionLogMaxBytes: logMax } : {}),
    ...(bodyLimit !== undefined ? { bodyLimit } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
  };
}

export interface ServeHandle {
  readonly url: string;
  readonly server: IamsimServer;
  readonly engine: Engine;
  stop(): Promise<void>;
}

/** How a worker of `--workers N` differs: its channel to the primary, and the database the primary seeded. */
export interface WorkerSetup {
  readonly link: WorkerLink;
  readonly seededDb?: string;
}
