/**
 * JSON Lines batch simulation: exactly one output line per input line, in
 * order, streaming with back-pressure so memory stays constant however long
 * the input. A bad line yields {"Error":{Code,Message}} and the batch goes on.
 */
import { availableParallelism } from 'node:os';
import type { Io } from './io.js';
import { BatchPool, runChunk, type ChunkResult } from './batch-pool.js';
import type { LineOptions } from './batch-line.js';

export interface BatchOptions extends LineOptions {
  /**
   * Worker threads to decide lines on (default: one per processor). Up to the first
   * THREAD_AFTER lines are decided in this thread, so small batches start no worker.
   */
  readonly threads?: number;
  /** Show a progress line on stderr (when stderr is a terminal). */
  readonly progress: boolean;
  readonly totalBytes?: number;
}

export interface BatchStats {
  lines: number;
  errors: number;
}

/** Yields the lines of a stream (LF or CRLF), without readline's per-line overhead. */
async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  let rest = '';
  input.setEncoding?.('utf8');
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield text.slice(start, end);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** Lines per chunk handed to a worker: large enough that messaging costs little, small enough to keep both busy. */
const CHUNK_LINES = 256;
/** Batches up to this many lines are decided in this thread: starting workers would cost more than it saves. */
const THREAD_AFTER = 4096;

export async function runBatch(input: NodeJS.ReadableStream, io: Io, opts: BatchOptions): Promise<BatchStats> {
  const stats: BatchStats = { lines: 0, errors: 0 };
  const lineOpts: LineOptions = { baseDir: opts.baseDir, lenient: opts.lenient, explain: opts.explain };
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const queue: { readonly lines: number; readonly result: Promise<ChunkResult> }[] = [];
  let pool: BatchPool | undefined;
  let bytes = 0;
  let done = 0;
  let lastProgress = 0;
  let chunk: string[] = [];
  let start = 1;
  let nextId = 0;
  const settle = async (): Promise<void> => {
    const next = queue.shift() as { readonly lines: number; readonly result: Promise<ChunkResult> };
    const r = await next.result;
    stats.errors += r.errors;
    done += next.lines;
    if (!io.stdout.write(r.out)) await new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
    if (opts.progress && done - lastProgress >= 5000) {
      lastProgress = done;
      const pct = opts.totalBytes ? ` ${Math.min(100, Math.floor((bytes / opts.totalBytes) * 100))}%` : '';
      io.stderr.write(`\r[iamsim] ${done} lines${pct}`);
    }
  };
  const submit = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const job = { id: nextId++, start, lines: chunk };
    start += chunk.length;
    chunk = [];
    if (pool === undefined && threads > 1 && job.start > THREAD_AFTER) pool = new BatchPool(threads, lineOpts);
    queue.push({ lines: job.lines.length, result: pool !== undefined ? pool.run(job) : Promise.resolve(runChunk(job, lineOpts)) });
    // In flight: two chunks per worker keep them busy; beyond that, wait (constant memory, back-pressure).
    while (queue.length > (pool !== undefined ? pool.size * 2 : 0)) await settle();
  };
  try {
    for await (const line of lines(input)) {
      stats.lines++;
      bytes += line.length + 1;
      chunk.push(line);
      if (chunk.length >= CHUNK_LINES) await submit();
    }
    await submit();
    while (queue.length > 0) await settle();
  } finally {
    await pool?.close();
  }
  if (opts.progress && stats.lines >= 5000) io.stderr.write(`\r[iamsim] ${stats.lines} lines, ${stats.errors} errors\n`);
  return stats;
}
