/**
 * `iamsim serve`: starts the HTTP server (src/server) over the store and/or
 * account files, prints its URL, and shuts down gracefully on SIGINT/SIGTERM
 * (in-flight requests finish first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package.js';
import { createServer, Engine, EngineLoadError, isLoopback, parseCredentialsFile, type Credentials, type IamsimServer } from '../server/index.js';
import { type AsyncStore, isPostgresUrl, openAsyncStore, redactUrl } from '../account/async-store.js';
import { readAccountFiles } from '../server/engine.js';
import type { ServerOptions } from '../server/http.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { EXIT, guarded, readText, reportDiagnostics, type Io } from './io.js';

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
Writes (CreateRole, PutRolePolicy, …) from beyond loopback need --auth sigv4.
Exit codes: 0 stopped cleanly, 2 bad input (flags, files, database).
`;

const FLAGS = new Set(['host', 'port', 'db', 'account', 'account-id', 'auth', 'credentials', 'decision-log', 'decision-log-max-bytes', 'body-limit', 'help']);

function intFlag(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(v)}`);
  return n;
}

/** The package's dist/web, when the console was built. */
export function defaultStaticDir(): string | undefined {
  const dir = join(packageRoot(), 'dist', 'web');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
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

export interface ServeHandle {
  readonly url: string;
  readonly server: IamsimServer;
  readonly engine: Engine;
  stop(): Promise<void>;
}

/** Parses the flags and starts the server (used by the command and by tests). */
export async function startServe(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<ServeHandle | number> {
  const args = parseArgs(argv, new Set(['help']));
  if (has(args, 'help')) {
    io.stdout.write(SERVE_HELP);
    return EXIT.OK;
  }
  checkKnown(args, FLAGS, 'serve');
  const host = flag(args, 'host') ?? '127.0.0.1';
  const port = intFlag(flag(args, 'port'), 'port', 0, 65535) ?? 0;
  const files = args.flags.get('account') ?? [];
  if (has(args, 'account') && files.length === 0) throw new UsageError('--account needs at least one FILE');
  const auth = flag(args, 'auth') ?? (has(args, 'credentials') ? 'sigv4' : 'none');
  if (auth !== 'none' && auth !== 'sigv4') throw new UsageError(`--auth must be none or sigv4, not ${JSON.stringify(auth)}`);
  const credFile = flag(args, 'credentials');
  if (auth === 'sigv4' && credFile === undefined) throw new UsageError('--auth sigv4 needs --credentials FILE');
  let credentials: Credentials | undefined;
  if (credFile !== undefined) {
    try {
      credentials = parseCredentialsFile(readText(credFile), credFile);
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
  }
  const log = flag(args, 'decision-log');
  const logMax = intFlag(flag(args, 'decision-log-max-bytes'), 'decision-log-max-bytes', 1024, Number.MAX_SAFE_INTEGER);
  const bodyLimit = intFlag(flag(args, 'body-limit'), 'body-limit', 1024, 64 * 1024 * 1024);
  const accountId = flag(args, 'account-id');
  if (accountId !== undefined && !/^\d{12}$/.test(accountId))
    throw new UsageError(`--account-id must be a 12-digit account id, not ${JSON.stringify(accountId)}`);
  const location = storePath(flag(args, 'db'), files, env);
  let store: AsyncStore;
  try {
    store = await openAsyncStore(location);
  } catch (e) {
    throw new UsageError(`cannot open the store ${redactUrl(location)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let engine: Engine;
  try {
    // In memory, the files seed the store (editable through the API); over a database they are a read-only layer.
    if (location === ':memory:' && files.length > 0) await store.importBatch(readAccountFiles(files));
    engine = await Engine.open({ store, ...(location === ':memory:' ? {} : { accountFiles: files }) });
  } catch (e) {
    await store.close();
    if (e instanceof EngineLoadError) {
      reportDiagnostics(io, e.diagnostics);
      return EXIT.BAD_INPUT;
    }
    throw e;
  }
  const staticDir = defaultStaticDir();
  const options: ServerOptions = {
    host,
    port,
    ...(credentials ? { credentials } : {}),
    ...(log !== undefined ? { decisionLog: { path: log, ...(logMax !== undefined ? { maxBytes: logMax } : {}) } } : {}),
    ...(bodyLimit !== undefined ? { bodyLimit } : {}),
    ...(accountId !== undefined ? { defaultAccountId: accountId } : {}),
    ...(staticDir !== undefined ? { staticDir } : {}),
  };
  const server = createServer(engine, options);
  let url: string;
  try {
    url = await server.listen();
  } catch (e) {
    await engine.close();
    throw new UsageError(`cannot listen on ${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!isLoopback(host) && credentials === undefined) {
    io.stderr.write('iamsim serve: listening beyond loopback without --auth sigv4: IAM writes are refused\n');
  }
  io.stdout.write(
    `iamsim serve: listening on ${url} (store: ${location === ':memory:' ? 'memory' : store.kind}, accounts: ${engine.universe.accounts.size})\n`,
  );
  return {
    url,
    server,
    engine,
    stop: async () => {
      await server.close();
      await engine.close();
    },
  };
}

export async function serveCommand(argv: readonly string[], io: Io): Promise<number> {
  return guarded('serve', io, async () => {
    const h = await startServe(argv, io);
    if (typeof h === 'number') return h;
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        io.stderr.write(`iamsim serve: ${signal}: finishing in-flight requests\n`);
        void h.stop().then(resolve);
      };
      const onInt = (): void => stop('SIGINT');
      const onTerm = (): void => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
    });
    return EXIT.OK;
  });
}
