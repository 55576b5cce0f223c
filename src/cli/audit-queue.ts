/** `iamsim audit --queue`: the partitions go to the PostgreSQL job queue (src/audit/queue.ts). */
import type { Universe } from '../account/query.js';
import { isPostgresUrl } from '../account/async-store.js';
import type { AuditOptions } from '../audit/index.js';
import type { QueuedRun } from '../audit/queue.js';
import { flag, UsageError, type ParsedArgs } from './args.js';

/** The database URL of --queue: the model and the queue are both in it, so workers read the same model. */
export function queueUrl(args: ParsedArgs): string {
  const db = flag(args, 'db');
  if (db === undefined || !isPostgresUrl(db))
    throw new UsageError('--queue needs --db postgres://…: the job queue and the model workers read are in that database');
  if ((args.flags.get('account') ?? []).length > 0) {
    throw new UsageError("--queue reads the model from --db only (workers read it there): import the files first with 'iamsim account import --db URL FILE…'");
  }
  return db;
}

/**
 * The audit's partitions, then its path partitions, on the queue's workers
 * (one run: runAudit calls the first, then iterates the second, which closes the run).
 */
export function queuedAudit(
  url: string,
  u: Universe,
  jobTimeoutSeconds: number,
  onProgress: (phase: string, done: number, total: number) => void,
): Pick<AuditOptions, 'runPartitions' | 'runPathPartitions'> {
  let run: QueuedRun | undefined;
  return {
    runPartitions: async (ps, at) => {
      // Loaded only here: pg-boss is needed by queued audits alone.
      const { QueuedRun } = await import('../audit/queue.js');
      run = await QueuedRun.start(url, u, at, { jobTimeoutSeconds, pollSeconds: 1 });
      try {
        return await run.partitions(ps, (done, total) => onProgress('partitions on workers', done, total));
      } catch (err) {
        await run.close();
        throw err;
      }
    },
    runPathPartitions: async function* (ps) {
      if (run === undefined) throw new Error('the path partitions come after the graph partitions');
      try {
        yield* run.paths(ps, (done, total) => onProgress('paths on workers', done, total));
      } finally {
        await run.close();
      }
    },
  };
}
