/**
 * `iamsim serve --workers N`: the primary and worker sides of the command,
 * over src/server's ClusterPrimary and WorkerLink. The primary checks the
 * input once, seeds a temporary SQLite database when there is no --db (so a
 * write through one worker reaches the others, as over a shared store), forks
 * the workers, prints the URL, and stops them all on SIGINT/SIGTERM.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAsyncStore } from '../account/open-store.js';
import { packageRoot } from '../package.js';
import { ClusterPrimary, WorkerStartError } from '../server/cluster-primary.js';
import { WorkerLink } from '../server/cluster-worker.js';
import { EngineLoadError, readAccountFiles } from '../server/engine.js';
import { isLoopback } from '../server/http.js';
import { EXIT, reportDiagnostics, type Io } from './io.js';
import { consoleTokenOf, type ServeConfig } from './serve-args.js';
import type { ServeHandle, WorkerSetup } from './serve-args.js';

type Start = (cfg: ServeConfig, io: Io, worker?: WorkerSetup) => Promise<ServeHandle | number>;
type UntilSignal = (io: Io, stop: () => Promise<void>) => Promise<void>;

/** The worker: a whole server that stops when the primary says so (SIGINT is the primary's to handle). */
export async function runWorker(cfg: ServeConfig, io: Io, start: Start): Promise<number> {
  const link = new WorkerLink();
  process.on('SIGINT', () => undefined);
  try {
    return await serveAsWorker(cfg, io, start, link);
  } finally {
    link.close();
    // Leave the cluster deliberately (a worker whose channel just closes exits at once with 0, losing its exit code).
    cluster.worker?.disconnect();
  }
}

async function serveAsWorker(cfg: ServeConfig, io: Io, start: Start, link: WorkerLink): Promise<number> {
  const seededDb = process.env['IAMSIM_SERVE_SEEDED_DB'];
  const h = await start(cfg, io, { link, ...(seededDb ? { seededDb } : {}) });
  if (typeof h === 'number') return h;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      void h.stop().then(resolve);
    };
    link.onShutdown(stop);
    process.on('SIGTERM', stop);
  });
  return EXIT.OK;
}

/** Without a database, the workers share a temporary SQLite file seeded with the account files. */
async function seedTemporaryDb(files: readonly string[]): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-serve-workers-'));
  const db = join(dir, 'model.db');
  const store = await openAsyncStore(db);
  try {
    if (files.length > 0) await store.importBatch(readAccountFiles(files));
  } catch (e) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  await store.close();
  return { dir, db };
}

export async function runPrimary(cfg: ServeConfig, argv: readonly string[], io: Io, untilSignal: UntilSignal): Promise<number> {
  let seeded: { dir: string; db: string } | undefined;
  try {
    if (cfg.location === ':memory:') seeded = await seedTemporaryDb(cfg.files);
    else if (cfg.files.length > 0) readAccountFiles(cfg.files); // report bad files once, not once per worker
  } catch (e) {
    if (!(e instanceof EngineLoadError)) throw e;
    reportDiagnostics(io, e.diagnostics);
    return EXIT.BAD_INPUT;
  }
  const cleanup = (): void => {
    if (seeded) rmSync(seeded.dir, { recursive: true, force: true });
  };
  // One secret and one console token for every worker, so each accepts the console's session and CSRF token.
  const consoleToken = consoleTokenOf(cfg);
  const shared: Record<string, string> = {
    IAMSIM_SERVE_SECRET: randomBytes(32).toString('hex'),
    ...(consoleToken !== undefined ? { IAMSIM_SERVE_CONSOLE_TOKEN: consoleToken } : {}),
    ...(seeded ? { IAMSIM_SERVE_SEEDED_DB: seeded.db } : {}),
  };
  let primary: ClusterPrimary;
  try {
    primary = await ClusterPrimary.start({
      workers: cfg.workers,
      exec: join(packageRoot(), 'bin', 'iamsim.js'),
      args: ['serve', ...argv],
      env: shared,
      ...(cfg.decisionLog !== undefined
        ? { decisionLog: { path: cfg.decisionLog, ...(cfg.decisionLogMaxBytes !== undefined ? { maxBytes: cfg.decisionLogMaxBytes } : {}) } }
        : {}),
      report: (line) => io.stderr.write(`iamsim serve: ${line}\n`),
    });
  } catch (e) {
    cleanup();
    if (e instanceof WorkerStartError) return e.code;
    throw e;
  }
  if (!isLoopback(cfg.host) && cfg.credentials === undefined) {
    io.stderr.write('iamsim serve: listening beyond loopback without --auth sigv4: IAM writes are refused\n');
  }
  io.stdout.write(`iamsim serve: listening on ${primary.url} (${primary.detail}, workers: ${cfg.workers})\n`);
  if (consoleToken !== undefined) io.stdout.write(`iamsim serve: console: ${primary.url}/?token=${consoleToken}\n`);
  await Promise.race([untilSignal(io, () => primary.stop()), primary.done]);
  await primary.done;
  cleanup();
  return primary.exitCode;
}
