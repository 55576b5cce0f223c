import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree } from 'jsonc-parser';
import { findDeviations, lineStarts, parseJson, stringLiteralMapper, textMapper } from './json-source.js';

test('lineStarts and textMapper handle \\n, \\r\\n and \\r', () => {
  const text = 'a\nb\r\nc\rd';
  assert.deepEqual(lineStarts(text), [0, 2, 5, 7]);
  const map = textMapper(text);
  assert.deepEqual(map(0), { line: 1, column: 1, offset: 0 });
  assert.deepEqual(map(5), { line: 3, column: 1, offset: 5 });
  assert.deepEqual(map(7), { line: 4, column: 1, offset: 7 });
  assert.deepEqual(map(99), { line: 4, column: 2, offset: 8 }, 'clamped to the end');
});

test('findDeviations finds comments and trailing commas but not commas inside strings', () => {
  const text = '{"a": [1, 2,], // x\n "b": "c,]", /* y */ "d": {"e": 1,},}';
  const found = findDeviations(text).map((d) => [d.kind, text.slice(d.offset, d.offset + d.length)]);
  assert.deepEqual(found, [
    ['trailing-comma', ','],
    ['comment', '// x'],
    ['comment', '/* y */'],
    ['trailing-comma', ','],
    ['trailing-comma', ','],
  ]);
  assert.deepEqual(findDeviations('{"a": [1, 2]}'), []);
});

test('findDeviations respects a sub-range and reports absolute offsets', () => {
  const text = '/* outside */ {"a": 1, /* in */ "b": 2}';
  const start = text.indexOf('{');
  const found = findDeviations(text, start, text.length);
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0]!.offset, found[0]!.offset + found[0]!.length), '/* in */');
});

test('parseJson tolerates comments/trailing commas and reports real syntax errors', () => {
  assert.deepEqual(parseJson('{"a": 1, /* c */ "b": [2,],}').errors, []);
  const bad = parseJson("{'a': 1}");
  assert.ok(bad.errors.length > 0);
  assert.equal(bad.errors[0]?.offset, 1);
  assert.equal(parseJson('\ufeff{"a": 1}').errors.length, 0);
});

test('stringLiteralMapper maps decoded offsets through escapes', () => {
  const outer = '{"p": "a\\"b\\u0041c"}';
  const node = parseTree(outer)?.children?.[0]?.children?.[1];
  assert.ok(node);
  assert.equal(node.value, 'a"bAc');
  const map = stringLiteralMapper(node, outer, textMapper(outer));
  const raw = node.offset + 1;
  assert.equal(map(0).offset, raw);
  assert.equal(map(1).offset, raw + 1, 'the escaped quote starts at the backslash');
  assert.equal(map(2).offset, raw + 3);
  assert.equal(map(3).offset, raw + 4, '\\u0041 starts at the backslash');
  assert.equal(map(4).offset, raw + 10);
  assert.equal(map(5).offset, raw + 11, 'end of the value');
});
