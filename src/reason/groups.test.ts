/**
 * `NotAction` / `Action: "*"` with restricted resources: actions of services
 * no Resource value names share one group (engine.ts), which must not hide
 * access. Every PASS is attacked with requests on the actions and resources
 * of several services, replayed through `iamsim simulate`; every FAIL replays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkNoNewAccess } from './checks.js';
import { simulateDecision } from './test-support.test.js';

const RESOURCES = ['arn:aws:s3:::b/*', 'arn:aws:ec2:*:*:instance/*', 'arn:aws:dynamodb:*:*:table/t', 'arn:aws:sqs:*:*:q', '*', 'arn:aws:s3:::*'];
const statement = fc
  .record({
    Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    not: fc.boolean(),
    actions: fc.constantFrom(['*'], ['iam:*'], ['iam:*', 'sts:*'], ['s3:*'], ['ec2:*', 'sqs:*'], ['dynamodb:GetItem']),
    res: fc.array(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
    notRes: fc.boolean(),
  })
  .map(({ Effect, not, actions, res, notRes }) => ({
    Effect,
    [not ? 'NotAction' : 'Action']: actions,
    [notRes && !res.includes('*') ? 'NotResource' : 'Resource']: res,
  }));
const policy = fc.array(statement, { minLength: 1, maxLength: 3 }).map((st) => JSON.stringify({ Version: '2012-10-17', Statement: st }));

const REQUESTS: [string, string][] = [
  ['s3:GetObject', 'arn:aws:s3:::b/k'],
  ['s3:GetObject', 'arn:aws:s3:::c/k'],
  ['s3:ListAllMyBuckets', '*'],
  ['ec2:TerminateInstances', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1'],
  ['dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/t'],
  ['dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/u'],
  ['sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:q'],
  ['iam:CreateUser', 'arn:aws:iam::123456789012:user/x'],
  ['sts:GetSessionToken', '*'],
  ['lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:123456789012:function:f'],
  ['kms:Decrypt', 'arn:aws:kms:us-east-1:123456789012:key/k'],
];

test('NotAction and Action "*" with restricted resources: no PASS contradicted, every FAIL replays', async () => {
  const seen = { PASS: 0, FAIL: 0, UNKNOWN: 0 };
  await fc.assert(
    fc.asyncProperty(policy, policy, async (a, b) => {
      const r = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: b, policyType: 'IDENTITY_POLICY' });
      seen[r.result]++;
      if (r.result === 'PASS') {
        for (const [action, resource] of REQUESTS) {
          const q = { ActionNames: [action], ResourceArns: [resource], ContextEntries: [] };
          const more = simulateDecision(q, b, false) === 'allowed' && simulateDecision(q, a, false) !== 'allowed';
          assert.ok(!more, `PASS contradicted by ${action} on ${resource}`);
        }
      } else if (r.result === 'FAIL') {
        assert.equal(simulateDecision(r.counterexample!, b, false), 'allowed', JSON.stringify(r.counterexample));
        assert.notEqual(simulateDecision(r.counterexample!, a, false), 'allowed', JSON.stringify(r.counterexample));
      } else assert.ok((r.unknownReasons ?? []).length > 0);
    }),
    { numRuns: 60 },
  );
  assert.ok(seen.PASS > 5 && seen.FAIL > 5, JSON.stringify(seen));
});
