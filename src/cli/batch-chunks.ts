/**
 * JSON Lines input as bytes: the reading thread cuts the stream into chunks of
 * whole lines without decoding them (a newline byte never occurs inside a
 * UTF-8 sequence, so each chunk decodes exactly as it would within the whole
 * stream), and whoever decides a chunk decodes it and splits it into lines.
 * Chunks live in shared memory: a worker reads them without a copy, and the
 * reading thread can still decide a chunk itself if its worker fails.
 */

const NEWLINE = 10;

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

  constructor(private readonly target: number) {}

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
    const bytes = new Uint8Array(new SharedArrayBuffer(this.size));
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

/** The text of a chunk: UTF-8, malformed sequences as U+FFFD, a byte order mark kept (line 1 strips it). */
export function chunkText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Calls `each` with every line of `text` (LF or CRLF); a last line without a newline counts when not empty. */
export function eachLine(text: string, each: (line: string) => void): void {
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    each(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
    start = nl + 1;
  }
  if (start < text.length) each(text.endsWith('\r') ? text.slice(start, -1) : text.slice(start));
}
