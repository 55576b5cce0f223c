/**
 * JSON Lines batch simulation: exactly one output line per input line, in
 * order, streaming with back-pressure so memory stays constant however long
 * the input. A bad line yields {"Error":{Code,Message}} and the batch goes on.
 */
import { availableParallelism } from 'node:os';
import { BatchPool, runChunk, type ChunkResult, type PoolWorker } from './pool.js';
import { lineState, type LineOptions } from './line.js';
import { LineChunker, type ByteChunk } from './chunks.js';
import { WorkerPlan, type WorkerStart } from './plan.js';

export interface BatchOptions extends LineOptions {
  /**
   * Threads deciding lines (default: one per processor): this thread and `threads - 1` workers.
   * Workers start when the rest of the input outweighs their warm-up (plan.ts), so small batches start none.
   */
  readonly threads?: number;
  /** `always`: start the workers at once and leave them every chunk (this thread then only reads and writes). */
  readonly workerStart?: WorkerStart;
  /** Show a progress line on stderr (when stderr is a terminal). */
  readonly progress: boolean;
  readonly totalBytes?: number;
  /** Output lines: JSON Lines (default) or one line of text per input line. */
  readonly format?: 'json' | 'text';
}

/** Where a batch writes: its JSON Lines output, and progress lines (the command line passes its stdout and stderr). */
export interface BatchStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface BatchStats {
  lines: number;
  errors: number;
  /** Lines decided by worker threads. */
  workerLines: number;
}

/** The stream's buffers (bytes; a stream that yields text is encoded back to UTF-8). */
async function* buffers(input: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  for await (const b of input) yield typeof b === 'string' ? Buffer.from(b, 'utf8') : (b as Uint8Array);
}

/** Bytes per chunk of lines: large enough that messaging costs little, small enough to keep every worker busy. */
const CHUNK_BYTES = 512 * 1024;
/** Chunks queued per worker: one being decided and one waiting, so a worker never waits for this thread. */
const PER_WORKER = 2;
/**
 * Chunks this thread may have decided while an earlier chunk is still with a worker (outputs are written in
 * order): a worker that has just started decides its first chunks slowly (its code and caches are cold), and this
 * thread goes on meanwhile instead of waiting for it. Bounded, so memory stays constant.
 */
const AHEAD = 8;

/** A chunk in flight: its result, and whether it has come (then it can be written without waiting). */
interface Queued {
  readonly chunk: ByteChunk;
  readonly result: Promise<ChunkResult>;
  done: boolean;
}

export async function runBatch(input: NodeJS.ReadableStream, io: BatchStreams, opts: BatchOptions): Promise<BatchStats> {
  const stats: BatchStats = { lines: 0, errors: 0, workerLines: 0 };
  const lineOpts: LineOptions = { baseDir: opts.baseDir, lenient: opts.lenient, explain: opts.explain, format: opts.format ?? 'json' };
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  // This thread decides lines too: `threads` deciding threads are this one and `threads - 1` workers.
  const workers = threads - 1;
  const queue: Queued[] = [];
  const plan = new WorkerPlan(workers, opts.totalBytes, opts.workerStart);
  // A large file starts its workers at once: they load while this thread decides the first lines.
  let pool = plan.startEarly() ? new BatchPool(workers, lineOpts) : undefined;
  let bytes = 0;
  let done = 0;
  let lastProgress = 0;
  const chunker = new LineChunker(CHUNK_BYTES);
  const state = lineState();
  const settle = async (): Promise<void> => {
    const next = queue.shift() as Queued;
    const r = await next.result;
    chunker.release(next.chunk);
    stats.errors += r.errors;
    if (r.worker === true) stats.workerLines += next.chunk.lines;
    done += next.chunk.lines;
    if (!io.stdout.write(r.out)) await new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
    if (opts.progress && done - lastProgress >= 5000) {
      lastProgress = done;
      const pct = opts.totalBytes ? ` ${Math.min(100, Math.floor((bytes / opts.totalBytes) * 100))}%` : '';
      io.stderr.write(`\r[iamsim] ${done} lines${pct}`);
    }
  };
  /** With `workerStart: 'always'`: a live worker with room, waiting for one (undefined once every worker failed). */
  const workerFor = async (p: BatchPool): Promise<PoolWorker | undefined> => {
    for (;;) {
      const w = p.free(PER_WORKER);
      if (w !== undefined || !p.alive) return w;
      // No ready worker with room: wait for one to load, or for the oldest chunk in flight to come back.
      if (p.loading && (queue.length === 0 || p.free(Number.POSITIVE_INFINITY) === undefined)) await p.loaded();
      else if (queue.length > 0) await settle();
      // A ready worker without room holds chunks of the queue, so this is not reached; this thread decides.
      else return undefined;
    }
  };
  const submit = async (chunk: ByteChunk | undefined): Promise<void> => {
    if (chunk === undefined) return;
    stats.lines += chunk.lines;
    if (pool === undefined && plan.startNow(bytes, chunk.start)) pool = new BatchPool(workers, lineOpts);
    // A loaded worker with room takes the chunk; otherwise this thread decides it (no thread idles).
    const worker = pool !== undefined && opts.workerStart === 'always' ? await workerFor(pool) : pool?.free(PER_WORKER);
    if (worker !== undefined) {
      const q: Queued = { chunk, result: worker.run(chunk), done: false };
      void q.result.then(() => {
        q.done = true;
      });
      queue.push(q);
    } else {
      // Before any worker runs, the process's CPU time is this thread's (and V8's helpers working for it).
      const t0 = pool === undefined ? process.cpuUsage() : undefined;
      queue.push({ chunk, result: Promise.resolve(runChunk(chunk, lineOpts, state)), done: true });
      if (t0 !== undefined) {
        const used = process.cpuUsage(t0);
        plan.decided(chunk.bytes.length, (used.user + used.system) / 1000);
      }
      // The workers' finished chunks arrive as messages, which wait while this thread decides: let them in.
      if (pool !== undefined) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Write what is decided, in order; beyond PER_WORKER chunks per worker and AHEAD of this thread's in flight,
    // wait for the oldest (constant memory, back-pressure).
    while (queue.length > 0 && (queue.length > (pool !== undefined ? pool.size * PER_WORKER + AHEAD : 0) || (queue[0] as Queued).done)) await settle();
  };
  try {
    for await (const buf of buffers(input)) {
      bytes += buf.length;
      for (const chunk of chunker.push(buf)) await submit(chunk);
    }
    await submit(chunker.end());
    while (queue.length > 0) await settle();
  } finally {
    await pool?.close();
  }
  if (opts.progress && stats.lines >= 5000) io.stderr.write(`\r[iamsim] ${stats.lines} lines, ${stats.errors} errors\n`);
  return stats;
}
