/**
 * Issue 11, "Lint is quadratic": REDUNDANT_STATEMENT looks up candidate covering
 * statements in an index instead of comparing every pair. The index never misses a
 * covering statement (property test against the definition: every pair compared),
 * and on a policy of thousands of statements each lookup returns a handful of
 * candidates (access-analyzer-reference-policy-checks, "Suggestion – Redundant statement").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Statement } from '../policy/model.js';
import { parsePolicy } from '../policy/parse.js';
import { coveredBy, shapeKey, ShapeIndex } from './redundancy.js';

function statements(docStatements: unknown[]): Statement[] {
  const { policy } = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: docStatements }), { type: 'identity', name: 'p' });
  assert.ok(policy);
  return [...policy.statements];
}

const actions = fc.constantFrom('s3:GetObject', 's3:getobject', 's3:Get*', 's3:*', '*', 's3:PutObject', 'ec2:*', 's?:GetObject', 's3*');
const resources = fc.constantFrom('*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/k', 'arn:aws:s3:::b/k*', 'arn:aws:s3:::c/k', 'arn:aws:s3:::b/?', 'arn:aws:s3:::*');
const statement = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  Action: fc.array(actions, { minLength: 1, maxLength: 3 }),
  Resource: fc.array(resources, { minLength: 1, maxLength: 3 }),
});

test('issue 11: the redundancy index finds every covering statement the pairwise definition finds', () => {
  fc.assert(
    fc.property(fc.array(statement, { minLength: 1, maxLength: 8 }), (docs) => {
      const list = statements(docs);
      const index = new Map<string, ShapeIndex>();
      for (const st of list) {
        const k = shapeKey(st)!;
        if (!index.has(k)) index.set(k, new ShapeIndex());
        index.get(k)!.add(st);
      }
      for (const a of list) {
        const pairwise = list.filter((b) => b !== a && shapeKey(b) === shapeKey(a) && coveredBy(a, b));
        const found = new Set(
          index
            .get(shapeKey(a)!)!
            .candidates(a)
            .filter((b) => b !== a && coveredBy(a, b)),
        );
        assert.deepEqual(
          pairwise.filter((b) => !found.has(b)),
          [],
        );
      }
    }),
    { numRuns: 300 },
  );
});

test('issue 11: on thousands of statements each lookup returns a handful of candidates (near-linear)', () => {
  const docs = Array.from({ length: 4000 }, (_, i) => ({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::bucket/p${i}/*` }));
  const list = statements(docs);
  const index = new ShapeIndex();
  for (const st of list) index.add(st);
  let total = 0;
  for (const st of list) total += index.candidates(st).length;
  assert.ok(total <= 2 * list.length, `${total} candidates for ${list.length} statements`);
});
