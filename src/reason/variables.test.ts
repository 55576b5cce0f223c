/**
 * Policy variables (IAM User Guide, reference_policies_variables.md) are
 * decided by bounding each atom that reads one (reason/link.ts). Never a
 * wrong PASS: policies with variables in Resource / NotResource and in
 * condition values (defaults, the `${*}` `${?}` `${$}` escapes, two keys
 * tied together, inverted operators, Version 2008-10-17 where the text is
 * literal) are compared, and every PASS is attacked with requests whose key
 * values are drawn concretely — values equal to each other, values that are
 * substrings of the resource, values containing `*`, `?`, `/`, `$`, empty
 * values, absent keys — replayed through `iamsim simulate`. Every FAIL replays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkNoNewAccess } from './checks.js';
import { assertAnswerHolds } from './test-support.test.js';

const RESOURCES = [
  'arn:aws:s3:::b/${aws:username}/*',
  'arn:aws:s3:::b/${aws:username}',
  'arn:aws:s3:::b/${aws:username}*',
  "arn:aws:s3:::b/${aws:username, 'g'}/*",
  'arn:aws:s3:::b/x${aws:PrincipalTag/team}*',
  'arn:aws:s3:::b/${aws:username}${aws:PrincipalTag/team}',
  'arn:aws:s3:::b/${aws:username}/${aws:username}',
  'arn:aws:s3:::b/${*}',
  'arn:aws:s3:::b/${?}*',
  'arn:aws:s3:::b/${$}{aws:username}',
  'arn:aws:s3:::b/a?/*',
  'arn:aws:s3:::b/home/*',
  'arn:aws:s3:::b/*',
  'arn:aws:s3:::b/g/*',
];
const VALUES = ['${aws:username}', 'a*', '${aws:PrincipalTag/team}', 'x${aws:username}', "${aws:PrincipalTag/team, 'a'}", 'a', '', '*'];
const OPERATORS = ['StringEquals', 'StringLike', 'StringNotEquals', 'StringNotLike', 'StringEqualsIgnoreCase', 'StringLikeIfExists', 'ForAnyValue:StringLike'];

const condition = fc
  .tuple(
    fc.constantFrom(...OPERATORS),
    fc.constantFrom('aws:PrincipalTag/team', 's3:ExistingObjectTag/team'),
    fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }),
  )
  .map(([op, key, values]) => ({ [op]: { [key]: values } }));

const statement = fc
  .record({
    Effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
    Action: fc.constant('s3:GetObject'),
    res: fc.array(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
    not: fc.boolean(),
    Condition: fc.option(condition, { nil: undefined }),
  })
  .map(({ res, not, ...rest }) => ({ ...rest, [not ? 'NotResource' : 'Resource']: res }));

const policy = fc
  .tuple(fc.array(statement, { minLength: 1, maxLength: 3 }), fc.constantFrom('2012-10-17', '2012-10-17', '2012-10-17', '2008-10-17'))
  .map(([st, version]) => JSON.stringify({ Version: version, Statement: st }));

const STR = fc.constantFrom('a', 'g', 'x', 'ax', 'a/b', '*', '?', '$', 'example', 'A', '');
const OBJECT = ['{u}/k', '{u}', '{u}k', 'x{t}k', '{u}{t}', '{u}/{u}', 'home/k', '*', '?x', '${aws:username}', 'g/k', 'a/x/k', 'ax'];

const request = fc
  .record({
    u: fc.option(STR, { nil: undefined }),
    t: fc.option(STR, { nil: undefined }),
    tag: fc.option(STR, { nil: undefined }),
    sameTag: fc.boolean(),
    object: fc.constantFrom(...OBJECT),
  })
  .filter((r) => r.object !== '')
  .map(({ u, t, tag, sameTag, object }) => {
    const team = sameTag ? u : t;
    const key = object.replace(/\{u\}/g, u ?? 'a').replace(/\{t\}/g, team ?? 'a');
    const entries = [
      ...(u !== undefined ? [{ ContextKeyName: 'aws:username', ContextKeyValues: [u], ContextKeyType: 'string' }] : []),
      ...(team !== undefined ? [{ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: [team], ContextKeyType: 'string' }] : []),
      ...(tag !== undefined ? [{ ContextKeyName: 's3:ExistingObjectTag/team', ContextKeyValues: [sameTag ? (u ?? tag) : tag], ContextKeyType: 'string' }] : []),
    ];
    return { ActionNames: ['s3:GetObject'], ResourceArns: [`arn:aws:s3:::b/${key}`], ContextEntries: entries };
  });

test('policy variables: no PASS contradicted by concrete key values, every FAIL replays', async () => {
  const seen = { PASS: 0, FAIL: 0, UNKNOWN: 0 };
  await fc.assert(
    fc.asyncProperty(policy, policy, fc.array(request, { minLength: 40, maxLength: 40 }), async (a, b, reqs) => {
      const r = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: b, policyType: 'IDENTITY_POLICY' });
      seen[r.result]++;
      assertAnswerHolds(r, a, b, reqs, false);
    }),
    { numRuns: 300 },
  );
  // The property is exercised on both answers (not only on UNKNOWN).
  assert.ok(seen.PASS > 20 && seen.FAIL > 20, JSON.stringify(seen));
});

test('a policy with variables against itself, or against a copy with a statement dropped, is decided', async () => {
  await fc.assert(
    fc.asyncProperty(policy, async (a) => {
      const self = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: a, policyType: 'IDENTITY_POLICY' });
      assert.equal(self.result, 'PASS', JSON.stringify(self.unknownReasons ?? self.counterexample));
      const doc = JSON.parse(a) as { Statement: unknown[] };
      const fewer = JSON.stringify({ ...doc, Statement: doc.Statement.slice(1) });
      if (doc.Statement.length > 1 && !JSON.stringify(doc.Statement[0]).includes('Deny')) {
        const r = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: fewer, policyType: 'IDENTITY_POLICY' });
        assert.notEqual(r.result, 'FAIL', 'dropping an Allow grants nothing new');
      }
    }),
    { numRuns: 200 },
  );
});
