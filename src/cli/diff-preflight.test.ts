/** End-to-end: `iamsim diff` reports notebook workflows whose preflight verdict changes, in every format, and --fail-on preflight. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../test/support/cli.js';
import { diffCommand } from './diff.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/iac/terraform/passrole/', import.meta.url));
const BREAK = join(DIR, 'break.plan.json');
const FIX = join(DIR, 'fix.plan.json');

interface Entry {
  workflow: string;
  workload: string;
  before: string;
  after: string;
  parameters: Record<string, string>;
  steps: { name: string; before: string; after: string; reason: string; source: { file?: string; line?: number } }[];
}

test('diff: narrowing iam:PassedToService fails the notebook workflow, located in the .tf block of the policy', async () => {
  const r = await runCommand(diffCommand, [BREAK, '--format', 'json', '--no-audit']);
  assert.equal(r.code, 1, r.err);
  const doc = JSON.parse(r.out) as { result: string; failOn: string[]; preflight: Entry[] };
  assert.ok(doc.failOn.includes('preflight'));
  assert.equal(doc.preflight.length, 1);
  const e = doc.preflight[0]!;
  assert.deepEqual([e.workflow, e.workload, e.before, e.after], ['sagemaker-execution-role', 'aws_sagemaker_notebook_instance.nb', 'passed', 'failed']);
  assert.equal(e.parameters['region'], 'eu-west-1', "the plan's provider region");
  const step = e.steps.find((s) => s.name === 'caller-passes-execution-role')!;
  assert.match(step.source.file ?? '', /passrole[/\\]main\.tf$/);
  assert.equal(step.source.line, 13, 'the aws_iam_role_policy.pass block');
  const text = await runCommand(diffCommand, [BREAK, '--no-audit']);
  assert.match(text.out, /WORKFLOW FAILS {2}workflow sagemaker-execution-role for aws_sagemaker_notebook_instance\.nb: passed → failed/);
  const md = await runCommand(diffCommand, [BREAK, '--no-audit', '--format', 'markdown']);
  assert.match(md.out, /\| workflow fails \|/);
  const sarif = JSON.parse((await runCommand(diffCommand, [BREAK, '--no-audit', '--format', 'sarif'])).out) as {
    runs: {
      results: { ruleId: string; level: string; locations: { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[];
    }[];
  };
  const res = sarif.runs[0]!.results.find((x) => x.ruleId === 'PREFLIGHT_FAILS')!;
  assert.equal(res.level, 'error');
  assert.match(res.locations[0]!.physicalLocation!.artifactLocation.uri, /main\.tf$/);
  assert.equal(res.locations[0]!.physicalLocation!.region?.startLine, 13);
});

test('diff --fail-on: preflight alone fails on a broken workflow; escalation alone does not; a list is the union', async () => {
  assert.equal((await runCommand(diffCommand, [BREAK, '--fail-on', 'preflight', '--no-audit'])).code, 1);
  assert.equal((await runCommand(diffCommand, [BREAK, '--fail-on', 'escalation', '--no-audit'])).code, 0);
  assert.equal((await runCommand(diffCommand, [BREAK, '--fail-on', 'escalation,preflight', '--no-audit'])).code, 1);
  const bad = await runCommand(diffCommand, [BREAK, '--fail-on', 'escalation,workflows']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--fail-on must be one of new-access, exposure, escalation, preflight/);
});

test('diff: the reverse change fixes the workflow (failed → passed); a preflight gate passes, the default gate fails on its new PassRole', async () => {
  const r = await runCommand(diffCommand, [FIX, '--fail-on', 'preflight', '--format', 'json', '--no-audit']);
  assert.equal(r.code, 0, r.out);
  const doc = JSON.parse(r.out) as { result: string; preflight: Entry[] };
  assert.deepEqual(
    doc.preflight.map((e) => [e.before, e.after]),
    [['failed', 'passed']],
  );
  assert.equal((await runCommand(diffCommand, [FIX, '--no-audit'])).code, 1, 'PassRole to SageMaker is new access');
});
