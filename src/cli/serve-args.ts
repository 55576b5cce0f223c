/** `iamsim serve`'s flags: parsed and checked before anything starts (bad flags exit 2). */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { isPostgresUrl } from '../account/async-store.js';
import { parseCredentialsFile, type Credentials } from '../server/auth.js';
import { isLoopback } from '../server/http.js';
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
  --region REGION           the region STS and Access Analyzer signatures must name (default
                            us-east-1; IAM's signing region is always us-east-1)
  --allowed-host NAME…      more names the Host header may carry (default: localhost, 127.0.0.1,
                            [::1], the --host value); '*' turns the check off (behind a proxy)
  --console-token TOKEN     with --auth sigv4, the console's login token (default: $IAMSIM_CONSOLE_TOKEN,
                            else a random one, printed with the console's URL)
  --tls-cert FILE, --tls-key FILE   serve HTTPS with this certificate and key (PEM)
  --allow-insecure-http     allow --auth sigv4 on a non-loopback address without TLS
  --deadline-ms N           milliseconds a request may run (default 30000; ServiceUnavailable beyond)
  --audit-deadline-ms N     milliseconds the console's audit of the accounts may run (default 600000)
  --workers N|auto          server processes sharing the port (default 1; auto: one per
                            processor); each has its own engine over the same store, the
                            decision log and /metrics cover them all, a worker that dies is
                            replaced. Without --db they share a temporary database.
Writes (CreateRole, PutRolePolicy, …) from beyond loopback need --auth sigv4, and --auth sigv4
beyond loopback needs TLS (or --allow-insecure-http). Browsers reach the APIs only from the
server's own pages. /healthz, /readyz and /metrics never need a signature.
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
  'region',
  'allowed-host',
  'console-token',
  'tls-cert',
  'tls-key',
  'allow-insecure-http',
  'deadline-ms',
  'audit-deadline-ms',
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
  readonly region: string;
  readonly allowedHosts: readonly string[];
  /** With --auth sigv4: the console's login token (from the flag or the environment; else chosen at start). */
  readonly consoleToken?: string;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly deadlineMs?: number;
  readonly auditDeadlineMs?: number;
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

/** The console token with --auth sigv4: the configured one, else one chosen now (the primary passes it to its workers). */
export function consoleTokenOf(cfg: ServeConfig): string | undefined {
  if (cfg.credentials === undefined) return undefined;
  return cfg.consoleToken ?? process.env['IAMSIM_SERVE_CONSOLE_TOKEN'] ?? randomBytes(24).toString('base64url');
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

function readTls(cert: string | undefined, key: string | undefined): { cert: Buffer; key: Buffer } | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new UsageError('--tls-cert and --tls-key go together');
  const read = (f: string): Buffer => {
    try {
      return readFileSync(f);
    } catch (e) {
      throw new UsageError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  };
  return { cert: read(cert), key: read(key) };
}

/** The configuration, or 'help' when --help was asked for; throws UsageError on a bad flag. */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ServeConfig | 'help' {
  const args = parseArgs(argv, new Set(['help', 'allow-insecure-http']));
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
  const tls = readTls(flag(args, 'tls-cert'), flag(args, 'tls-key'));
  const host = flag(args, 'host') ?? '127.0.0.1';
  if (credentials !== undefined && tls === undefined && !isLoopback(host) && !has(args, 'allow-insecure-http')) {
    throw new UsageError(
      `--auth sigv4 on ${host} over plain HTTP would send the console's session and every request in clear text: give --tls-cert and --tls-key, listen on loopback behind a TLS proxy, or pass --allow-insecure-http`,
    );
  }
  const region = flag(args, 'region') ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new UsageError(`--region must be an AWS region name such as us-east-1, not ${JSON.stringify(region)}`);
  const consoleToken = flag(args, 'console-token') ?? nonEmpty(env['IAMSIM_CONSOLE_TOKEN']);
  if (consoleToken !== undefined && consoleToken.length < 16) throw new UsageError('--console-token must be at least 16 characters');
  const deadlineMs = intFlag(flag(args, 'deadline-ms'), 'deadline-ms', 100, 3_600_000);
  const auditDeadlineMs = intFlag(flag(args, 'audit-deadline-ms'), 'audit-deadline-ms', 100, 86_400_000);
  const accountId = flag(args, 'account-id');
  if (accountId !== undefined && !/^\d{12}$/.test(accountId))
    throw new UsageError(`--account-id must be a 12-digit account id, not ${JSON.stringify(accountId)}`);
  return {
    host,
    port,
    region,
    allowedHosts: args.flags.get('allowed-host') ?? [],
    ...(consoleToken !== undefined && credentials !== undefined ? { consoleToken } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
    ...(auditDeadlineMs !== undefined ? { auditDeadlineMs } : {}),
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
