import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineStarts, positionAt, textMapper } from './position.js';

test('lines end at \\n, \\r\\n and a lone \\r; positions are 1-based', () => {
  const text = 'ab\ncd\r\nef\rg';
  assert.deepEqual(lineStarts(text), [0, 3, 7, 10]);
  const at = textMapper(text);
  assert.deepEqual(at(0), { line: 1, column: 1, offset: 0 });
  assert.deepEqual(at(4), { line: 2, column: 2, offset: 4 });
  assert.deepEqual(at(8), { line: 3, column: 2, offset: 8 });
  assert.deepEqual(at(10), { line: 4, column: 1, offset: 10 });
  assert.deepEqual(at(99), { line: 4, column: 2, offset: 11 }, 'clamped to the end');
  assert.deepEqual(at(-5), { line: 1, column: 1, offset: 0 }, 'clamped to the start');
  assert.deepEqual(positionAt('', 0), { line: 1, column: 1, offset: 0 });
});

/** Reference: count line breaks before the offset one character at a time. */
function reference(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset; i++) {
    const ch = text[i];
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

test('property: textMapper agrees with a character-by-character reference', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', ' '), maxLength: 30 }), fc.nat(40), (text, n) => {
      const offset = Math.min(n, text.length);
      const p = textMapper(text)(offset);
      const want = reference(text, offset);
      // An offset between \r and \n belongs to the line the \r\n ends.
      if (text[offset - 1] === '\r' && text[offset] === '\n') return;
      assert.deepEqual({ line: p.line, column: p.column }, want, JSON.stringify({ text, offset }));
      assert.deepEqual(positionAt(text, offset), p);
    }),
    { numRuns: 2000 },
  );
});
