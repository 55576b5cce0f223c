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
   * Worker threads to decide lines on (default: one per processor). Up to the first
   * THREAD_AFTER lines are decided in this thread, so small batches start no worker.
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

export async function runBatch(input: NodeJS.ReadableStream, io: BatchStreams, opts: BatchOptions): Promise<BatchStats> {
  const stats: BatchStats = { lines: 0, errors: 0 };
  const lineOpts: LineOptions = { baseDir: opts.baseDir, lenient: opts.lenient, explain: opts.explain, format: opts.format ?? 'json' };
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const queue: { readonly chunk: ByteChunk; readonly result: Promise<ChunkResult> }[] = [];
  // A large file starts its workers at once: they load while this thread decides the first lines.
  let pool = threads > 1 && (opts.totalBytes ?? 0) >= EARLY_POOL_BYTES ? new BatchPool(threads, lineOpts) : undefined;
  let bytes = 0;
  let done = 0;
  let lastProgress = 0;
  const chunker = new LineChunker(CHUNK_BYTES);
  const state = lineState();
  const settle = async (): Promise<void> => {
    const next = queue.shift() as { readonly chunk: ByteChunk; readonly result: Promise<ChunkResult> };
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
    if (pool === undefined && threads > 1 && chunk.start > THREAD_AFTER) pool = new BatchPool(threads, lineOpts);
    // Workers started early take chunks as soon as one has loaded; until then this thread decides them.
    const workers = chunk.start > THREAD_AFTER || pool?.ready ? pool : undefined;
    queue.push({ chunk, result: workers !== undefined ? workers.run(chunk) : Promise.resolve(runChunk(chunk, lineOpts, state)) });
    // In flight: two chunks per worker keep them busy; beyond that, wait (constant memory, back-pressure).
    while (queue.length > (workers !== undefined ? workers.size * 2 : 0)) await settle();
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
