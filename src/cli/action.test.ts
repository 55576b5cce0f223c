/**
 * The GitHub Action (action.yml) as this repository's CI runs it: its step script on fixtures, with the
 * variables GitHub sets (GITHUB_ACTION_PATH, INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TF = join(ROOT, 'test/fixtures/iac/terraform/notebook');

function run(inputs: Record<string, string>): { status: number; outputs: Record<string, string>; summary: string; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-action-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: dir,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const r = spawnSync('bash', [join(ROOT, 'scripts/iac-gate.sh')], { env, encoding: 'utf8' });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status: r.status ?? -1, outputs, summary: readFileSync(summary, 'utf8'), stdout: r.stdout + r.stderr };
}

test('action.yml runs iamsim from its own checkout and fetches nothing by name', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    runs: { using: string; steps: { run?: string }[] };
    inputs: Record<string, unknown>;
  };
  assert.equal(action.runs.using, 'composite');
  const scripts = action.runs.steps.map((s) => s.run ?? '').join('\n') + readFileSync(join(ROOT, 'scripts/iac-gate.sh'), 'utf8');
  assert.doesNotMatch(scripts, /\bnpx\b|npm (install|i|exec) |yarn dlx|pnpm dlx/);
  assert.match(scripts, /GITHUB_ACTION_PATH/);
  assert.ok('after' in action.inputs && 'accept' in action.inputs && 'fail-on' in action.inputs);
});

test('the action passes a narrowing plan and fails a widening one, with outputs, SARIF and a job summary', () => {
  const ok = run({ after: join(TF, 'narrow.plan.json') });
  assert.equal(ok.status, 0, ok.stdout);
  assert.equal(ok.outputs['result'], 'PASS');
  const bad = run({ after: join(TF, 'widen.plan.json'), 'fail-on': 'new-access' });
  assert.equal(bad.status, 1, bad.stdout);
  assert.equal(bad.outputs['result'], 'FAIL');
  assert.match(bad.summary, /iamsim diff: FAIL/);
  const sarif = JSON.parse(readFileSync(bad.outputs['sarif']!, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
  assert.ok(sarif.runs[0]!.results.some((r) => r.ruleId === 'NEW_ACCESS'));
  const accepted = run({ after: join(TF, 'accepted.plan.json'), accept: join(TF, 'accept.yaml') });
  assert.equal(accepted.status, 0, accepted.stdout);
  const missing = run({ after: join(TF, 'missing.json') });
  assert.equal(missing.status, 2);
});
