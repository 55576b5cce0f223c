/**
 * Streaming reader for CloudTrail event records in the shapes CloudTrail
 * delivers them: log files `{"Records": [ … ]}` (one object per file, often
 * on one line), concatenated log files, JSON Lines with one event per line, or
 * a bare array of events. Input arrives in chunks and only one record is held
 * in memory at a time, so multi-gigabyte inputs stream.
 *
 * Format: AWS CloudTrail User Guide, "CloudTrail record contents" and
 * "CloudTrail log file examples" (the Records array).
 */

export interface RecordProblem {
  /** 1-based line where the problem starts. */
  readonly line: number;
  readonly message: string;
}

export interface RecordSink {
  record(value: Record<string, unknown>, line: number): void;
  problem(p: RecordProblem): void;
}

/** object: a value that may be a record or a log file; records: inside its Records array; tail: after it. */
type Mode = 'idle' | 'object' | 'records' | 'tail' | 'array';

/** Incremental splitter: call `push(chunk)` repeatedly, then `end()`. */
export class RecordSplitter {
  private mode: Mode = 'idle';
  private depth = 0;
  private inString = false;
  private escape = false;
  private line = 1;
  /** Text captured so far for the value in progress (before the current chunk). */
  private captured = '';
  private capturing = false;
  private captureLine = 1;
  /** The element depth at which records sit in the current mode. */
  private recordDepth = 0;
  /** Depth-1 key tracking, to spot `"Records": [`. */
  private keyText = '';
  private readingKey = false;
  private expectKey = false;
  private lastKey = '';
  private afterColon = false;
  private skippingGarbage = false;

  constructor(private readonly sink: RecordSink) {}

  push(chunk: string): void {
    let capStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i] as string;
      if (ch === '\n') {
        this.line++;
        this.skippingGarbage = false;
      }
      if (this.skippingGarbage) continue;
      if (this.inString) {
        if (this.readingKey && !(ch === '"' && !this.escape)) this.keyText += ch;
        if (this.escape) this.escape = false;
        else if (ch === '\\') this.escape = true;
        else if (ch === '"') {
          this.inString = false;
          if (this.readingKey) {
            this.readingKey = false;
            this.lastKey = this.keyText;
          }
        }
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
      if (this.depth === 0) {
        if (ch === '{') {
          this.mode = 'object';
          this.startCapture(i);
          capStart = i;
          this.expectKey = true;
          this.depth = 1;
        } else if (ch === '[') {
          this.mode = 'array';
          this.recordDepth = 1;
          this.depth = 1;
        } else {
          this.sink.problem({ line: this.line, message: `unexpected ${JSON.stringify(ch)} outside a JSON value; skipping the rest of the line` });
          this.skippingGarbage = true;
        }
        continue;
      }
      if (ch === '"') {
        this.inString = true;
        if (this.depth === 1 && this.mode === 'object' && this.expectKey) {
          this.readingKey = true;
          this.keyText = '';
          this.expectKey = false;
        }
        this.afterColon = false;
        continue;
      }
      if (this.depth === 1 && this.mode === 'object') {
        if (ch === ':') {
          this.afterColon = true;
          continue;
        }
        if (ch === ',') {
          this.expectKey = true;
          this.afterColon = false;
          continue;
        }
        if (ch === '[' && this.afterColon && this.lastKey === 'Records') {
          // A CloudTrail log file: drop the wrapper, records are the array elements.
          this.mode = 'records';
          this.capturing = false;
          this.captured = '';
          this.recordDepth = 2;
          this.depth = 2;
          this.afterColon = false;
          continue;
        }
      }
      this.afterColon = false;
      if (ch === '{' || ch === '[') {
        if (ch === '{' && this.depth === this.recordDepth && (this.mode === 'records' || this.mode === 'array')) {
          this.startCapture(i);
          capStart = i;
        }
        this.depth++;
        continue;
      }
      if (ch === '}' || ch === ']') {
        this.depth--;
        if ((this.mode === 'records' || this.mode === 'array') && this.depth === this.recordDepth && this.capturing) {
          this.emit(this.captured + chunk.slice(capStart, i + 1));
        } else if (this.mode === 'records' && this.depth === 1) {
          this.mode = 'tail';
        } else if (this.depth === 0) {
          if (this.mode === 'object' && this.capturing) this.emit(this.captured + chunk.slice(capStart, i + 1));
          this.mode = 'idle';
          this.recordDepth = 0;
          this.expectKey = false;
          this.lastKey = '';
        }
      }
    }
    if (this.capturing) this.captured += chunk.slice(capStart);
  }

  end(): void {
    if (this.depth !== 0 || this.inString) {
      this.sink.problem({ line: this.line, message: 'input ended inside a JSON value (truncated file?)' });
    }
  }

  private startCapture(_i: number): void {
    this.capturing = true;
    this.captured = '';
    this.captureLine = this.line;
  }

  private emit(text: string): void {
    this.capturing = false;
    this.captured = '';
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.sink.problem({ line: this.captureLine, message: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.sink.problem({ line: this.captureLine, message: 'a record must be a JSON object' });
      return;
    }
    this.sink.record(value as Record<string, unknown>, this.captureLine);
  }
}

/** Reads every record of a text (convenience for tests and small inputs). */
export function splitRecords(text: string): { records: Record<string, unknown>[]; problems: RecordProblem[] } {
  const records: Record<string, unknown>[] = [];
  const problems: RecordProblem[] = [];
  const s = new RecordSplitter({ record: (r) => records.push(r), problem: (p) => problems.push(p) });
  s.push(text);
  s.end();
  return { records, problems };
}
