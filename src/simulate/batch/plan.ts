/**
 * When a batch starts its worker threads. A worker costs a fixed warm-up —
 * loading its modules, the catalog files it reads, and compiling the hot path
 * (V8 optimizes per thread: each one pays this again) — of roughly half a
 * second of CPU, spent on a core the batch could otherwise leave to the reading
 * thread's own compiler and collector. A worker therefore pays off only when
 * the input left to decide outweighs that warm-up. The reading thread measures
 * its own cost per byte on the chunks it decides (CPU time, which a busy
 * machine disturbs far less than wall time) and starts the workers once
 * the rest of a file of known size would take it longer than WORKER_PAYS_MS
 * alone, judged after THREAD_AFTER lines (the first lines of a thread run
 * before V8 has optimized them and cost up to ten times a warm line); for
 * input of unknown size (standard input) it starts them after THREAD_AFTER
 * lines. Pure: it only keeps the figures it is given.
 */

/** The lines decided in this thread before workers may start. */
export const THREAD_AFTER = 4096;
/** A file at least this large starts its workers before its first line: its rest outweighs any warm-up. */
export const EARLY_POOL_BYTES = 64 * 1024 * 1024;
/** A worker is started when the rest of the input would take this thread longer than this alone (ms). */
export const WORKER_PAYS_MS = 800;

/** How a batch starts its workers: when they pay off (default), or at once (tests, and callers that know better). */
export type WorkerStart = 'auto' | 'always';

export class WorkerPlan {
  /** The cost per byte of the last chunk this thread decided (ms), and of the one before. */
  private last = Number.POSITIVE_INFINITY;
  private before = Number.POSITIVE_INFINITY;

  constructor(
    private readonly workers: number,
    private readonly totalBytes: number | undefined,
    private readonly start: WorkerStart = 'auto',
  ) {}

  /** Whether to start the workers before the first line. */
  startEarly(): boolean {
    if (this.workers === 0) return false;
    return this.start === 'always' || (this.totalBytes ?? 0) >= EARLY_POOL_BYTES;
  }

  /** Records this thread deciding a chunk of `bytes` with `ms` of CPU time. */
  decided(bytes: number, ms: number): void {
    if (bytes === 0) return;
    this.before = this.last;
    this.last = ms / bytes;
  }

  /** Whether to start the workers now, `consumed` bytes and `lines` lines into the input. */
  startNow(consumed: number, lines: number): boolean {
    if (this.workers === 0) return false;
    if (this.startEarly()) return true;
    if (lines <= THREAD_AFTER) return false;
    if (this.totalBytes === undefined) return true;
    // The lesser of the last two chunks' costs: one chunk slowed by a collection or the machine does not start workers.
    const msPerByte = Math.min(this.last, this.before);
    return Number.isFinite(msPerByte) && (this.totalBytes - consumed) * msPerByte >= WORKER_PAYS_MS;
  }
}
