/**
 * `iamsim preflight`: every example of examples/accounts/ run through the
 * command (pass/fail, the failing steps), and for every broken variant the
 * suggested fixes applied to the loaded model make the preflight pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { preflightCommand } from './preflight.js';
import { loadUniverse } from '../authz/universe.js';
import { loadWorkflows } from '../workflows/load.js';
import { allFixes, preflight } from '../workflows/run.js';
import { applyFixes } from '../workflows/apply.js';
import { runCommand } from '../../test/support/cli.js';
const run = (argv: readonly string[], stdin = ''): ReturnType<typeof runCommand> => runCommand(preflightCommand, argv, stdin);



const examplesDir = fileURLToPath(new URL('../../../examples/accounts/', import.meta.url));
const at = (p: string): string => `${examplesDir}${p}`;

interface ExampleRun {
  readonly name: string;
  readonly files: readonly string[];
  readonly set: Readonly<Record<string, string>>;
  readonly expect: 'pass' | 'fail';
  readonly failingSteps?: readonly string[];
  readonly fixLayer?: string;
  readonly fixKind?: string;
}
interface Manifest {
  readonly workflow: string;
  readonly runs: readonly ExampleRun[];
}

const manifests: Manifest[] = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(at(`${d.name}/examples.json`)))
  .map((d) => JSON.parse(readFileSync(at(`${d.name}/examples.json`), 'utf8')) as Manifest);

const setArgs = (set: Readonly<Record<string, string>>): string[] => {
  const pairs = Object.entries(set).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? ['--set', ...pairs] : [];
};

interface JsonStep { name: string; decision: string; passed: boolean; decidedBy: unknown[]; fix: { layer: string; kind: string }[] | null }
interface JsonOut { workflow: string; passed: boolean; steps: JsonStep[] }

test('the example files are what examples/accounts/build.mjs generates', async () => {
  const mod = (await import(new URL('../../../examples/accounts/build.mjs', import.meta.url).href)) as { buildAll(): Map<string, string> };
  for (const [path, text] of mod.buildAll()) {
    assert.ok(existsSync(at(path)), `${path} is missing: run node examples/accounts/build.mjs`);
    assert.equal(readFileSync(at(path), 'utf8'), text, `${path} is stale: run node examples/accounts/build.mjs`);
  }
});

test('there is an example manifest for every workflow', () => {
  const ids = [...loadWorkflows().workflows.keys()].sort();
  assert.deepEqual(manifests.map((m) => m.workflow).sort(), ids);
});

for (const m of manifests) {
  for (const r of m.runs) {
    test(`${m.workflow} / ${r.name}: ${r.expect === 'pass' ? 'passes' : 'fails'}${r.failingSteps ? ` at ${r.failingSteps.join(', ')}` : ''}`, async () => {
      const res = await run([m.workflow, '--account', ...r.files.map(at), ...setArgs(r.set), '--format', 'json']);
      assert.equal(res.err, '', res.err);
      const out = JSON.parse(res.out) as JsonOut;
      assert.equal(out.workflow, m.workflow);
      const failing = out.steps.filter((s) => !s.passed).map((s) => s.name);
      if (r.expect === 'pass') {
        assert.equal(res.code, 0, `unexpected failures: ${failing.join(', ')}`);
        assert.equal(out.passed, true);
        return;
      }
      assert.equal(res.code, 1);
      assert.equal(out.passed, false);
      assert.deepEqual(failing, r.failingSteps);
      for (const s of out.steps.filter((x) => !x.passed)) {
        assert.ok(Array.isArray(s.fix) && s.fix.length > 0, `${s.name} has no fix`);
        assert.ok(s.fix.some((f) => f.layer === r.fixLayer && f.kind === r.fixKind), `${s.name}: expected a ${r.fixKind} in the ${r.fixLayer} layer`);
      }

      // Applying every suggested fix makes the preflight pass.
      const wf = loadWorkflows().workflows.get(m.workflow)!;
      const loaded = loadUniverse({ accountFiles: r.files.map(at) });
      assert.ok(loaded.universe);
      const before = preflight(loaded.universe, wf, new Map(Object.entries(r.set)));
      assert.ok(before.result);
      const fixed = applyFixes(loaded.universe, allFixes(before.result));
      const after = preflight(fixed, wf, new Map(Object.entries(r.set)));
      assert.deepEqual(after.result?.steps.filter((s) => !s.passed).map((s) => s.name), []);
      assert.equal(after.result?.passed, true);
    });
  }
}

test('text output names the failing step, the deciding layer and the fix', async () => {
  const nb = manifests.find((m) => m.workflow === 'notebook-job')!;
  const r = nb.runs.find((x) => x.name === 'passrole-without-events')!;
  const res = await run(['notebook-job', '--account', ...r.files.map(at)]);
  assert.equal(res.code, 1);
  assert.match(res.out, /FAIL studio-passes-job-role-to-events/);
  assert.match(res.out, /in statement #1 of managed policy NotebookJobPermissions/);
  assert.match(res.out, /"events\.amazonaws\.com"/);
  assert.match(res.out, /FAILED: 1 of \d+ steps/);
});

test('bad input exits 2', async () => {
  const bundle = at('notebook-job/bundle.yaml');
  assert.equal((await run(['no-such-workflow', '--account', bundle])).code, 2);
  assert.equal((await run(['notebook-job'])).code, 2);
  assert.equal((await run(['notebook-job', '--account', bundle, '--set', 'nope=1'])).code, 2);
  assert.equal((await run(['notebook-job', '--account', bundle, '--set', 'region'])).code, 2);
  assert.equal((await run(['notebook-job', '--account', bundle, '--format', 'xml'])).code, 2);
  assert.equal((await run(['notebook-job', '--account', at('does-not-exist.yaml')])).code, 2);
  const unknownRole = await run(['notebook-job', '--account', bundle, '--set', 'studioRoleArn=arn:aws:iam::111122223333:role/Nope']);
  assert.equal(unknownRole.code, 2);
  assert.match(unknownRole.err, /PREFLIGHT_UNKNOWN_PRINCIPAL/);
  assert.equal((await run(['sagemaker-execution-role', '--account', bundle, '--set', 'api=CreateThing'])).code, 2);
});

test('--help lists a workflow\'s parameters and steps; --list lists the workflows', async () => {
  const help = await run(['notebook-job', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /kmsKeyArn/);
  assert.match(help.out, /events-assumes-job-role/);
  const list = await run(['--list']);
  assert.equal(list.code, 0);
  for (const id of loadWorkflows().workflows.keys()) assert.match(list.out, new RegExp(id));
  assert.equal((await run(['--help'])).code, 0);
});
