import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy } from '../policy/parse.js';
import { compilePolicy } from './compile.js';

// Names with letters whose case mapping is unusual: U+0130 lower-cases to two code units, U+212A (Kelvin) to "k".
const namePart = fc.stringMatching(/^[A-Za-z*?]{1,6}$/);
const odd = fc.constantFrom('\u0130', '\u212A', 'K', 'k', 'i', 'e\u0301');
const pattern = fc
  .tuple(fc.constantFrom('s3', 'S3', 'iam', 'sagemaker'), fc.array(fc.oneof(namePart, odd), { minLength: 1, maxLength: 3 }))
  .map(([s, parts]) => `${s}:${parts.join('')}`);

test('a statement answers its first action question from its lists exactly as its compiled matcher does (property)', () => {
  fc.assert(
    fc.property(fc.array(pattern, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.nat(), fc.boolean(), (patterns, negated, pick, upper) => {
      const element = negated ? 'NotAction' : 'Action';
      const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', [element]: patterns, Resource: '*' }] });
      const policy = parsePolicy(text, { type: 'identity' }).policy;
      assert.ok(policy);
      // A request action: one of the patterns with its wildcards filled in, in another case.
      const base = (patterns[pick % patterns.length] ?? '').replace(/[*?]/g, 'x');
      const action = (upper ? base.toUpperCase() : base).toLowerCase();
      const statement = compilePolicy(policy, `P.${pick}`).statements[0];
      assert.ok(statement);
      const first = statement.matchesAction(action);
      assert.equal(statement.matchesAction(action), first, `${text} ${action}`);
      assert.equal(statement.matchesAction(action), first);
    }),
    { numRuns: 500 },
  );
});

test('a policy keeps its compilation: the same object for the same id, another for another id', () => {
  const policy = parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}', { type: 'identity' }).policy;
  assert.ok(policy);
  const a = compilePolicy(policy, 'PolicyInputList.1');
  assert.equal(compilePolicy(policy, 'PolicyInputList.1'), a);
  assert.notEqual(compilePolicy(policy, 'PolicyInputList.2'), a);
  assert.deepEqual(Object.keys(policy), Object.keys({ ...policy }), 'the slot is not enumerable');
  assert.equal(JSON.stringify(policy).includes('compiled'), false);
});
