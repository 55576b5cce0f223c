/**
 * Issue 12: JSON Lines input cut into byte chunks (chunks.ts). However
 * the stream delivers its bytes and whatever the chunk size, the lines are
 * exactly those of the whole input decoded at once and split at LF or CRLF,
 * numbered without a gap; output lines are their UTF-8 bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { eachLine, LineChunker, OutputBytes, type ByteChunk } from './chunks.js';

/** The reference: decode the whole input, then split it as the text-based reader did. */
function referenceLines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString('utf8');
  const out: string[] = [];
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    out.push(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
    start = nl + 1;
  }
  const rest = text.slice(start);
  if (rest !== '') out.push(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
  return out;
}

/** Bytes of lines: text with multi-byte characters, CR, empty lines, and bytes that are not UTF-8. */
const inputBytes = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => Buffer.from(s, 'utf8')),
      fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a)),
      fc.constantFrom('\n', '\r\n', '\r', '', '\uFEFF{"a":1}', 'é€😀').map((s) => Buffer.from(s, 'utf8')),
    ),
    { maxLength: 30 },
  )
  .map((parts) => new Uint8Array(Buffer.concat(parts)));

/** Splits `bytes` into pieces at the given cut points (the stream's reads). */
function pieces(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out;
}

function chunksOf(bytes: Uint8Array, cuts: readonly number[], target: number): ByteChunk[] {
  const chunker = new LineChunker(target);
  const chunks: ByteChunk[] = [];
  for (const p of pieces(bytes, cuts)) chunks.push(...chunker.push(p));
  const last = chunker.end();
  if (last !== undefined) chunks.push(last);
  return chunks;
}

test('any chunking of any input gives the lines of the whole input, in order and numbered without a gap', () => {
  fc.assert(
    fc.property(inputBytes, fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 64 }), (bytes, cuts, target) => {
      const chunks = chunksOf(bytes, cuts, target);
      const lines: string[] = [];
      let next = 1;
      for (const c of chunks) {
        assert.equal(c.start, next);
        const mine: string[] = [];
        eachLine(c.bytes, (l) => mine.push(l));
        assert.equal(mine.length, c.lines);
        lines.push(...mine);
        next += c.lines;
      }
      assert.deepEqual(lines, referenceLines(bytes));
    }),
    { numRuns: 500 },
  );
});

test('chunks end at a newline and hold about the target size; a line longer than the target is one chunk', () => {
  const line = 'x'.repeat(100);
  const input = Buffer.from(`${line}\n${line}\n${'y'.repeat(1000)}\n${line}`);
  const chunks = chunksOf(new Uint8Array(input), [7, 300, 900], 150);
  assert.deepEqual(
    chunks.map((c) => c.lines),
    [2, 1, 1],
  );
  for (const c of chunks.slice(0, -1)) assert.equal(c.bytes[c.bytes.length - 1], 10);
  assert.ok(chunks.every((c) => c.bytes.buffer instanceof SharedArrayBuffer));
});

test('output lines are the UTF-8 bytes of the text, each followed by a newline, however much they grow', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 600 }), { maxLength: 20 }), fc.nat({ max: 64 }), (texts, capacity) => {
      const out = new OutputBytes(capacity);
      for (const t of texts) out.line(t);
      assert.deepEqual(Buffer.from(out.bytes()), Buffer.from(texts.map((t) => `${t}\n`).join(''), 'utf8'));
    }),
  );
});

test('a released chunk’s memory holds a later chunk; the lines read from it are the later chunk’s', () => {
  const chunker = new LineChunker(8);
  const [first] = chunker.push(Buffer.from('first line\n'));
  assert.ok(first !== undefined);
  const lines: string[] = [];
  eachLine(first.bytes, (l) => lines.push(l));
  chunker.release(first);
  const [second] = chunker.push(Buffer.from('second line\n'));
  assert.ok(second !== undefined);
  assert.equal(second.bytes.buffer, first.bytes.buffer);
  eachLine(second.bytes, (l) => lines.push(l));
  assert.deepEqual(lines, ['first line', 'second line']);
  assert.equal(second.start, 2);
});
