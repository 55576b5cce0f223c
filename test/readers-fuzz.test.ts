/**
 * Fuzz tests (fast-check) of every reader of untrusted text, issue 11 "Done when":
 * the policy parser, simulate's request reader, one JSON Lines batch line and the
 * account import readers. Whatever the bytes, a reader returns diagnostics or a
 * value: it never throws, never overflows the stack, and a batch line always
 * yields exactly one JSON output line. Inputs are small and the run count fixed,
 * so the whole file runs in a few seconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy } from '../src/policy/parse.js';
import { POLICY_TYPES } from '../src/policy/model.js';
import { readSimulateInputText } from '../src/simulate/input.js';
import { processLine } from '../src/simulate/batch/line.js';
import { readSource } from '../src/account/import/index.js';
import { lintPolicy } from '../src/analyze/lint.js';

const RUNS = { numRuns: 150, seed: 11 };

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
  ],
});
const REQUEST = JSON.stringify({
  PolicyInputList: [POLICY],
  ActionNames: ['s3:GetObject'],
  ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' }],
});
const ACCOUNT = JSON.stringify({
  RoleDetailList: [{ RoleName: 'r', Arn: 'arn:aws:iam::123456789012:role/r', Path: '/', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } }],
});

/** Byte-level mutations of a valid document: replace, insert, delete, duplicate a slice. */
function mutated(base: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 6 }), fc.constantFrom('replace', 'insert', 'delete', 'dup'));
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let s = base;
    for (const [at0, len, text, kind] of edits) {
      const at = s.length === 0 ? 0 : at0 % s.length;
      if (kind === 'replace') s = s.slice(0, at) + text + s.slice(at + len);
      else if (kind === 'insert') s = s.slice(0, at) + text + s.slice(at);
      else if (kind === 'delete') s = s.slice(0, at) + s.slice(at + len);
      else s = s.slice(0, at) + s.slice(at, at + len).repeat(3) + s.slice(at);
    }
    return s;
  });
}

/** Structural: deep nesting of arrays and objects around or inside a valid document. */
const deep = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('[', '{"a":'), fc.constantFrom(POLICY, REQUEST, ACCOUNT, '1'))
  .map(([n, open, inner]) => `${open.repeat(n)}${inner}${(open === '[' ? ']' : '}').repeat(n)}`);

const anyText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 6 }),
  mutated(POLICY),
  mutated(REQUEST),
  mutated(ACCOUNT),
  deep,
  // YAML block nesting has no brackets: "- - - … x" is a sequence nested n deep.
  fc.integer({ min: 1, max: 3000 }).map((n) => `${'- '.repeat(n)}x`),
  fc.constantFrom(`\ufeff${POLICY}`, `\ufeff${REQUEST}`, '', '\u0000', '"', '[', '{'),
);

test('fuzz: the policy parser and lint return diagnostics or a policy for any text, never throw', () => {
  fc.assert(
    fc.property(anyText, fc.constantFrom(...POLICY_TYPES), fc.boolean(), (text, type, lenient) => {
      const r = parsePolicy(text, { type, name: 'fuzz.json', lenient });
      assert.ok(r.policy !== undefined || r.diagnostics.some((d) => d.severity === 'error'));
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1 && !d.message.includes('\n'));
      assert.ok(Array.isArray(lintPolicy(text, { type, file: 'fuzz.json', lenient })));
    }),
    RUNS,
  );
});

test('fuzz: the simulate reader returns a request or an input error for any text', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      const r = readSimulateInputText(text, { file: 'fuzz.json' });
      assert.ok(r.request !== undefined || (r.errorCode !== undefined && r.diagnostics.some((d) => d.severity === 'error')));
    }),
    RUNS,
  );
});

test('fuzz: every batch line yields exactly one JSON output line', () => {
  fc.assert(
    fc.property(
      anyText.map((t) => t.replace(/[\r\n]/g, ' ')),
      fc.integer({ min: 1, max: 3 }),
      (line, lineNo) => {
        const r = processLine(line, lineNo, { baseDir: process.cwd(), lenient: false, explain: false });
        assert.ok(!r.out.includes('\n'));
        const parsed = JSON.parse(r.out) as Record<string, unknown>;
        assert.ok(r.error ? 'Error' in parsed : 'EvaluationResults' in parsed);
      },
    ),
    RUNS,
  );
});

test('fuzz: the account import readers return a source or diagnostics for any text (JSON and YAML)', () => {
  fc.assert(
    fc.property(anyText, fc.constantFrom('in.json', 'in.yaml', 'in.txt'), (text, file) => {
      const r = readSource(text, file);
      assert.ok(r.source !== undefined || r.diagnostics.some((d) => d.severity === 'error'));
    }),
    RUNS,
  );
});
