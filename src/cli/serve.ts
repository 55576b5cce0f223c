/**
 * `iamsim serve`: starts the HTTP server (src/server) over the store and/or
 * account files, prints its URL, and shuts down gracefully on SIGINT/SIGTERM
 * (in-flight requests finish first). With `--workers N` the process is the
 * primary of N worker processes (serve-cluster.ts).
 */
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package.js';
import { createServer, Engine, EngineLoadError, isLoopback } from '../server/index.js';
import { type AsyncStore, redactUrl } from '../account/async-store.js';
import { openAsyncStore } from '../account/open-store.js';
import { readAccountFiles } from '../server/engine.js';
import type { ServerOptions } from '../server/http.js';
import { UsageError } from './args.js';
import { EXIT, guarded, reportDiagnostics, type Io } from './io.js';
import { consoleTokenOf, parseServeArgs, SERVE_HELP, type ServeConfig, type ServeHandle, type WorkerSetup } from './serve-args.js';
import { runPrimary, runWorker } from './serve-cluster.js';
import { cliContext, type CliContext } from './context.js';
import type { Iamsim } from '../engine/iamsim.js';

export { SERVE_HELP } from './serve-args.js';
export type { ServeHandle, WorkerSetup } from './serve-args.js';

/** The package's dist/web, when the console was built. */
export function defaultStaticDir(): string | undefined {
  const dir = join(packageRoot(), 'dist', 'web');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** Parses the flags and starts the server (used by the command and by tests). */
export async function startServe(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<ServeHandle | number> {
  const cfg = parseServeArgs(argv, env);
  if (cfg === 'help') {
    io.stdout.write(SERVE_HELP);
    return EXIT.OK;
  }
  return startWith(cfg, io);
}

async function openEngine(cfg: ServeConfig, io: Io, location: string, seeded: boolean, iamsim?: Iamsim): Promise<Engine | number> {
  let store: AsyncStore;
  try {
    store = await openAsyncStore(location);
  } catch (e) {
    throw new UsageError(`cannot open the store ${redactUrl(location)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    // In memory, the files seed the store (editable through the API); over a database they are a read-only layer.
    const memory = location === ':memory:';
    if (memory && cfg.files.length > 0) await store.importBatch(readAccountFiles(cfg.files));
    return await Engine.open({ store, ...(memory || seeded ? {} : { accountFiles: cfg.files }), ...(iamsim ? { iamsim } : {}) });
  } catch (e) {
    await store.close();
    if (e instanceof EngineLoadError) {
      reportDiagnostics(io, e.diagnostics);
      return EXIT.BAD_INPUT;
    }
    throw e;
  }
}

function serverOptions(cfg: ServeConfig, worker: WorkerSetup | undefined, consoleToken: string | undefined): ServerOptions {
  const staticDir = defaultStaticDir();
  const log = cfg.decisionLog;
  const fileLog = log !== undefined ? { path: log, ...(cfg.decisionLogMaxBytes !== undefined ? { maxBytes: cfg.decisionLogMaxBytes } : {}) } : undefined;
  return {
    host: cfg.host,
    port: cfg.port,
    ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
    ...(fileLog !== undefined ? { decisionLog: worker ? worker.link.logSink() : fileLog } : {}),
    ...(worker ? { gatherMetrics: () => worker.link.gatherMetrics() } : {}),
    ...(cfg.bodyLimit !== undefined ? { bodyLimit: cfg.bodyLimit } : {}),
    ...(cfg.accountId !== undefined ? { defaultAccountId: cfg.accountId } : {}),
    ...(staticDir !== undefined ? { staticDir } : {}),
    region: cfg.region,
    allowedHosts: cfg.allowedHosts,
    ...(consoleToken !== undefined ? { consoleToken } : {}),
    ...(cfg.tls !== undefined ? { tls: cfg.tls } : {}),
    ...(cfg.deadlineMs !== undefined ? { deadline: cfg.deadlineMs } : {}),
    warmThreads: true,
    ...(cfg.auditDeadlineMs !== undefined ? { longDeadline: cfg.auditDeadlineMs } : {}),
    // The workers of one server share the secret their console tokens derive from (set by the primary).
    ...(process.env['IAMSIM_SERVE_SECRET'] ? { secret: process.env['IAMSIM_SERVE_SECRET'] } : {}),
  };
}

/** Opens the store and the engine and starts listening; a worker reports to its primary instead of printing. */
/** Starts the server; `iamsim` is the engine to answer with (the command line's; default: a new one). */
export async function startWith(cfg: ServeConfig, io: Io, worker?: WorkerSetup, iamsim?: Iamsim): Promise<ServeHandle | number> {
  const location = worker?.seededDb ?? cfg.location;
  const engine = await openEngine(cfg, io, location, worker?.seededDb !== undefined, iamsim);
  if (typeof engine === 'number') return engine;
  const consoleToken = consoleTokenOf(cfg);
  const server = createServer(engine, serverOptions(cfg, worker, consoleToken));
  let url: string;
  try {
    url = await server.listen();
  } catch (e) {
    await engine.close();
    throw new UsageError(`cannot listen on ${cfg.host}:${cfg.port}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const memory = location === ':memory:' || worker?.seededDb !== undefined;
  const detail = `store: ${memory ? 'memory' : engine.store.kind}, accounts: ${engine.universe.accounts.size}`;
  if (worker) {
    worker.link.provideSnapshot(() => server.metrics.snapshot());
    worker.link.listening(url, detail);
  } else {
    if (!isLoopback(cfg.host) && cfg.credentials === undefined) {
      io.stderr.write('iamsim serve: listening beyond loopback without --auth sigv4: IAM writes are refused\n');
    }
    io.stdout.write(`iamsim serve: listening on ${url} (${detail})\n`);
    if (consoleToken !== undefined) io.stdout.write(`iamsim serve: console: ${url}/?token=${consoleToken}\n`);
  }
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

/** Resolves after SIGINT or SIGTERM once `stop` has finished. */
export function untilSignal(io: Io, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      io.stderr.write(`iamsim serve: ${signal}: finishing in-flight requests\n`);
      void stop().then(resolve);
    };
    const onInt = (): void => onSignal('SIGINT');
    const onTerm = (): void => onSignal('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export async function serveCommand(argv: readonly string[], io: Io, cli: CliContext = cliContext()): Promise<number> {
  return guarded('serve', io, async () => {
    const cfg = parseServeArgs(argv, process.env);
    if (cfg === 'help') {
      io.stdout.write(SERVE_HELP);
      return EXIT.OK;
    }
    if (cluster.isWorker && process.env['IAMSIM_SERVE_WORKER'] === '1') return runWorker(cfg, io, startWith);
    if (cfg.workers > 1) return runPrimary(cfg, argv, io, untilSignal);
    const h = await startWith(cfg, io, undefined, await cli.engine());
    if (typeof h === 'number') return h;
    await untilSignal(io, h.stop);
    return EXIT.OK;
  });
}
