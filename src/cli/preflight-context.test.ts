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
