import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkJsonBounds, nestsDeeper, parseJsonBounded } from './input-text.js';

/** JSON-like texts: valid values nested at any depth, sometimes cut short or given a stray comment. */
const nestedText = fc
  .tuple(fc.nat({ max: 80 }), fc.constantFrom('[', '{"a":'), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', 'cut', 'comment', 'string'))
  .map(([depth, open, inner, damage]) => {
    const close = open === '[' ? ']' : '}';
    const text = `${open.repeat(depth)}${JSON.stringify(inner) ?? 'null'}${close.repeat(depth)}`;
    if (damage === 'cut') return text.slice(0, Math.max(1, text.length - 1));
    if (damage === 'comment') return `/* [[[[ */ ${text}`;
    if (damage === 'string') return `["${'['.repeat(depth)}", ${text}]`;
    return text;
  });

test('parseJsonBounded gives the problem checkJsonBounds gives, else the value or the syntax error (property)', () => {
  fc.assert(
    fc.property(nestedText, fc.constantFrom(8, 64), (text, maxDepth) => {
      const expected = checkJsonBounds(text, maxDepth, 1 << 20);
      const read = parseJsonBounded(text, maxDepth, 1 << 20);
      if (expected !== undefined) {
        assert.deepEqual(read, { problem: expected });
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        assert.ok('syntaxError' in read, text);
        return;
      }
      assert.deepEqual(read, { value });
    }),
    { numRuns: 500 },
  );
});

test('parseJsonBounded: size first, then nesting of the parsed value', () => {
  assert.deepEqual(parseJsonBounded('[1, 2]', 64, 3), { problem: checkJsonBounds('[1, 2]', 64, 3) });
  const deep = `${'['.repeat(65)}${']'.repeat(65)}`;
  const read = parseJsonBounded(deep, 64, 1 << 20);
  assert.ok('problem' in read && read.problem.code === 'INPUT_TOO_DEEP' && read.problem.offset === 64);
  assert.deepEqual(parseJsonBounded('"[[["', 1, 100), { value: '[[[' });
});

test('nestsDeeper counts objects and arrays, not scalars', () => {
  assert.equal(nestsDeeper({ a: [1, { b: 'x' }] }, 3), false);
  assert.equal(nestsDeeper({ a: [1, { b: [] }] }, 3), true);
  assert.equal(nestsDeeper('[[[[', 0), false);
});
