/**
 * Preflight never loosens a correct policy (issue 20 §5): a workflow sends the context keys the service sends
 * (SageMaker's metrics namespace with cloudwatch:PutMetricData), a key the workflow does not send is reported as
 * missing, and no fix drops a condition the real request may satisfy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../test/support/cli.js';
import { preflightCommand } from './preflight.js';

const BUNDLE = fileURLToPath(new URL('../../../examples/accounts/sagemaker-execution-role/bundle.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'iamsim-preflight-ctx-'));

/** The passing bundle with the execution role's PutMetricData moved to its own statement under `condition` (YAML lines). */
function variant(name: string, condition: readonly string[]): string {
  const text = readFileSync(BUNDLE, 'utf8');
  const head = '          TrainingJobScoped:\n            Version: 2012-10-17\n            Statement:\n';
  const at = text.indexOf(head);
  assert.ok(at > 0);
  const body = text.slice(at + head.length).replace('                  - cloudwatch:PutMetricData\n', '');
  const metrics = [
    '              - Sid: Metrics',
    '                Effect: Allow',
    '                Action: cloudwatch:PutMetricData',
    '                Resource: "*"',
    '                Condition:',
    ...condition.map((l) => `                  ${l}`),
    '',
  ].join('\n');
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text.slice(0, at) + head + metrics + body);
  return file;
}

interface Out {
  passed: boolean;
  steps: { name: string; passed: boolean; fix: { statement: Record<string, unknown> }[]; warnings?: string[] }[];
  fixes: { fix: { statement: Record<string, unknown> } }[];
}

async function preflight(file: string, ...set: string[]): Promise<{ code: number; out: Out; text: string }> {
  const json = await runCommand(preflightCommand, ['sagemaker-execution-role', '--account', file, ...set.flatMap((s) => ['--set', s]), '--format', 'json']);
  const text = await runCommand(preflightCommand, ['sagemaker-execution-role', '--account', file, ...set.flatMap((s) => ['--set', s])]);
  return { code: json.code, out: JSON.parse(json.out) as Out, text: text.out };
}

test('PutMetricData allowed only in the SageMaker training namespace: the workflow sends cloudwatch:namespace, so it passes', async () => {
  const file = variant('namespace', ['StringEquals:', '  cloudwatch:namespace: /aws/sagemaker/TrainingJobs']);
  const r = await preflight(file);
  assert.equal(r.code, 0, r.text);
  assert.equal(r.out.steps.find((s) => s.name === 'execution-role-puts-metrics')?.passed, true);
  // Another job type publishes in its own namespace, which this role does not allow: denied, and the fix adds the
  // request's namespace to the condition instead of dropping it.
  const processing = await preflight(file, 'logGroup=ProcessingJobs');
  const step = processing.out.steps.find((s) => s.name === 'execution-role-puts-metrics');
  assert.equal(step?.passed, false);
  assert.deepEqual(step?.fix[0]?.statement['Condition'], {
    StringEquals: { 'cloudwatch:namespace': ['/aws/sagemaker/TrainingJobs', '/aws/sagemaker/ProcessingJobs'] },
  });
});

test('a condition key the workflow does not send is reported as missing, and no fix drops the condition', async () => {
  const file = variant('vpce', ['StringEquals:', '  aws:SourceVpce: vpce-0123456789abcdef0']);
  const r = await preflight(file);
  assert.equal(r.code, 1);
  const step = r.out.steps.find((s) => s.name === 'execution-role-puts-metrics');
  assert.equal(step?.passed, false);
  assert.deepEqual(step?.fix, []);
  assert.match(
    step?.warnings?.join('\n') ?? '',
    /statement "Metrics" of TrainingJobScoped .* allows this request only with aws:SourceVpce, which this step's request does not carry; no fix is proposed/,
  );
  // No edit anywhere grants PutMetricData without the condition.
  for (const g of r.out.fixes) {
    const actions = [g.fix.statement['Action']].flat();
    assert.ok(!(actions.includes('cloudwatch:PutMetricData') && g.fix.statement['Condition'] === undefined), JSON.stringify(g.fix.statement));
  }
  assert.match(r.text, /warning: .*aws:SourceVpce/);
});

