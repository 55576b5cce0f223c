/**
 * The decision log: one JSON object per line per authorization decision
 * (request id, time, principal, action, resource, decision, deciding
 * statements, latency).
 *
 * Requests never wait for the disk: `write` appends the line to a buffer and
 * the buffer goes to its sink once per event-loop turn, one batch at a time,
 * in order. The file sink rotates by size: when the file would exceed
 * `maxBytes` it is renamed to FILE.1 (FILE.1 to FILE.2, … up to `keep`) and a
 * new file is started. `close()` (graceful shutdown) resolves when every line
 * written before it is in the file. With `serve --workers N` the workers'
 * sink sends batches to the primary process, which owns the one file (see
 * cluster.ts), so lines of different workers never interleave mid-line.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, write } from 'node:fs';

export interface DecisionRecord {
  readonly requestId: string;
  readonly time: string;
  readonly api: string;
  readonly principal?: string;
  readonly action: string;
  readonly resource: string;
  readonly decision: string;
  readonly decidedBy: readonly string[];
  readonly latencyMs: number;
}

export interface DecisionLogOptions {
  readonly path: string;
  /** Rotate when the file would exceed this many bytes (default 10 MiB). */
  readonly maxBytes?: number;
  /** Rotated files kept (default 5). */
  readonly keep?: number;
}

/** Where batches of lines (each ending in a newline) go. Batches are handed over one at a time. */
export interface LogSink {
  append(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

function writeAll(fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number): void => {
      write(fd, buf, off, buf.length - off, null, (err, n) => {
        if (err) reject(err);
        else if (off + n < buf.length) step(off + n);
        else resolve();
      });
    };
    step(0);
  });
}

/** A JSON Lines file rotated by size; appends are asynchronous and must not overlap (DecisionLog ensures it). */
export class FileSink implements LogSink {
  readonly path: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #fd: number;
  #size: number;

  constructor(opts: DecisionLogOptions) {
    this.path = opts.path;
    this.#maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
    this.#keep = Math.max(1, opts.keep ?? 5);
    this.#fd = openSync(this.path, 'a');
    this.#size = statSync(this.path).size;
  }

  async append(lines: readonly string[]): Promise<void> {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    for (const line of lines) {
      const b = Buffer.from(line);
      if (this.#size + chunkBytes > 0 && this.#size + chunkBytes + b.length > this.#maxBytes) {
        await this.#writeChunk(chunk, chunkBytes);
        chunk = [];
        chunkBytes = 0;
        this.rotate();
      }
      chunk.push(b);
      chunkBytes += b.length;
    }
    await this.#writeChunk(chunk, chunkBytes);
  }

  async #writeChunk(chunk: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return;
    await writeAll(this.#fd, chunk.length === 1 ? chunk[0]! : Buffer.concat(chunk, bytes));
    this.#size += bytes;
  }

  private rotate(): void {
    closeSync(this.#fd);
    const last = `${this.path}.${this.#keep}`;
    if (existsSync(last)) rmSync(last);
    for (let i = this.#keep - 1; i >= 1; i--) {
      const from = `${this.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    this.#fd = openSync(this.path, 'a');
    this.#size = 0;
  }

  async close(): Promise<void> {
    closeSync(this.#fd);
  }
}

export class DecisionLog {
  readonly #sink: LogSink;
  readonly #onError: (err: unknown) => void;
  #buffer: string[] = [];
  #scheduled = false;
  /** The batch being handed to the sink (batches go one after another). */
  #inFlight: Promise<void> = Promise.resolve();
  #closed: Promise<void> | undefined;

  constructor(sink: LogSink | DecisionLogOptions, onError: (err: unknown) => void = reportToStderr) {
    this.#sink = 'append' in sink ? sink : new FileSink(sink);
    this.#onError = onError;
  }

  write(record: DecisionRecord): void {
    if (this.#closed !== undefined) throw new Error('the decision log is closed');
    this.#buffer.push(`${JSON.stringify(record)}\n`);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Resolves when every line written so far has reached the sink. */
  flush(): Promise<void> {
    this.#scheduled = false;
    if (this.#buffer.length > 0) {
      const batch = this.#buffer;
      this.#buffer = [];
      this.#inFlight = this.#inFlight.then(() => this.#sink.append(batch)).catch(this.#onError);
    }
    return this.#inFlight;
  }

  /** Flushes every buffered line, then closes the sink. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.flush().then(() => this.#sink.close());
    return this.#closed;
  }
}

function reportToStderr(err: unknown): void {
  process.stderr.write(`iamsim serve: cannot write the decision log: ${err instanceof Error ? err.message : String(err)}\n`);
}
