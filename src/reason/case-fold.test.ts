/**
 * The reasoner's …IgnoreCase languages are the evaluator's folding, over all
 * of Unicode: every character class is closed under `foldCase` (checked on
 * every code point), the automaton for a value accepts exactly the strings
 * the evaluator's compiled StringEqualsIgnoreCase accepts (or the question is
 * not decided), and the three checks find the non-ASCII look-alikes the
 * evaluator allows (KELVIN SIGN for `k`, ANGSTROM SIGN for `å`, ǅ for ǆ …)
 * and never answer PASS for U+0130 / "i\u0307".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldCase, foldTable } from '../primitives/case-fold.js';
import { clause } from '../eval/conditions/clause-builder.js';
import { compileClause } from '../eval/conditions/index.js';
import { Undecided, accepts, ignoreCaseSeq } from './automaton.js';
import { checkAccessNotGranted, checkNoNewAccess } from './checks.js';
import { checkNoPublicAccess } from './public.js';
import { NO_CONTEXT_REQUEST } from './keys.js';
import { simulateDecision } from './test-support.test.js';

test('every code point: its fold class contains it, and every member of a class folds to the class', () => {
  const t = foldTable();
  let classes = 0;
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCodePoint(c);
    if (t.irregular.has(ch)) continue;
    const f = foldCase(ch);
    const cls = t.preimages(f);
    if (!cls.includes(ch)) assert.fail(`U+${c.toString(16)} is missing from the class of ${JSON.stringify(f)}`);
    if (f !== ch) {
      classes++;
      for (const d of cls) assert.equal(foldCase(d), f, `U+${d.codePointAt(0)!.toString(16)} in the class of ${JSON.stringify(f)}`);
    }
  }
  assert.ok(classes > 1000, `${classes} characters change when folded`);
  assert.ok(t.preimages('k').includes('\u212a'), 'KELVIN SIGN folds to k');
  assert.ok(t.irregular.has('\u0130') && t.irregular.has('\u03a3'), 'U+0130 and Σ are irregular');
});

// Characters with interesting case mappings, and plain ones.
const ALPHABET = [
  'k',
  'K',
  '\u212a',
  'i',
  'I',
  '\u0130',
  '\u0131',
  '\u0307',
  's',
  'S',
  '\u017f',
  'å',
  'Å',
  '\u212b',
  'ǆ',
  'ǅ',
  'Ǆ',
  'σ',
  'ς',
  'Σ',
  'ß',
  'ẞ',
  'x',
  '1',
  '\u{10400}',
  '\u{10428}',
];
const str = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 4 }).map((a) => a.join(''));

test("ignoreCaseSeq accepts exactly what the evaluator's StringEqualsIgnoreCase accepts, or is undecided", () => {
  let decided = 0;
  fc.assert(
    fc.property(str, fc.array(str, { minLength: 1, maxLength: 20 }), (value, requests) => {
      let seq: ReturnType<typeof ignoreCaseSeq>;
      try {
        seq = ignoreCaseSeq(value);
      } catch (e) {
        assert.ok(e instanceof Undecided);
        return;
      }
      decided++;
      const compiled = compileClause(clause('StringEqualsIgnoreCase', 'aws:PrincipalTag/team', value), false);
      for (const r of [...requests, value, value.toUpperCase(), foldCase(value)]) {
        const evaluator = compiled.evaluate({ key: 'aws:PrincipalTag/team', type: 'string', values: [r], multivalued: false }, NO_CONTEXT_REQUEST);
        assert.equal(accepts(seq, r), evaluator, `value ${JSON.stringify(value)}, request ${JSON.stringify(r)}`);
      }
    }),
    { numRuns: 400 },
  );
  assert.ok(decided > 100);
});

const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (cond: unknown) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: cond });

test('check-no-new-access: StringEqualsIgnoreCase "k" grants more than StringEquals ["k","K"] (KELVIN SIGN), and every look-alike class', async () => {
  for (const [lower, upper] of [
    ['k', 'K'],
    ['å', 'Å'],
    ['ǆ', 'Ǆ'],
    ['ω', 'Ω'],
  ] as const) {
    const existing = policy([allow({ StringEquals: { 'aws:PrincipalTag/team': [lower, upper] } })]);
    const next = policy([allow({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': lower } })]);
    const r = await checkNoNewAccess({ existingPolicyDocument: existing, newPolicyDocument: next, policyType: 'IDENTITY_POLICY' });
    assert.equal(r.result, 'FAIL', `${lower}: ${JSON.stringify(r)}`);
    const v = r.counterexample!.ContextEntries[0]!.ContextKeyValues[0]!;
    assert.ok(v !== lower && v !== upper && foldCase(v) === lower, `witness ${JSON.stringify(v)}`);
    assert.equal(simulateDecision(r.counterexample!, next, false), 'allowed');
    assert.notEqual(simulateDecision(r.counterexample!, existing, false), 'allowed');
  }
});

test('U+0130 and "i\\u0307" are never PASS', async () => {
  for (const value of ['\u0130', 'i\u0307', 'I\u0307']) {
    const existing = policy([allow({ StringEquals: { 'aws:PrincipalTag/team': ['i\u0307', 'I\u0307'] } })]);
    const next = policy([allow({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': value } })]);
    const r = await checkNoNewAccess({ existingPolicyDocument: existing, newPolicyDocument: next, policyType: 'IDENTITY_POLICY' });
    assert.notEqual(r.result, 'PASS', JSON.stringify(r));
    if (r.result === 'FAIL') assert.equal(simulateDecision(r.counterexample!, next, false), 'allowed');
  }
});

test('check-access-not-granted and check-no-public-access see the KELVIN SIGN too', async () => {
  const doc = policy([
    allow({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'k' } }),
    { Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': ['k', 'K'] } } },
  ]);
  const r = await checkAccessNotGranted({ policyDocument: doc, access: [{ actions: ['s3:GetObject'] }], policyType: 'IDENTITY_POLICY' });
  assert.equal(r.result, 'FAIL', JSON.stringify(r));
  assert.deepEqual(r.counterexample!.ContextEntries[0]!.ContextKeyValues, ['\u212a']);
  const bucket = policy([
    { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEqualsIgnoreCase: { 'aws:UserAgent': 'k' } } },
    { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:UserAgent': ['k', 'K'] } } },
  ]);
  const p = await checkNoPublicAccess({ policyDocument: bucket, resourceType: 'AWS::S3::Bucket' });
  assert.equal(p.result, 'FAIL', JSON.stringify(p));
  assert.equal(simulateDecision(p.counterexample!, bucket, true), 'allowed');
});
