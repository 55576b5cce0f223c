/**
 * Issue 11, "A KMS key with no key policy given": KMS denies unless the key policy
 * allows (directly, or by enabling IAM policies through the account), so a decision
 * taken from IAM policies alone says so (AWS KMS Developer Guide, key policies; IAM
 * User Guide, reference_policies_evaluation-logic: resource-based policies).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUniverse } from '../account/query.js';
import { authorize } from './authorize.js';
import { findPolicySource, simulatePrincipal } from '../cli/simulate-principal.js';
import { readSimulateInputValue } from '../simulate/input.js';

const ACCT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCT}:role/Job`;
const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const universe = (withKeyPolicy: boolean) =>
  createUniverse({
    accounts: [
      {
        id: ACCT,
        users: [],
        groups: [],
        managedPolicies: [],
        sources: [],
        roles: [
          {
            arn: ROLE,
            name: 'Job',
            path: '/',
            trustPolicy: doc(),
            tags: [],
            maxSessionDuration: 3600,
            managedPolicies: [],
            inlinePolicies: [{ name: 'kms', document: doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY }) }],
          },
        ],
        resourcePolicies: withKeyPolicy
          ? [
              {
                arn: KEY,
                service: 'kms',
                kind: 'kms-key',
                accountId: ACCT,
                document: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'kms:*', Resource: '*' }),
              },
            ]
          : [],
      },
    ],
  });

test('issue 11: a KMS request on a key without a key policy in the model carries a warning', () => {
  const without = authorize(universe(false), { principal: ROLE, action: 'kms:Decrypt', resource: KEY });
  assert.ok(
    without.warnings.some((w) => /key policy/.test(w) && w.includes(KEY)),
    JSON.stringify(without.warnings),
  );
  const withPolicy = authorize(universe(true), { principal: ROLE, action: 'kms:Decrypt', resource: KEY });
  assert.deepEqual(withPolicy.warnings, []);
  assert.equal(withPolicy.decision.decision, 'allowed');
  // Not a KMS key: no warning.
  assert.deepEqual(authorize(universe(false), { principal: ROLE, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }).warnings, []);
});

test('issue 11: simulate-principal-policy reports the missing key policy in Warnings', () => {
  const read = readSimulateInputValue({ ActionNames: ['kms:Decrypt'], ResourceArns: [KEY] });
  assert.ok(read.request, JSON.stringify(read.diagnostics));
  for (const [withKeyPolicy, expected] of [
    [false, 1],
    [true, 0],
  ] as const) {
    const u = universe(withKeyPolicy);
    const resp = simulatePrincipal(u, findPolicySource(u, ROLE)!, read.request);
    assert.equal(resp.EvaluationResults[0]!.Warnings?.length ?? 0, expected);
  }
});
