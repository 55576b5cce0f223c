/**
 * "Any other account" is never an account a policy names: whatever account a
 * trust, key or bucket policy grants (documentation accounts such as
 * 444455556666 included, and the accounts the reasoner itself would pick
 * first), granting it is not public access; and a resource-policy
 * counterexample's ResourceOwner is the ARN's account when the ARN names one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkNoNewAccess } from './checks.js';
import { checkNoPublicAccess } from './public.js';
import { accountsIn, freshAccount } from './principals.js';
import { parseArn } from '../primitives/arn.js';
import { simulateDecision } from './test-support.test.js';

const DOC_ACCOUNTS = ['444455556666', '111122223333', '123456789012', '999988887777', '555555555555'];
// The first accounts the reasoner would pick for an outsider when nothing is named.
const FIRST_FRESH = [freshAccount(new Set()), freshAccount(new Set([freshAccount(new Set())]))];
const account = fc.oneof(fc.constantFrom(...DOC_ACCOUNTS, ...FIRST_FRESH), fc.stringMatching(/^\d{12}$/));

const principalOf = (acct: string) =>
  fc.constantFrom<unknown>(
    { AWS: acct },
    { AWS: `arn:aws:iam::${acct}:root` },
    { AWS: `arn:aws:iam::${acct}:role/Deployer` },
    { AWS: [`arn:aws:iam::${acct}:user/alice`, acct] },
  );

const TARGETS = [
  { resourceType: 'AWS::IAM::AssumeRolePolicyDocument', action: 'sts:AssumeRole', resource: undefined },
  { resourceType: 'AWS::KMS::Key', action: 'kms:Decrypt', resource: '*' },
  { resourceType: 'AWS::S3::Bucket', action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/*' },
  { resourceType: 'AWS::SQS::Queue', action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:111122223333:q' },
] as const;

test('freshAccount never returns a named account', () => {
  fc.assert(
    fc.property(fc.array(account, { maxLength: 8 }), (named) => {
      const set = new Set(named);
      const a = freshAccount(set);
      assert.match(a, /^\d{12}$/);
      assert.ok(!set.has(a));
    }),
  );
  assert.deepEqual([...accountsIn(['arn:aws:iam::444455556666:root', '1234567890123', 'x111122223333y'])], ['444455556666', '111122223333']);
});

test('granting one named account (any account, documentation accounts too) is never public access', async () => {
  await fc.assert(
    fc.asyncProperty(
      account.chain((a) => fc.tuple(fc.constant(a), principalOf(a), fc.constantFrom(...TARGETS))),
      async ([, principal, t]) => {
        const st = { Effect: 'Allow', Principal: principal, Action: t.action, ...(t.resource !== undefined ? { Resource: t.resource } : {}) };
        const r = await checkNoPublicAccess({ policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [st] }), resourceType: t.resourceType });
        assert.equal(r.result, 'PASS', JSON.stringify(r));
      },
    ),
    { numRuns: 60 },
  );
});

test('a resource-policy counterexample names the ARN account as ResourceOwner and replays', async () => {
  await fc.assert(
    fc.asyncProperty(account, account, async (owner, grantee) => {
      const queue = `arn:aws:sqs:us-east-1:${owner}:q`;
      const doc = (principal: unknown) =>
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sqs:SendMessage', Resource: queue }] });
      const existing = doc({ AWS: `arn:aws:iam::${owner}:role/Reader` });
      const next = doc({ AWS: `arn:aws:iam::${grantee}:role/Writer` });
      const r = await checkNoNewAccess({ existingPolicyDocument: existing, newPolicyDocument: next, policyType: 'RESOURCE_POLICY' });
      assert.equal(r.result, 'FAIL', JSON.stringify(r));
      const cx = r.counterexample!;
      assert.equal(cx.ResourceOwner, parseArn(cx.ResourceArns[0]!)?.account);
      assert.equal(simulateDecision(cx, next, true), 'allowed');
      assert.notEqual(simulateDecision(cx, existing, true), 'allowed');
    }),
    { numRuns: 30 },
  );
});

test('same account: the counterexample replays with the resource policy alone', async () => {
  const doc = (principal: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:111122223333:q' }],
    });
  const existing = doc('arn:aws:iam::111122223333:role/Reader');
  const next = doc('arn:aws:iam::111122223333:role/Writer');
  const r = await checkNoNewAccess({ existingPolicyDocument: existing, newPolicyDocument: next, policyType: 'RESOURCE_POLICY' });
  assert.equal(r.result, 'FAIL', JSON.stringify(r));
  const cx = r.counterexample!;
  assert.equal(cx.ResourceOwner, '111122223333');
  assert.match(cx.CallerArn ?? '', /^arn:aws:sts::111122223333:assumed-role\/Writer\//);
  assert.equal(simulateDecision(cx, next, true), 'allowed');
  assert.notEqual(simulateDecision(cx, existing, true), 'allowed');
});
