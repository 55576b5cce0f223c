/**
 * Worker threads for JSON Lines batches. The reading thread cuts the input
 * into chunks of whole lines, as bytes in shared memory (chunks.ts), and
 * decides those no worker has room for (index.ts); each worker decodes its chunks, decides their lines with the same
 * `processLine` as the single-threaded path, and hands back the encoded output
 * (transferred, not copied). Outputs are written in input order, and at most
 * `2 × workers` chunks are in flight, so memory stays constant and a slow
 * reader of the output slows the input down (back-pressure). A worker that
 * fails hands its chunks back to the reading thread, which decides them
 * itself: no line is lost.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../package.js';
import { lineState, processLine, type LineOptions, type LineState } from './line.js';
import { eachLine, OutputBytes, type ByteChunk } from './chunks.js';

export interface ChunkResult {
  /** The output lines, UTF-8, each ending with a newline. */
  readonly out: Uint8Array;
  readonly errors: number;
  /** Decided by a worker thread (not by the reading thread). */
  readonly worker?: true;
}

/** Decides a chunk in this thread (the fallback, and the single-threaded path). */
export function runChunk(chunk: ByteChunk, opts: LineOptions, state: LineState = lineState()): ChunkResult {
  const out = new OutputBytes(chunk.bytes.length);
  let errors = 0;
  let lineNo = chunk.start;
  eachLine(chunk.bytes, (line) => {
    const r = processLine(line, lineNo++, opts, state);
    if (r.error) errors++;
    out.line(r.out);
  });
  return { out: out.bytes(), errors };
}

/** The worker's script: the bundled one next to the bundled CLI, else the compiled module beside this one. */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  const bundled = join(packageRoot(), 'dist', 'cli', 'batch-worker.js');
  if (here.includes(`${join('dist', 'cli')}`) && existsSync(bundled)) return bundled;
  return fileURLToPath(new URL('./worker.js', import.meta.url));
}

interface Pending {
  readonly chunk: ByteChunk;
  resolve(r: ChunkResult): void;
}

export class PoolWorker {
  readonly queue: Pending[] = [];
  private readonly worker: Worker;
  private failed = false;
  /** The worker has loaded its modules (its first message). */
  ready = false;
  /** Settles when the worker has loaded or failed. */
  readonly settled: Promise<void>;

  constructor(
    script: string,
    opts: LineOptions,
    private readonly fallback: (chunk: ByteChunk) => ChunkResult,
  ) {
    this.worker = new Worker(script, { workerData: opts });
    let settle = (): void => {};
    this.settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.worker.on('message', (r: ChunkResult | 'ready') => {
      if (r === 'ready') {
        this.ready = true;
        settle();
        return;
      }
      const p = this.queue.shift();
      p?.resolve(r);
    });
    const fail = (): void => {
      if (this.failed) return;
      this.failed = true;
      settle();
      // Decide what this worker held in the reading thread (the chunks' bytes are shared, still readable here).
      for (const p of this.queue.splice(0)) p.resolve(this.fallback(p.chunk));
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (code !== 0) fail();
    });
  }

  get alive(): boolean {
    return !this.failed;
  }

  run(chunk: ByteChunk): Promise<ChunkResult> {
    if (this.failed) return Promise.resolve(this.fallback(chunk));
    return new Promise((resolve) => {
      this.queue.push({ chunk, resolve });
      this.worker.postMessage(chunk);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export class BatchPool {
  private readonly workers: PoolWorker[];

  /** `script` is for tests; the default is the batch worker. */
  constructor(size: number, opts: LineOptions, script: string = workerScript()) {
    const state = lineState();
    const fallback = (chunk: ByteChunk): ChunkResult => runChunk(chunk, opts, state);
    this.workers = Array.from({ length: size }, () => new PoolWorker(script, opts, fallback));
  }

  get size(): number {
    return this.workers.length;
  }

  /** A live, loaded worker with fewer than `max` chunks queued (the one with the fewest), if any. */
  free(max: number): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const w of this.workers) if (w.alive && w.ready && w.queue.length < max && (best === undefined || w.queue.length < best.queue.length)) best = w;
    return best;
  }

  /** Whether any worker is still alive. */
  get alive(): boolean {
    return this.workers.some((w) => w.alive);
  }

  /** Whether a live worker is still loading. */
  get loading(): boolean {
    return this.workers.some((w) => w.alive && !w.ready);
  }

  /** Settles when one of the workers still loading has loaded or failed. */
  async loaded(): Promise<void> {
    const loading = this.workers.filter((w) => w.alive && !w.ready);
    if (loading.length > 0) await Promise.race(loading.map((w) => w.settled));
  }

  /** Sends the chunk to the live worker with the fewest chunks queued. */
  run(chunk: ByteChunk): Promise<ChunkResult> {
    let best: PoolWorker | undefined;
    for (const w of this.workers) if (w.alive && (best === undefined || w.queue.length < best.queue.length)) best = w;
    return (best ?? (this.workers[0] as PoolWorker)).run(chunk);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
