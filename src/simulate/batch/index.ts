/**
 * JSON Lines batch simulation: exactly one output line per input line, in
 * order, streaming with back-pressure so memory stays constant however long
 * the input. A bad line yields {"Error":{Code,Message}} and the batch goes on.
 */
import { availableParallelism } from 'node:os';
import { BatchPool, runChunk, type ChunkResult } from './pool.js';
import { lineState, type LineOptions } from './line.js';
import { LineChunker, type ByteChunk } from './chunks.js';

export interface BatchOptions extends LineOptions {
  /**
   * Threads deciding lines (default: one per processor): this thread and `threads - 1` workers.
   * Up to the first THREAD_AFTER lines are decided in this thread, so small batches start no worker.
   */
  readonly threads?: number;
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
}

/** The stream's buffers (bytes; a stream that yields text is encoded back to UTF-8). */
async function* buffers(input: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  for await (const b of input) yield typeof b === 'string' ? Buffer.from(b, 'utf8') : (b as Uint8Array);
}

/** Bytes per chunk of lines: large enough that messaging costs little, small enough to keep every worker busy. */
const CHUNK_BYTES = 512 * 1024;
/** Batches up to this many lines are decided in this thread: starting workers would cost more than it saves. */
const THREAD_AFTER = 4096;
/** A file at least this large starts its workers before its first line (about 5,000 lines of 1.7 KB). */
const EARLY_POOL_BYTES = 8 * 1024 * 1024;
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
  const stats: BatchStats = { lines: 0, errors: 0 };
  const lineOpts: LineOptions = { baseDir: opts.baseDir, lenient: opts.lenient, explain: opts.explain, format: opts.format ?? 'json' };
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  // This thread decides lines too: `threads` deciding threads are this one and `threads - 1` workers.
  const workers = threads - 1;
  const queue: Queued[] = [];
  // A large file starts its workers at once: they load while this thread decides the first lines.
  let pool = workers > 0 && (opts.totalBytes ?? 0) >= EARLY_POOL_BYTES ? new BatchPool(workers, lineOpts) : undefined;
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
    done += next.chunk.lines;
    if (!io.stdout.write(r.out)) await new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
    if (opts.progress && done - lastProgress >= 5000) {
      lastProgress = done;
      const pct = opts.totalBytes ? ` ${Math.min(100, Math.floor((bytes / opts.totalBytes) * 100))}%` : '';
      io.stderr.write(`\r[iamsim] ${done} lines${pct}`);
    }
  };
  const submit = async (chunk: ByteChunk | undefined): Promise<void> => {
    if (chunk === undefined) return;
    stats.lines += chunk.lines;
    if (pool === undefined && workers > 0 && chunk.start > THREAD_AFTER) pool = new BatchPool(workers, lineOpts);
    // A loaded worker with room takes the chunk; otherwise this thread decides it (no thread idles).
    const worker = pool?.free(PER_WORKER);
    if (worker !== undefined) {
      const q: Queued = { chunk, result: worker.run(chunk), done: false };
      void q.result.then(() => {
        q.done = true;
      });
      queue.push(q);
    } else {
      queue.push({ chunk, result: Promise.resolve(runChunk(chunk, lineOpts, state)), done: true });
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
