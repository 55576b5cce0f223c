/**
 * Issue 23: the batch line scanner (line-scan.ts) reads policy strings by their raw text. Whatever the line —
 * escapes written any way, unicode, whitespace, duplicate and reordered keys, non-string list items, truncated or
 * corrupted text — its answer is JSON.parse's value (members in the same order), or undefined so that the line
 * takes the full path; and a batch line decides exactly as it does read whole.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { parseJsonBounded } from '../../diagnostics/input-text.js';
import { PolicySpans, scanLine, stringEnd } from './line-scan.js';
import { lineState, processLine } from './line.js';

const DEPTH = 8;
const CHARS = 1 << 20;

const POLICIES = [
  { Version: '2012-10-17', Statement: [{ Sid: 'A'.repeat(120), Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] },
  { Version: '2012-10-17', Statement: [{ Sid: 'A'.repeat(120), Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/é"\\/*' }] },
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'A'.repeat(120), Effect: 'Allow', Action: ['s3:*', 'iam:PassRole'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    ],
  },
  { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '*' }, Resource: '*' } },
].map((p) => JSON.stringify(p));

/** A JSON string token for `text`, escaped one of several ways: plain, every `/` escaped, letters as \u escapes. */
function token(text: string, style: number): string {
  const plain = JSON.stringify(text);
  if (style === 1) return plain.replaceAll('/', '\\/');
  if (style === 2) return plain.replace(/[AE]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (style === 3) return plain.replaceAll('A', '\\u0041').replaceAll('Allow', 'Allow');
  return plain;
}

const space = fc.constantFrom('', '', ' ', '\t', '\r', ' \n ');
const policyText = fc.oneof(fc.constantFrom(...POLICIES), fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', minLength: 90, maxLength: 140 }));
const policyItem = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(policyText, fc.integer({ min: 0, max: 3 })).map(([t, s]) => token(t, s)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
);
const listValue = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.array(fc.tuple(policyItem, space, space), { maxLength: 4 }), space)
      .map(([items, s]) => `[${s}${items.map(([t, a, b]) => `${a}${t}${b}`).join(',')}]`),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
);
const member = fc.oneof(
  fc.tuple(fc.constantFrom('PolicyInputList', 'PermissionsBoundaryPolicyInputList'), listValue),
  fc.tuple(
    fc.constant('ResourcePolicy'),
    fc.oneof(
      policyItem,
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    ),
  ),
  fc.tuple(
    fc.constantFrom('ActionNames', 'ResourceArns', 'CallerArn', '__proto__', 'Policy\\u0049nputList', 'x'),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  ),
);
const wellFormed = fc
  .tuple(fc.array(fc.tuple(member, space, space, space), { maxLength: 6 }), space, space)
  .map(([ms, a, b]) => `${a}{${ms.map(([[k, v], s1, s2, s3]) => `${s1}"${k}"${s2}:${s3}${v}`).join(',')}}${b}`);
/** Well-formed lines, and the same lines cut short or with a character changed, inserted or removed. */
const line = fc.oneof(
  { weight: 3, arbitrary: wellFormed },
  {
    weight: 2,
    arbitrary: fc
      .tuple(wellFormed, fc.nat(), fc.constantFrom('"', '\\', ',', '}', ']', '[', ':', ' ', 'x', '\u0001', ''), fc.nat({ max: 2 }))
      .map(([l, at, c, del]) => {
        const i = l.length === 0 ? 0 : at % l.length;
        return `${l.slice(0, i)}${c}${l.slice(i + del)}`;
      }),
  },
);

test('the scanner gives JSON.parse’s value, members in order, or leaves the line to the full path', () => {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 25 }), (lines) => {
      // One table for all lines: later lines meet the raw texts of earlier ones.
      const spans = new PolicySpans();
      for (const l of [...lines, ...lines]) {
        const mine = scanLine(l, spans, DEPTH, CHARS);
        const theirs = parseJsonBounded(l, DEPTH, CHARS);
        if (mine === undefined) continue;
        assert.ok('value' in theirs, `scanned a line JSON.parse rejects: ${l}`);
        assert.deepStrictEqual(mine, theirs.value);
        assert.equal(JSON.stringify(mine), JSON.stringify(theirs.value));
      }
    }),
    { numRuns: 400 },
  );
});

test('the scanner takes the usual batch line, and a policy string met again is the same decoded string', () => {
  const spans = new PolicySpans();
  const l = (i: number): string =>
    JSON.stringify({
      ActionNames: ['s3:GetObject'],
      PolicyInputList: [POLICIES[i % 3], POLICIES[(i + 1) % 3]],
      ResourcePolicy: POLICIES[3],
      ResourceArns: [`arn:aws:s3:::b/${i}`],
    });
  const first = scanLine(l(0), spans, DEPTH, CHARS);
  const again = scanLine(l(3), spans, DEPTH, CHARS);
  assert.deepStrictEqual(first, JSON.parse(l(0)));
  assert.deepStrictEqual(again, JSON.parse(l(3)));
  assert.ok(first !== undefined && again !== undefined);
  assert.ok((first.PolicyInputList as string[])[0] === (again.PolicyInputList as string[])[0]);
  // A text written with other escapes is another raw text, decoded on its own, to the same string.
  const other = l(0).replace('s3:GetObject\\"', 's3:GetObject\\u0022');
  assert.deepStrictEqual(scanLine(other, spans, DEPTH, CHARS), JSON.parse(other));
  // Unusual lines go to the full path.
  for (const odd of [
    '{}',
    '[1]',
    '{"PolicyInputList":[1]}',
    `{"PolicyInputList":[],"PolicyInputList":[${JSON.stringify(POLICIES[0])}]}`,
    `{"Policy\\u0049nputList":[${JSON.stringify(POLICIES[0])}]}`,
  ]) {
    assert.equal(scanLine(odd, spans, DEPTH, CHARS), undefined, odd);
  }
  // Bounds: a line over the length bound or nesting deeper than the bound is left to the full path's error.
  assert.equal(scanLine(l(1), spans, DEPTH, 100), undefined);
  assert.equal(scanLine(l(1).replace('"ActionNames":', `"Deep":${'['.repeat(9)}${']'.repeat(9)},"ActionNames":`), spans, DEPTH, CHARS), undefined);
});

test('a string token ends at the first quote no backslash escapes', () => {
  for (const [text, end] of [
    ['"ab"', 3],
    ['"a\\"b"', 5],
    ['"a\\\\"b"', 4],
    ['"a\\\\\\"b"x', 7],
    ['"abc', -1],
  ] as const)
    assert.equal(stringEnd(text, 0), end, text);
});

test('a batch line decides exactly as it does read whole (error lines included)', () => {
  const opts = { baseDir: tmpdir(), lenient: false, explain: false };
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
      const state = lineState();
      lines.forEach((l, i) => {
        assert.equal(processLine(l, i + 2, opts, state).out, processLine(l, i + 2, opts).out, l);
      });
    }),
    { numRuns: 150 },
  );
});
