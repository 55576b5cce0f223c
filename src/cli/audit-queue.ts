/** `iamsim audit --queue`: the partitions go to the PostgreSQL job queue (src/audit/queue.ts). */
import type { Universe } from '../account/query.js';
import { isPostgresUrl } from '../account/async-store.js';
import type { Partition, PartitionResult } from '../audit/index.js';
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

export function queuedPartitions(
  url: string,
  u: Universe,
  jobTimeoutSeconds: number,
  onProgress: (phase: string, done: number, total: number) => void,
): (ps: readonly Partition[], at: Date) => Promise<readonly PartitionResult[]> {
  return async (ps, at) => {
    // Loaded only here: pg-boss is needed by queued audits alone.
    const { runQueued } = await import('../audit/queue.js');
    return runQueued(url, u, ps, at, { jobTimeoutSeconds, pollSeconds: 1 }, (done, total) => onProgress('partitions on workers', done, total));
  };
}
