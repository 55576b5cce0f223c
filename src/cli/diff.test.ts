/** End-to-end tests of `iamsim diff`: each input kind, every format, exit codes 0/1/2, --accept, bad input. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../test/support/cli.js';
import { diffCommand } from './diff.js';

const fx = (p: string): string => fileURLToPath(new URL(`../../../test/fixtures/iac/${p}`, import.meta.url));
const TF = fx('terraform/notebook');
const CFN = fx('cfn');
const BIN = fileURLToPath(new URL('../../../bin/iamsim.js', import.meta.url));

interface JsonReport {
  result: string;
  principals: {
    arn: string;
    source: { file?: string; line?: number; address?: string };
    newAccess: { result: string; counterexamples: { ActionNames: string[]; ResourceArns: string[] }[] };
    newEscalation: unknown[];
    newExposure: unknown[];
  }[];
  resources: { arn: string; policy: string; newAccess: { result: string } }[];
  unknowns: { address: string; attribute: string; reason: string }[];
}

test('diff of a Terraform plan: a widening fails with a counterexample and a .tf location; a narrowing passes', async () => {
  const w = await runCommand(diffCommand, [join(TF, 'widen.plan.json'), '--format', 'json']);
  assert.equal(w.code, 1, w.err);
  const doc = JSON.parse(w.out) as JsonReport;
  assert.equal(doc.result, 'FAIL');
  const p = doc.principals.find((x) => x.arn === 'arn:aws:iam::111122223333:role/NotebookRole')!;
  assert.equal(p.newAccess.result, 'FAIL');
  assert.match(p.newAccess.counterexamples[0]!.ActionNames[0]!, /^s3:/);
  assert.equal(p.source.address, 'aws_iam_role.notebook');
  assert.match(p.source.file ?? '', /main\.tf$/);
  assert.equal(p.source.line, 2);
  assert.ok(Array.isArray(p.newEscalation) && Array.isArray(p.newExposure) && Array.isArray(doc.unknowns));
  const n = await runCommand(diffCommand, [join(TF, 'narrow.plan.json'), '--format', 'json']);
  assert.equal(n.code, 0, n.out);
  assert.equal((JSON.parse(n.out) as JsonReport).result, 'PASS');
});

test('diff --format sarif points into the .tf file, not the plan JSON', async () => {
  const r = await runCommand(diffCommand, [join(TF, 'widen.plan.json'), '--format', 'sarif']);
  assert.equal(r.code, 1);
  const log = JSON.parse(r.out) as {
    version: string;
    runs: { results: { ruleId: string; locations: { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[] }[];
  };
  assert.equal(log.version, '2.1.0');
  const res = log.runs[0]!.results.find((x) => x.ruleId === 'NEW_ACCESS')!;
  const loc = res.locations[0]!.physicalLocation!;
  assert.match(loc.artifactLocation.uri, /terraform\/notebook\/main\.tf$/);
  assert.equal(loc.region?.startLine, 7, 'the statement granting it: the aws_iam_role_policy block');
});

test('diff --accept: accepted access passes; a later change that widens it still fails', async () => {
  const accept = join(TF, 'accept.yaml');
  const ok = await runCommand(diffCommand, [join(TF, 'accepted.plan.json'), '--accept', accept]);
  assert.equal(ok.code, 0, ok.out);
  const without = await runCommand(diffCommand, [join(TF, 'accepted.plan.json')]);
  assert.equal(without.code, 1, 'the same change without the accept file fails');
  const wider = await runCommand(diffCommand, [join(TF, 'widen.plan.json'), '--accept', accept, '--format', 'json']);
  assert.equal(wider.code, 1);
  const ce = (JSON.parse(wider.out) as JsonReport).principals[0]!.newAccess.counterexamples[0]!;
  assert.ok(
    !['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].includes(ce.ActionNames[0]!),
    `the counterexample is outside the accepted access: ${ce.ActionNames[0]}`,
  );
});

test('diff of a CloudFormation/SAM template pair (YAML short forms): widen fails, narrow passes; markdown is one PR comment', async () => {
  const before = join(CFN, 'notebook-before.yaml');
  const w = await runCommand(diffCommand, [before, join(CFN, 'notebook-widen.yaml'), '--account-id', '111122223333', '--format', 'markdown']);
  assert.equal(w.code, 1, w.err);
  assert.match(w.out, /^### ❌ iamsim diff: FAIL/);
  assert.match(w.out, /dev-notebook-execution/);
  assert.ok(w.out.split('\n').length < 40, 'fits one screen');
  const n = await runCommand(diffCommand, [before, join(CFN, 'notebook-narrow.yaml'), '--account-id', '111122223333']);
  assert.equal(n.code, 0, n.out);
  const t = await runCommand(diffCommand, [before, join(CFN, 'notebook-widen.yaml'), '--account-id', '111122223333', '--format', 'json', '--no-audit']);
  const doc = JSON.parse(t.out) as JsonReport;
  const role = doc.principals.find((x) => x.arn.endsWith(':role/dev-notebook-execution'))!;
  assert.equal(role.source.line, 23);
  assert.match(role.source.file ?? '', /notebook-widen\.yaml$/);
});

test('diff --fail-on escalation: new access alone does not fail', async () => {
  const r = await runCommand(diffCommand, [join(TF, 'widen.plan.json'), '--fail-on', 'escalation']);
  assert.equal(r.code, 0, r.out);
});

test('diff over a baseline account: the change is applied as an overlay to the exported account', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-diff-'));
  const bundle = join(dir, 'bundle.yaml');
  writeFileSync(
    bundle,
    `accounts:
  - id: "111122223333"
    roles:
      - name: NotebookRole
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:AssumeRole}]}
        managedPolicies: [AmazonS3FullAccess]
`,
  );
  // The role already has s3:* through a policy the plan does not manage: nothing is new.
  const r = await runCommand(diffCommand, [join(TF, 'widen.plan.json'), '--account', bundle]);
  assert.equal(r.code, 0, r.out);
});

test('diff: bad input exits 2 naming file, line and column, without a stack trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-diff-bad-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Nope x}\n');
  const r = await runCommand(diffCommand, [bad]);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.yaml:4:\d+: error CFN_UNKNOWN_TAG/);
  const missing = await runCommand(diffCommand, [join(dir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
  const twoPlans = await runCommand(diffCommand, [join(TF, 'widen.plan.json'), join(TF, 'narrow.plan.json')]);
  assert.equal(twoPlans.code, 2);
  assert.match(twoPlans.err, /holds both sides/);
  const other = join(dir, 'other.json');
  writeFileSync(other, '{"hello": 1}');
  const unknown = await runCommand(diffCommand, [other]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /UNKNOWN_INPUT_FORMAT/);
  const usage = await runCommand(diffCommand, [join(TF, 'widen.plan.json'), '--fail-on', 'everything']);
  assert.equal(usage.code, 2);
});

test('the built command runs: iamsim diff plan.json (exit 1) and --help', () => {
  const help = execFileSync(process.execPath, [BIN, 'diff', '--help'], { encoding: 'utf8' });
  assert.match(help, /Usage: iamsim diff/);
  let code = 0;
  try {
    execFileSync(process.execPath, [BIN, 'diff', join(TF, 'widen.plan.json'), '--no-audit'], { encoding: 'utf8' });
  } catch (e) {
    code = (e as { status: number }).status;
  }
  assert.equal(code, 1);
});
