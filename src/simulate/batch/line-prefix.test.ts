/**
 * Issue 12: batch lines that begin alike are parsed once for their common
 * beginning (line-prefix.ts). Whatever the lines, the memo's answer is
 * parseJsonBounded's: the same value with its members in the same order, or
 * the same error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseJsonBounded } from '../../diagnostics/input-text.js';
import { LinePrefixMemo, topLevelComma } from './line-prefix.js';

const DEPTH = 8;
const CHARS = 1 << 20;
const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Sid: 'x'.repeat(600) }] });
const head = `{"PolicyInputList":[${JSON.stringify(policy)}],"Note":"a,b}c\\"d",`;

/** Tails after the common beginning: members (some repeating a beginning's name, or __proto__), and broken text. */
const tail = fc.oneof(
  fc
    .array(fc.tuple(fc.constantFrom('ActionNames', 'ResourceArns', 'PolicyInputList', 'Note', '__proto__', '1', 'x', 'x'), fc.jsonValue({ maxDepth: 10 })), {
      maxLength: 4,
    })
    .map((members) => `${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`),
  fc.constantFrom('}', ' }', '"a":1,}', '"a":1} x', '"a":1}  ', '"a":[[[[[[[[[[1]]]]]]]]]]}', '"a":1', '"a":1}}', ''),
  fc.string({ maxLength: 20 }),
);

/** The same value, members in the same order, at every level. */
function same(actual: unknown, expected: unknown): void {
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

test('the memo reads every line exactly as parseJsonBounded does', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), tail), { minLength: 1, maxLength: 30 }), (lines) => {
      const memo = new LinePrefixMemo(DEPTH, CHARS);
      lines.forEach(([alike, rest], i) => {
        const line = alike ? `${head}${rest}` : `{${rest}`;
        const lineNo = i + 2;
        const mine = memo.read(line, lineNo);
        const theirs = parseJsonBounded(line, DEPTH, CHARS);
        if ('value' in theirs) {
          assert.ok('value' in mine, line);
          same(mine.value, theirs.value);
          assert.equal(Object.getPrototypeOf(mine.value), Object.getPrototypeOf(theirs.value));
        } else if ('problem' in theirs) assert.deepEqual(mine, theirs);
        else assert.equal('syntaxError' in mine && mine.syntaxError.message, theirs.syntaxError.message);
      });
    }),
    { numRuns: 300 },
  );
});

test('a remembered beginning is used, and its values are shared frozen', () => {
  const memo = new LinePrefixMemo(DEPTH, CHARS);
  memo.read(`${head}"ActionNames":["s3:ListBucket"]}`, 2); // remembered from here on
  const a = memo.read(`${head}"ActionNames":["s3:GetObject"]}`, 3);
  const b = memo.read(`${head}"ActionNames":["s3:PutObject"]}`, 4);
  assert.ok('value' in a && 'value' in b);
  const pa = (a.value as { PolicyInputList: string[] }).PolicyInputList;
  const pb = (b.value as { PolicyInputList: string[] }).PolicyInputList;
  assert.equal(pb, pa, 'later lines share the remembered members');
  assert.ok(Object.isFrozen(pb));
  same(b.value, JSON.parse(`${head}"ActionNames":["s3:PutObject"]}`));
});

test('a remembered beginning followed by nothing but the end is the syntax error it is', () => {
  const memo = new LinePrefixMemo(DEPTH, CHARS);
  const line = `${head}"a":1}`;
  memo.read(line, 2);
  const beginning = line.slice(0, topLevelComma(line, 512) + 1);
  for (const end of ['}', ' }', '\t}\n']) {
    const r = memo.read(`${beginning}${end}`, 3);
    assert.ok('syntaxError' in r, end);
  }
});

test('line 1 (which may carry a byte order mark) is always parsed whole', () => {
  const memo = new LinePrefixMemo(DEPTH, CHARS);
  memo.read(`${head}"a":1}`, 2);
  const r = memo.read(`${head}"a":1,}`, 1);
  assert.ok('syntaxError' in r);
});

test('topLevelComma finds the commas between top-level members only', () => {
  const text = '{"a":"x,\\",y","b":[1,{"c":2,"d":3}],"e":{"f":4},"g":5}';
  const found: number[] = [];
  for (let i = topLevelComma(text, 0); i >= 0; i = topLevelComma(text, i + 1)) found.push(i);
  assert.deepEqual(
    found.map((i) => JSON.parse(`${text.slice(0, i)}}`)),
    [{ a: 'x,",y' }, { a: 'x,",y', b: [1, { c: 2, d: 3 }] }, { a: 'x,",y', b: [1, { c: 2, d: 3 }], e: { f: 4 } }],
  );
});
