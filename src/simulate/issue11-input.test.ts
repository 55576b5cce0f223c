/**
 * Issue 11, simulate input fields never ignored silently (IAM API reference,
 * SimulateCustomPolicy: MaxItems, Marker, ResourceHandlingOption; the response's
 * IsTruncated and Marker) and PolicyInputList for callers that have no
 * identity-based policies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSimulateInputValue } from './input.js';
import { runSimulation } from './run.js';
import { main } from '../cli/main.js';
import { runCommand } from '../../test/support/cli.js';

const custom = (argv: readonly string[]): ReturnType<typeof runCommand> => runCommand((a, io) => main(['simulate-custom-policy', ...a], io), argv);

const doc = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ALLOW_ALL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

function errors(input: Record<string, unknown>): string[] {
  const res = readSimulateInputValue(input);
  assert.equal(res.request, undefined, 'the input must be rejected');
  return res.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

test('issue 11: PolicyInputList with a service principal or "*" caller is rejected, not ignored', () => {
  for (const caller of ['events.amazonaws.com', '*']) {
    const msgs = errors({ PolicyInputList: [doc({ Effect: 'Deny', Action: '*', Resource: '*' })], ActionNames: ['sts:AssumeRole'], CallerArn: caller });
    assert.ok(
      msgs.some((m) => /PolicyInputList/.test(m) && /identity-based/.test(m)),
      msgs.join('\n'),
    );
  }
  // An empty list is what the examples give for a service caller: accepted.
  assert.ok(readSimulateInputValue({ PolicyInputList: [], ActionNames: ['sts:AssumeRole'], CallerArn: 'events.amazonaws.com' }).request);
});

test('issue 11: MaxItems and Marker paginate EvaluationResults (AWS default page: 100)', () => {
  const actions = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject', 's3:GetBucketPolicy'];
  const page = (extra: Record<string, unknown>) => {
    const res = readSimulateInputValue({ PolicyInputList: [ALLOW_ALL], ActionNames: actions, ...extra });
    assert.ok(res.request, JSON.stringify(res.diagnostics));
    return runSimulation(res.request);
  };
  const first = page({ MaxItems: 2 });
  assert.deepEqual(
    first.EvaluationResults.map((r) => r.EvalActionName),
    actions.slice(0, 2),
  );
  assert.equal(first.IsTruncated, true);
  assert.equal(typeof first.Marker, 'string');
  const second = page({ MaxItems: 2, Marker: first.Marker });
  assert.deepEqual(
    second.EvaluationResults.map((r) => r.EvalActionName),
    actions.slice(2, 4),
  );
  const last = page({ MaxItems: 2, Marker: second.Marker });
  assert.deepEqual(
    last.EvaluationResults.map((r) => r.EvalActionName),
    actions.slice(4),
  );
  assert.equal(last.IsTruncated, false);
  assert.equal(last.Marker, undefined);
  const all = page({});
  assert.equal(all.EvaluationResults.length, 5);
  assert.equal(all.IsTruncated, false);
  for (const bad of [0, 1001, 1.5, '2'])
    assert.ok(
      errors({ PolicyInputList: [ALLOW_ALL], ActionNames: actions, MaxItems: bad }).some((m) => /MaxItems/.test(m)),
      String(bad),
    );
  assert.ok(errors({ PolicyInputList: [ALLOW_ALL], ActionNames: actions, Marker: 'not-a-marker' }).some((m) => /Marker/.test(m)));
});

test('issue 11: ResourceHandlingOption is checked: a known EC2 scenario and its required resources', () => {
  const ec2 = (type: string, id: string): string => `arn:aws:ec2:us-east-1:111122223333:${type}/${id}`;
  const base = [ec2('instance', 'i-1'), 'arn:aws:ec2:us-east-1::image/ami-1', ec2('security-group', 'sg-1'), ec2('network-interface', 'eni-1')];
  const req = { PolicyInputList: [ALLOW_ALL], ActionNames: ['ec2:RunInstances'] };
  assert.ok(readSimulateInputValue({ ...req, ResourceArns: base, ResourceHandlingOption: 'EC2-VPC-InstanceStore' }).request);
  assert.ok(errors({ ...req, ResourceArns: base, ResourceHandlingOption: 'EC2-VPC-EBS' }).some((m) => /volume/.test(m)));
  assert.ok(errors({ ...req, ResourceArns: base, ResourceHandlingOption: 'EC2-VPC-InstanceStore-Subnet' }).some((m) => /subnet/.test(m)));
  assert.ok(errors({ ...req, ResourceArns: base, ResourceHandlingOption: 'EC2-Other' }).some((m) => /ResourceHandlingOption/.test(m)));
});

test('issue 11: PolicySourceArn in a SimulateCustomPolicy request is an input error naming simulate-principal-policy', () => {
  const msgs = errors({ PolicyInputList: [ALLOW_ALL], ActionNames: ['s3:GetObject'], PolicySourceArn: 'arn:aws:iam::111122223333:role/R' });
  assert.ok(
    msgs.some((m) => /PolicySourceArn/.test(m) && /simulate-principal-policy/.test(m)),
    msgs.join('\n'),
  );
});

test('issue 11: an AWS CLI list argument starting with "[" is JSON, as the AWS CLI reads it', async () => {
  const empty = await custom(['--policy-input-list', '[]', '--action-names', 's3:GetObject']);
  assert.equal(empty.code, 0, empty.err);
  assert.equal(JSON.parse(empty.out).EvaluationResults[0].EvalDecision, 'implicitDeny');
  const listed = await custom(['--policy-input-list', JSON.stringify([ALLOW_ALL]), '--action-names', '["s3:GetObject","s3:PutObject"]']);
  assert.equal(listed.code, 0, listed.err);
  assert.deepEqual(
    JSON.parse(listed.out).EvaluationResults.map((r: { EvalDecision: string }) => r.EvalDecision),
    ['allowed', 'allowed'],
  );
  const bad = await custom(['--policy-input-list', '[1,', '--action-names', 's3:GetObject']);
  assert.equal(bad.code, 2);
});
