/**
 * Issue 11, evaluator disagreements with AWS, each through simulate's request shape:
 * - NotPrincipal Deny and permissions boundaries (access_policies_boundaries.md and
 *   reference_policies_elements_notprincipal.md: a Deny with NotPrincipal always denies an IAM
 *   principal that has a permissions boundary, whatever NotPrincipal lists);
 * - sts:GetCallerIdentity needs no permission and works under an explicit Deny (STS API
 *   reference, GetCallerIdentity).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSimulateInputValue } from './input.js';
import { runSimulation } from './run.js';

const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ROLE = 'arn:aws:iam::111122223333:role/Analyst';
const BUCKET = 'arn:aws:s3:::reports/q1.csv';

function decide(input: Record<string, unknown>): string {
  const res = readSimulateInputValue(input);
  assert.ok(res.request, JSON.stringify(res.diagnostics));
  return runSimulation(res.request).EvaluationResults[0]!.EvalDecision;
}

test('issue 11: a NotPrincipal Deny always applies to a caller with a permissions boundary', () => {
  const base = {
    PolicyInputList: [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })],
    ActionNames: ['s3:GetObject'],
    ResourceArns: [BUCKET],
    CallerArn: ROLE,
    ResourcePolicy: doc(
      { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:GetObject', Resource: BUCKET },
      { Effect: 'Deny', NotPrincipal: { AWS: ROLE }, Action: 's3:GetObject', Resource: BUCKET },
    ),
  };
  // Without a boundary the caller is listed in NotPrincipal, so the Deny does not apply.
  assert.equal(decide(base), 'allowed');
  const bounded = { ...base, PermissionsBoundaryPolicyInputList: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] };
  assert.equal(decide(bounded), 'explicitDeny');
});

test('issue 11: sts:GetCallerIdentity is allowed without permission and under an explicit Deny', () => {
  assert.equal(decide({ PolicyInputList: [], ActionNames: ['sts:GetCallerIdentity'], CallerArn: ROLE }), 'allowed');
  assert.equal(
    decide({
      PolicyInputList: [doc({ Effect: 'Deny', Action: '*', Resource: '*' })],
      ServiceControlPolicyInputList: [[doc({ Effect: 'Deny', Action: 'sts:*', Resource: '*' })]],
      ActionNames: ['sts:GetCallerIdentity'],
      CallerArn: ROLE,
    }),
    'allowed',
  );
  // Other STS actions still need permission.
  assert.equal(decide({ PolicyInputList: [], ActionNames: ['sts:GetSessionToken'], CallerArn: ROLE }), 'implicitDeny');
});
