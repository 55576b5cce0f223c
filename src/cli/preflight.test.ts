/**
 * `iamsim preflight`: every example of examples/accounts/ run through the
 * command (pass/fail, the failing steps), and for every broken variant the
 * suggested fixes applied to the loaded model make the preflight pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
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

interface JsonStep {
  name: string;
  decision: string;
  passed: boolean;
  decidedBy: unknown[];
  fix: { layer: string; kind: string }[] | null;
}
interface JsonOut {
  workflow: string;
  passed: boolean;
  steps: JsonStep[];
}

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
        assert.ok(
          s.fix.some((f) => f.layer === r.fixLayer && f.kind === r.fixKind),
          `${s.name}: expected a ${r.fixKind} in the ${r.fixLayer} layer`,
        );
      }

      // Applying every suggested fix makes the preflight pass.
      const wf = loadWorkflows().workflows.get(m.workflow)!;
      const loaded = loadUniverse({ accountFiles: r.files.map(at) });
      assert.ok(loaded.universe);
      const before = preflight(loaded.universe, wf, new Map(Object.entries(r.set)));
      assert.ok(before.result);
      const fixed = applyFixes(loaded.universe, allFixes(before.result));
      const after = preflight(fixed, wf, new Map(Object.entries(r.set)));
      assert.deepEqual(
        after.result?.steps.filter((s) => !s.passed).map((s) => s.name),
        [],
      );
      assert.equal(after.result?.passed, true);
    });
  }
}

// Issue 13: the written patch is what people apply. For every broken example, the corrected account
// files written by --fix-out pass the same preflight, and the fixes add no new lint security warning.
for (const m of manifests) {
  for (const r of m.runs.filter((x) => x.expect === 'fail')) {
    test(`${m.workflow} / ${r.name}: the --fix-out patch, applied, passes the preflight`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'iamsim-fix-'));
      try {
        const res = await run([m.workflow, '--account', ...r.files.map(at), ...setArgs(r.set), '--fix-out', dir, '--format', 'json']);
        assert.equal(res.code, 1);
        const out = JSON.parse(res.out) as {
          fixesVerified: boolean;
          patch: { accountFiles: unknown[]; unplaced: string[]; newSecurityWarnings: unknown[]; scope: { result: string; note: string }[] };
        };
        assert.equal(out.fixesVerified, true);
        // The semantic engine decides, for every changed document, whether it grants more than the failing steps need.
        assert.ok(out.patch.scope.length > 0);
        for (const c of out.patch.scope) assert.notEqual(c.result, 'UNKNOWN', c.note);
        assert.deepEqual(out.patch.unplaced, []);
        assert.deepEqual(out.patch.newSecurityWarnings, []);
        assert.ok(existsSync(join(dir, 'fixes.diff')) && existsSync(join(dir, 'apply.sh')));
        const corrected = r.files.map((f) => (existsSync(join(dir, 'accounts', basename(f))) ? join(dir, 'accounts', basename(f)) : at(f)));
        const rerun = await run([m.workflow, '--account', ...corrected, ...setArgs(r.set)]);
        assert.equal(
          rerun.code,
          0,
          rerun.out
            .split('\n')
            .filter((l) => l.includes('FAIL'))
            .join('\n'),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

test('seed 003 as published: two edits to the existing statements fix the four failing steps', async () => {
  const res = await run(['sagemaker-execution-role', '--account', at('sagemaker-execution-role/broken/seed-003-as-published.yaml'), '--format', 'json']);
  const out = JSON.parse(res.out) as { fixes: { kind: string; steps: string[]; patches: { op: string; from: string; value: string }[] }[] };
  assert.deepEqual(
    out.fixes.map((f) => f.kind),
    ['modify-statement', 'modify-statement'],
  );
  assert.deepEqual(
    out.fixes.map((f) => f.patches.map((p) => `${p.op} ${p.from} -> ${p.value}`)),
    [
      ['replace-value arn:aws:s3:::outputbucket/path -> arn:aws:s3:::outputbucket/path/*'],
      ['replace-value arn:aws:ecr:::repository/my-repo -> arn:aws:ecr:us-east-1:111122223333:repository/my-repo'],
    ],
  );
  assert.deepEqual(out.fixes[1]?.steps, ['execution-role-checks-image-layers', 'execution-role-downloads-image-layers', 'execution-role-pulls-image']);
  const text = await run(['sagemaker-execution-role', '--account', at('sagemaker-execution-role/broken/seed-003-as-published.yaml')]);
  assert.match(text.out, /Fixes: 2 edits \(2 to existing statements\) for the 4 failing steps; the preflight rerun with every edit applied: PASSED/);
  assert.match(text.out, /has no Region and account/);
});

test('the scope check proves an exact fix and names what a widening fix grants beyond the steps', async () => {
  const scopeOf = async (variant: string): Promise<{ result: string; beyond?: { ActionNames: string[]; ResourceArns: string[] } }[]> => {
    const res = await run(['sagemaker-execution-role', '--account', at(`sagemaker-execution-role/broken/${variant}.yaml`), '--format', 'json']);
    return (JSON.parse(res.out) as { patch: { scope: { result: string; beyond?: { ActionNames: string[]; ResourceArns: string[] } }[] } }).patch.scope;
  };
  // The ECR ARN gets its Region and account: exactly the three pulls the steps make.
  assert.deepEqual(
    (await scopeOf('ecr-arn-as-published')).map((c) => c.result),
    ['PASS'],
  );
  // outputbucket/path → path/*: the statement's other actions now reach the objects under the path too.
  const seed = await scopeOf('seed-003-as-published');
  assert.equal(seed[0]?.result, 'FAIL');
  assert.match(seed[0]?.beyond?.ResourceArns[0] ?? '', /^arn:aws:s3:::outputbucket\/path\//);
  assert.notEqual(seed[0]?.beyond?.ActionNames[0], 's3:PutObject');
});

test("a key policy gets one statement for all the KMS actions, never the key administrators' statement", async () => {
  const nb = manifests.find((m) => m.workflow === 'notebook-job')!.runs.find((x) => x.name === 'kms-key-policy-excludes-role')!;
  const res = await run(['notebook-job', '--account', ...nb.files.map(at), ...setArgs(nb.set), '--format', 'json']);
  const out = JSON.parse(res.out) as { fixes: { kind: string; layer: string; statement: { Action: string[]; Principal: unknown } }[] };
  const kms = out.fixes.filter((f) => f.layer === 'resource');
  assert.equal(kms.length, 1);
  assert.equal(kms[0]?.kind, 'add-statement');
  assert.deepEqual([...(kms[0]?.statement.Action ?? [])].sort(), ['kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKey']);
});

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
  assert.match(unknownRole.err, /PREFLIGHT_UNKNOWN_PRINCIPAL: .*is not in the loaded accounts.* \(check --set and --account\)/);
  // The command line adds its flags to the library's words (the console shows the same diagnostics without them).
  assert.match(
    (await run(['notebook-job', '--account', bundle, '--set', 'nope=1'])).err,
    /has no parameter "nope" \(see 'iamsim preflight notebook-job --help'\)/,
  );
  assert.equal((await run(['sagemaker-execution-role', '--account', bundle, '--set', 'api=CreateThing'])).code, 2);
});

test("--help lists a workflow's parameters and steps; --list lists the workflows", async () => {
  const help = await run(['notebook-job', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /kmsKeyArn/);
  assert.match(help.out, /events-assumes-job-role/);
  const list = await run(['--list']);
  assert.equal(list.code, 0);
  for (const id of loadWorkflows().workflows.keys()) assert.match(list.out, new RegExp(id));
  assert.equal((await run(['--help'])).code, 0);
});
