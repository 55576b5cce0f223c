/**
 * JSON Lines input as bytes: the reading thread cuts the stream into chunks of
 * whole lines without decoding them (a newline byte never occurs inside a
 * UTF-8 sequence, so each chunk decodes exactly as it would within the whole
 * stream), and whoever decides a chunk decodes it and splits it into lines.
 * Chunks live in shared memory: a worker reads them without a copy, and the
 * reading thread can still decide a chunk itself if its worker fails.
 */

const NEWLINE = 10;
/** Chunk memories kept for reuse (the chunks in flight are bounded by the pool's size). */
const MAX_FREE = 64;

/** Whole lines of the input: `lines` of them, the first being line `start` (1-based). */
export interface ByteChunk {
  readonly start: number;
  readonly lines: number;
  readonly bytes: Uint8Array;
}

/** The number of newline bytes in `buf`. */
function newlines(buf: Uint8Array): number {
  let count = 0;
  for (let i = buf.indexOf(NEWLINE); i >= 0; i = buf.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/**
 * Collects the stream's buffers and hands out chunks of about `target` bytes
 * that end at a newline (a line longer than `target` makes one chunk).
 */
export class LineChunker {
  private parts: Uint8Array[] = [];
  private size = 0;
  private lines = 0;
  private next = 1;
  /** Memory of chunks already decided, to be filled again: fresh memory costs a page fault per page touched. */
  private readonly free: SharedArrayBuffer[] = [];

  constructor(private readonly target: number) {}

  /** Hands back a chunk whose lines are all decided: its memory holds a later chunk. */
  release(chunk: ByteChunk): void {
    const memory = chunk.bytes.buffer;
    if (memory instanceof SharedArrayBuffer && memory.byteLength === this.capacity() && this.free.length < MAX_FREE) this.free.push(memory);
  }

  /** The size of chunk memory: a chunk is the target size plus the rest of its last line. */
  private capacity(): number {
    return this.target * 2;
  }

  /** Adds a buffer read from the stream; returns the chunks it completes (a large buffer may complete several). */
  push(buf: Uint8Array): ByteChunk[] {
    const done: ByteChunk[] = [];
    let rest = buf;
    for (;;) {
      // The chunk ends at the first newline that brings it to the target size.
      const from = Math.max(0, this.target - this.size - 1);
      const cut = from < rest.length ? rest.indexOf(NEWLINE, from) : -1;
      if (cut < 0) break;
      const head = rest.subarray(0, cut + 1);
      this.add(head, newlines(head));
      done.push(this.take(this.lines));
      rest = rest.subarray(cut + 1);
    }
    this.add(rest, newlines(rest));
    return done;
  }

  /** The rest at the end of the stream (its last line may lack a newline). */
  end(): ByteChunk | undefined {
    if (this.size === 0) return undefined;
    const last = this.parts[this.parts.length - 1] as Uint8Array;
    return this.take(this.lines + (last[last.length - 1] === NEWLINE ? 0 : 1));
  }

  private add(part: Uint8Array, lines: number): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.size += part.length;
    this.lines += lines;
  }

  private take(lines: number): ByteChunk {
    const memory = this.size <= this.capacity() ? (this.free.pop() ?? new SharedArrayBuffer(this.capacity())) : new SharedArrayBuffer(this.size);
    const bytes = new Uint8Array(memory, 0, this.size);
    let at = 0;
    for (const p of this.parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const chunk = { start: this.next, lines, bytes };
    this.next += lines;
    this.parts = [];
    this.size = 0;
    this.lines = 0;
    return chunk;
  }
}

const CR = 13;

/**
 * Calls `each` with every line of the chunk (LF or CRLF; a last line without a
 * newline counts when not empty), decoded as UTF-8 (malformed sequences as
 * U+FFFD, a byte order mark kept: line 1 strips it). Lines are decoded one by
 * one: the same text as decoding the whole chunk, since a newline or carriage
 * return byte is never part of a UTF-8 sequence, without building one string
 * as large as the chunk.
 */
export function eachLine(bytes: Uint8Array, each: (line: string) => void): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
    each(buf.toString('utf8', start, nl > start && buf[nl - 1] === CR ? nl - 1 : nl));
    start = nl + 1;
  }
  if (start < buf.length) each(buf.toString('utf8', start, buf[buf.length - 1] === CR ? buf.length - 1 : buf.length));
}

/** Output lines written as UTF-8 into memory of their own (transferable to another thread). */
export class OutputBytes {
  private buf: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(1024, capacity));
  }

  /** Appends `text` and a newline. */
  line(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const need = this.length + text.length * 3 + 1;
    if (need > this.buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    this.length += this.buf.write(text, this.length, 'utf8');
    this.buf[this.length++] = NEWLINE;
  }

  /** The bytes written (a view of memory this object owns alone). */
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.length);
  }
}
