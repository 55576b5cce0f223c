/** End-to-end: the three Access Analyzer checks through `main`, on the seeds' example policies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { fakeIo } from '../../test/support/cli.js';
import { simulateDecision } from '../reason/test-support.test.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const policy = (name: string): string => join(root, 'examples/policies', name);

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await main(argv, io.io);
  return { code, out: io.out(), err: io.err() };
}

const dir = mkdtempSync(join(tmpdir(), 'iamsim-reason-'));
const mlspace = readFileSync(policy('mlspace-notebook-policy.json'), 'utf8');
const widened = JSON.parse(mlspace) as { Statement: { Resource: unknown }[] };
widened.Statement[2]!.Resource = 'arn:aws:sagemaker:us-east-1:*:*';
const widenedPath = join(dir, 'mlspace-widened.json');
writeFileSync(widenedPath, JSON.stringify(widened, null, 2));

test('check-no-new-access: PASS exits 0, FAIL exits 1 with a replayable counterexample', async () => {
  const pass = await run([
    'check-no-new-access',
    '--existing-policy-document',
    `file://${policy('mlspace-notebook-policy.json')}`,
    '--new-policy-document',
    `file://${policy('mlspace-notebook-policy.json')}`,
    '--policy-type',
    'IDENTITY_POLICY',
  ]);
  assert.equal(pass.code, 0, pass.err);
  assert.equal((JSON.parse(pass.out) as { result: string }).result, 'PASS');
  const fail = await run([
    'check-no-new-access',
    '--existing-policy-document',
    `file://${policy('mlspace-notebook-policy.json')}`,
    '--new-policy-document',
    `file://${widenedPath}`,
    '--policy-type',
    'IDENTITY_POLICY',
  ]);
  assert.equal(fail.code, 1, fail.err);
  const body = JSON.parse(fail.out) as { result: string; reasons: { statementIndex: number }[]; counterexample: Parameters<typeof simulateDecision>[0] };
  assert.deepEqual(
    body.reasons.map((r) => r.statementIndex),
    [2],
  );
  assert.equal(simulateDecision(body.counterexample, JSON.stringify(widened), false), 'allowed');
  assert.notEqual(simulateDecision(body.counterexample, mlspace, false), 'allowed');
});

test('check-no-new-access --format text explains the counterexample', async () => {
  const r = await run([
    'check-no-new-access',
    '--existing-policy-document',
    `file://${policy('training-job-scoped.json')}`,
    '--new-policy-document',
    `file://${policy('training-job-broad.json')}`,
    '--policy-type',
    'IDENTITY_POLICY',
    '--format',
    'text',
  ]);
  assert.equal(r.code, 1);
  assert.match(r.out, /^FAIL: /);
  assert.match(r.out, /Counterexample \(confirmed by the evaluator\):\n {2}action {4}\S+:\S+\n {2}resource {2}arn:/);
});

test('check-access-not-granted: actions, shorthand, limits', async () => {
  const base = ['check-access-not-granted', '--policy-document', `file://${policy('mlspace-notebook-policy.json')}`, '--policy-type', 'IDENTITY_POLICY'];
  const never = await run([...base, '--access', '[{"actions":["sagemaker:CreateEndpointConfig"]}]']);
  assert.equal(never.code, 0, never.out + never.err);
  const granted = await run([...base, '--access', 'actions=iam:PassRole', '--format', 'text']);
  assert.equal(granted.code, 1);
  assert.match(granted.out, /context {3}iam:PassedToService/);
  const tooMany = await run([...base, '--access', JSON.stringify([{ actions: Array.from({ length: 101 }, () => 's3:GetObject') }])]);
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.err, /101 actions given; the limit is 100/);
  const unknown = await run([...base, '--access', '[{"actions":["s3:GetObjekt"]}]']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /--access\[0\]\.actions: "s3:GetObjekt" is not an action/);
});

test('check-no-public-access: seed key policy and trust policy are not public; Principal * is', async () => {
  const key = await run(['check-no-public-access', '--policy-document', `file://${policy('kms-key-policy-default.json')}`, '--resource-type', 'AWS::KMS::Key']);
  assert.equal(key.code, 0, key.out + key.err);
  const trust = await run([
    'check-no-public-access',
    '--policy-document',
    `file://${policy('notebook-job-trust.json')}`,
    '--resource-type',
    'AWS::IAM::AssumeRolePolicyDocument',
  ]);
  assert.equal(trust.code, 0, trust.out + trust.err);
  const open = await run([
    'check-no-public-access',
    '--policy-document',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}',
    '--resource-type',
    'AWS::SQS::Queue',
  ]);
  assert.equal(open.code, 1);
  const bad = await run(['check-no-public-access', '--policy-document', '{}', '--resource-type', 'AWS::S3::Bukket']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /"AWS::S3::Bukket" is not one of AWS's types/);
});

test('bad input: policy errors name the flag, file, line and column; exit 2, no stack', async () => {
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"\n}');
  const r = await run([
    'check-no-new-access',
    '--existing-policy-document',
    `file://${broken}`,
    '--new-policy-document',
    '{}',
    '--policy-type',
    'IDENTITY_POLICY',
  ]);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`--existing-policy-document: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error `));
  assert.doesNotMatch(r.err, /\n\s+at /);
  const type = await run(['check-no-new-access', '--existing-policy-document', '{}', '--new-policy-document', '{}', '--policy-type', 'SCP']);
  assert.equal(type.code, 2);
  assert.match(type.err, /--policy-type: expected IDENTITY_POLICY or RESOURCE_POLICY/);
  const missing = await run(['check-no-new-access', '--policy-type', 'IDENTITY_POLICY']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--existing-policy-document is required/);
});

test('--access takes several shorthand items; --cli-input-json takes the request in AWS field names', async () => {
  const r = await run([
    'check-access-not-granted',
    '--policy-document',
    `file://${policy('mlspace-notebook-policy.json')}`,
    '--access',
    'actions=sagemaker:CreateEndpointConfig',
    'actions=iam:GetRole',
    '--policy-type',
    'IDENTITY_POLICY',
  ]);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual((JSON.parse(r.out) as { counterexample: { ActionNames: string[] } }).counterexample.ActionNames, ['iam:GetRole']);
  const input = JSON.stringify({
    policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: '*' }] }),
    resourceType: 'AWS::SNS::Topic',
  });
  const pub = await run(['check-no-public-access', '--cli-input-json', input]);
  assert.equal(pub.code, 1, pub.err);
  assert.match((JSON.parse(pub.out) as { counterexample: { CallerArn: string } }).counterexample.CallerArn, /^arn:aws:iam::\d{12}:user\/outsider$/);
});
