/**
 * The decision log: one JSON object per line per authorization decision
 * (request id, time, principal, action, resource, decision, deciding
 * statements, latency). When the file reaches `maxBytes` it is renamed to
 * FILE.1 (FILE.1 to FILE.2, … up to `keep`) and a new file is started.
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';

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

export class DecisionLog {
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

  write(record: DecisionRecord): void {
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    if (this.#size > 0 && this.#size + line.length > this.#maxBytes) this.rotate();
    writeSync(this.#fd, line);
    this.#size += line.length;
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

  close(): void {
    closeSync(this.#fd);
  }
}
