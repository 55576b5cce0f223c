/** `iamsim worker`: takes `audit --queue` partitions off the PostgreSQL job queue until stopped. */
import { hostname } from 'node:os';
import { isPostgresUrl } from '../account/async-store.js';
import { runWorker } from '../audit/queue.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { loadModel } from './account.js';
import { EXIT, guarded, type Io } from './io.js';

export const WORKER_HELP = `Usage: iamsim worker --db postgres://… [--quiet]

Runs partitions of audits started with 'iamsim audit --db postgres://… --queue', on this machine, until
stopped (SIGINT or SIGTERM: the partition in hand is finished first). Start as many as you like, on any
machines that reach the database; each reads the model from it (the one the audit was started on: a
model changed since is refused). A worker killed mid-partition loses nothing: after the audit's
--job-timeout the partition is run again by another worker, and its result is stored once.

  --db URL      the PostgreSQL database holding the model and the queue
  --quiet       no line per partition on stderr

Exit codes: 0 stopped, 2 bad input, 3 the database failed.
`;

export async function workerCommand(argv: readonly string[], io: Io): Promise<number> {
  return guarded('worker', io, async () => {
    const args = parseArgs(argv, new Set(['help', 'quiet']));
    if (has(args, 'help')) {
      io.stdout.write(WORKER_HELP);
      return EXIT.OK;
    }
    checkKnown(args, new Set(['db', 'quiet', 'help']), 'worker');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const db = flag(args, 'db');
    if (db === undefined || !isPostgresUrl(db)) throw new UsageError('worker needs --db postgres://… (the database the audit was started with)');
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const quiet = has(args, 'quiet');
    try {
      await runWorker(db, {
        name: `${hostname()}:${process.pid}`,
        signal: stop.signal,
        ...(quiet ? {} : { log: (line: string) => io.stderr.write(`worker: ${line}\n`) }),
        load: async () => {
          const u = await loadModel(args, io);
          if (u === undefined) throw new Error('the model could not be read from the database');
          return u;
        },
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return EXIT.OK;
  });
}