const BROKEN_KMS = fileURLToPath(new URL('../../../examples/accounts/notebook-job/broken/kms-key-policy-excludes-role.yaml', import.meta.url));

test('a parameter the account implies is read from it: the key policy that excludes the job role fails without --set kmsKeyArn', async () => {
  const json = await runCommand(preflightCommand, ['notebook-job', '--account', BROKEN_KMS, '--format', 'json']);
  assert.equal(json.code, 1);
  const out = JSON.parse(json.out) as Out & { parameters: Record<string, string>; impliedParameters: Record<string, string> };
  assert.equal(out.parameters['kmsKeyArn'], 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  assert.equal(out.parameters['vpcEndpointId'], 'vpce-0a1b2c3d4e5f67890');
  assert.deepEqual(
    out.steps.filter((s) => !s.passed).map((s) => s.name),
    ['job-role-generates-data-key', 'job-role-decrypts', 'job-role-creates-grant'],
  );
  const text = await runCommand(preflightCommand, ['notebook-job', '--account', BROKEN_KMS]);
  assert.match(text.out, /kmsKeyArn=arn:aws:kms:\S+ \(from the accounts: their only KMS key with a key policy\)/);
  // --set still wins: an empty value turns the option off, as before.
  const off = await runCommand(preflightCommand, ['notebook-job', '--account', BROKEN_KMS, '--set', 'kmsKeyArn=']);
  assert.equal(off.code, 0, off.out);
});

test('with two KMS keys the account implies none: the parameter stays unset and the output says why', async () => {
  const text = readFileSync(BROKEN_KMS, 'utf8');
  const second = text.replace(
    '    resourcePolicies:\n',
    '    resourcePolicies:\n      - arn: arn:aws:kms:us-east-1:111122223333:key/0000aaaa-12ab-34cd-56ef-1234567890ab\n        policy:\n          Version: 2012-10-17\n          Statement:\n            - Effect: Allow\n              Principal:\n                AWS: arn:aws:iam::111122223333:root\n              Action: kms:*\n              Resource: "*"\n',
  );
  const file = join(dir, 'two-keys.yaml');
  writeFileSync(file, second);
  const r = await runCommand(preflightCommand, ['notebook-job', '--account', file]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /kmsKeyArn: not set: the accounts hold 2 of them \(.*\); set kmsKeyArn to check one \(--set kmsKeyArn=…\)/);
});

const SCOPED = fileURLToPath(new URL('../../../examples/policies/training-job-scoped.json', import.meta.url));

test('preflight sagemaker-execution-role --policy FILE: the bare policy as the execution role, cited in its own file', async () => {
  const json = await runCommand(preflightCommand, ['sagemaker-execution-role', '--policy', SCOPED, '--format', 'json']);
  assert.equal(json.code, 1, json.err);
  const out = JSON.parse(json.out) as Out;
  // The guide's scoped training policy as published: the output path without /* and the ECR ARN without Region/account.
  assert.deepEqual(
    out.steps.filter((s) => !s.passed).map((s) => s.name),
    ['execution-role-writes-output', 'execution-role-checks-image-layers', 'execution-role-downloads-image-layers', 'execution-role-pulls-image'],
  );
  // The caller and the trust are given what the workflow needs: the checklist is about the file.
  assert.equal(out.steps.find((s) => s.name === 'caller-passes-execution-role')?.passed, true);
  assert.equal(out.steps.find((s) => s.name === 'sagemaker-assumes-execution-role')?.passed, true);
  const text = await runCommand(preflightCommand, ['sagemaker-execution-role', '--policy', SCOPED]);
  assert.match(
    text.out,
    /allowed by statement #2 of identity policy policy \(arn:aws:iam::111122223333:role\/SageMakerExecutionRole\) at \S+training-job-scoped\.json:16/,
  );
  assert.match(text.out, /the preflight rerun with every edit applied: PASSED/);
  // Bad input: --policy with --account, an unknown --policy-role.
  assert.equal((await runCommand(preflightCommand, ['sagemaker-execution-role', '--policy', SCOPED, '--account', BUNDLE])).code, 2);
  assert.equal((await runCommand(preflightCommand, ['sagemaker-execution-role', '--policy', SCOPED, '--policy-role', 'nope'])).code, 2);
});
