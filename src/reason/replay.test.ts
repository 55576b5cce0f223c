/**
 * Counterexamples replay through `iamsim simulate` exactly as docs/reason.md
 * says: a group's representative action behaves like every action of the
 * group (the evaluator's actionBehaviour, so sts:GetCallerIdentity never hides
 * sts:GetSessionToken), and role trust policies checked as RESOURCE_POLICY
 * give counterexamples on a role, which simulate reads as a trust policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkAccessNotGranted, checkNoNewAccess, setOf } from './checks.js';
import { Reasoner } from './engine.js';
import { actionBehaviour } from '../eval/evaluate.js';
import { readPolicy } from './input.js';
import { isRoleArn, parseArn } from '../primitives/arn.js';
import { simulateDecision } from './test-support.test.js';

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

test('sts:GetCallerIdentity does not hide a FAIL on sts:GetSessionToken (identity policies)', async () => {
  const existing = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
  const next = doc([{ Effect: 'Allow', Action: ['sts:GetCallerIdentity', 'sts:GetSessionToken'], Resource: '*' }]);
  const r = await checkNoNewAccess({ existingPolicyDocument: existing, newPolicyDocument: next, policyType: 'IDENTITY_POLICY' });
  assert.equal(r.result, 'FAIL', JSON.stringify(r));
  assert.deepEqual(r.counterexample!.ActionNames, ['sts:GetSessionToken']);
  assert.equal(simulateDecision(r.counterexample!, next, false), 'allowed');
  assert.notEqual(simulateDecision(r.counterexample!, existing, false), 'allowed');
  // GetCallerIdentity alone is allowed whatever the policies say: granting it is no new access.
  const only = doc([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }]);
  assert.equal((await checkNoNewAccess({ existingPolicyDocument: existing, newPolicyDocument: only, policyType: 'IDENTITY_POLICY' })).result, 'PASS');
});

test('every action of a group has the same actionBehaviour as its representative', () => {
  const reasoner = new Reasoner();
  for (const [type, statements] of [
    ['identity', [{ Effect: 'Allow', Action: ['sts:*', 'iam:Get*'], Resource: '*' }]],
    ['resource', [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: ['kms:*', 'sts:*'], Resource: '*' }]],
  ] as const) {
    const p = readPolicy(doc([...statements]), type, 'test');
    const resource = type === 'resource' ? p : undefined;
    for (const g of reasoner.groups([setOf(type, p)])) {
      const b = (a: string) => actionBehaviour(a.toLowerCase(), { identity: [], ...(resource ? { resource } : {}) });
      for (const a of g.actions) assert.equal(b(a), b(g.actions[0]!), `${a} vs ${g.actions[0]}`);
    }
  }
});

const trustStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  Principal: fc.constantFrom<unknown>(
    { AWS: 'arn:aws:iam::111122223333:root' },
    { AWS: 'arn:aws:iam::444455556666:role/ci' },
    { Service: 'ec2.amazonaws.com' },
    { Federated: 'cognito-identity.amazonaws.com' },
    '*',
  ),
  Action: fc.constantFrom<unknown>('sts:AssumeRole', 'sts:*', '*', ['sts:AssumeRole', 'sts:TagSession'], 'sts:AssumeRoleWithWebIdentity'),
});

test('trust policies checked as RESOURCE_POLICY: every FAIL is on a role and replays', async () => {
  let fails = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(trustStatement, { minLength: 1, maxLength: 3 }),
      fc.array(trustStatement, { minLength: 1, maxLength: 3 }),
      fc.constantFrom(['sts:AssumeRole'], ['sts:GetCallerIdentity'], ['sts:*'], ['sts:TagSession']),
      async (a, b, actions) => {
        const [pa, pb] = [doc(a), doc(b)];
        const r = await checkNoNewAccess({ existingPolicyDocument: pa, newPolicyDocument: pb, policyType: 'RESOURCE_POLICY' });
        const g = await checkAccessNotGranted({ policyDocument: pb, access: [{ actions }], policyType: 'RESOURCE_POLICY' });
        for (const [res, allows, denies] of [
          [r, pb, pa],
          [g, pb, undefined],
        ] as const) {
          if (res.result !== 'FAIL') continue;
          fails++;
          const cx = res.counterexample!;
          assert.ok(isRoleArn(cx.ResourceArns[0]!), `resource ${cx.ResourceArns[0]}`);
          assert.equal(cx.ResourceOwner, parseArn(cx.ResourceArns[0]!)?.account);
          assert.equal(simulateDecision(cx, allows, true), 'allowed', JSON.stringify(cx));
          if (denies !== undefined) assert.notEqual(simulateDecision(cx, denies, true), 'allowed', JSON.stringify(cx));
        }
      },
    ),
    { numRuns: 60 },
  );
  assert.ok(fails > 10, `${fails} FAILs replayed`);
});

const realisticStatement = fc.record({
  // Allow only: a Deny on the account an aws:PrincipalArn condition names also makes requests that cannot exist.
  Effect: fc.constant('Allow'),
  // (A principal named by ARN next to an aws:PrincipalArn condition naming another one is a request that
  // cannot exist; the search treats keys as independent of the caller, so such pairs are left out here.)
  Principal: fc.constantFrom<unknown>('*', { AWS: '111122223333' }),
  Action: fc.constantFrom('sqs:SendMessage', 'sqs:*'),
  Resource: fc.constantFrom('arn:aws:sqs:eu-west-1:999988887777:q', '*'),
  Condition: fc.option(
    fc.constantFrom<unknown>(
      { StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/app' } },
      { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:*' } },
      { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
      { Null: { 'aws:RequestedRegion': 'false' } },
    ),
    { nil: undefined },
  ),
});

test('witnesses are realistic: aws:RequestedRegion is sent, aws:PrincipalArn matches the caller', async () => {
  let fails = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(realisticStatement, { minLength: 1, maxLength: 3 }), async (statements) => {
      const p = doc(statements);
      const r = await checkAccessNotGranted({ policyDocument: p, access: [{ actions: ['sqs:SendMessage'] }], policyType: 'RESOURCE_POLICY' });
      if (r.result !== 'FAIL') return;
      fails++;
      const cx = r.counterexample!;
      const get = (k: string) => cx.ContextEntries.find((e) => e.ContextKeyName.toLowerCase() === k.toLowerCase())?.ContextKeyValues[0];
      assert.ok(get('aws:RequestedRegion') !== undefined, JSON.stringify(cx));
      const arn = get('aws:PrincipalArn');
      const caller = cx.CallerArn ?? '';
      if (arn !== undefined && caller.startsWith('arn:')) {
        const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller);
        assert.equal(arn, session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : caller, JSON.stringify(cx));
      }
      assert.equal(simulateDecision(cx, p, true), 'allowed');
    }),
    { numRuns: 60 },
  );
  assert.ok(fails > 10);
});
