/**
 * The audit on IAM-Vulnerable's export (test/fixtures/iam-vulnerable, BSD-3,
 * from cloudsplaining's examples): every principal whose policies allow an
 * escalation in this export is found with a path to admin, and none of the
 * lab's false-positive principals is.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadUniverse } from '../authz/universe.js';
import { runAudit, type AuditReport } from './index.js';

const FILE = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));
const ACCT = 'arn:aws:iam::200611803367';

let cached: AuditReport | undefined;
function report(): AuditReport {
  assert.ok(cached);
  return cached;
}
before(async () => {
  const u = loadUniverse({ accountFiles: [FILE] }).universe;
  assert.ok(u);
  cached = await runAudit(u, { at: new Date('2026-01-01T00:00:00Z') });
});
const byName = (name: string, type: 'user' | 'role') => report().principals.find((p) => p.arn.endsWith(`:${type}/${name}`));

/** Technique of the lab principal → the first technique its shortest path uses. */
const EXPECTED: readonly [string, string][] = [
  ['privesc1-CreateNewPolicyVersion', 'iam-create-policy-version'],
  ['privesc3-CreateEC2WithExistingInstanceProfile', 'ec2-run-instances'],
  ['privesc7-AttachUserPolicy', 'iam-attach-user-policy'],
  ['privesc8-AttachGroupPolicy', 'iam-attach-group-policy'],
  ['privesc10-PutUserPolicy', 'iam-put-user-policy'],
  ['privesc11-PutGroupPolicy', 'iam-put-group-policy'],
  ['privesc13-AddUserToGroup', 'iam-add-user-to-group'],
  ['privesc14-UpdatingAssumeRolePolicy', 'iam-update-assume-role-policy'],
  ['privesc15-PassExistingRoleToNewLambdaThenInvoke', 'lambda-create-invoke'],
  ['privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo', 'lambda-create-event-source'],
  ['privesc17-EditExistingLambdaFunctionWithRole', 'lambda-update-function-code'],
  ['privesc18-PassExistingRoleToNewGlueDevEndpoint', 'glue-create-dev-endpoint'],
  ['privesc19-UpdateExistingGlueDevEndpoint', 'glue-update-dev-endpoint'],
  ['privesc20-PassExistingRoleToCloudFormation', 'cloudformation-create-stack'],
  ['privesc21-PassExistingRoleToNewDataPipeline', 'datapipeline-create-pipeline'],
  ['privesc-CloudFormationUpdateStack', 'cloudformation-update-stack'],
  ['privesc-codeBuildCreateProjectPassRole', 'codebuild-create-project'],
  ['privesc-ec2InstanceConnect', 'ec2-instance-connect'],
  ['privesc-sageMakerCreateNotebookPassRole', 'sagemaker-create-notebook'],
  ['privesc-sageMakerCreatePresignedNotebookURL', 'sagemaker-presigned-notebook-url'],
  ['privesc-sageMakerCreateProcessingJobPassRole', 'sagemaker-create-processing-job'],
  ['privesc-sageMakerCreateTrainingJobPassRole', 'sagemaker-create-training-job'],
  ['privesc-ssmSendCommand', 'ssm-send-command'],
  ['privesc-ssmStartSession', 'ssm-start-session'],
  ['fn1-privesc3-partial', 'ec2-run-instances'],
  ['fn2-exploitableResourceConstraint', 'iam-create-policy-version'],
  ['fn3-exploitableConditionConstraint', 'iam-create-policy-version'],
  ['fn4-exploitableNotAction', 'iam-put-user-policy'],
];

test('IAM-Vulnerable: every escalation user is found, with a path whose techniques include its own', () => {
  for (const [name, technique] of EXPECTED) {
    const p = byName(`${name}-user`, 'user');
    assert.ok(p, name);
    assert.equal(p.canEscalate, true, name);
    assert.ok(
      p.paths.some((x) => x.techniques.includes(technique)),
      `${name}: ${p.paths.map((x) => x.technique).join(' | ')}`,
    );
    for (const path of p.paths) {
      assert.equal(path.steps[0]?.principal, p.arn);
      for (const s of path.steps.filter((x) => x.statement)) assert.equal(s.statement?.effect, 'Allow');
    }
  }
  // Credentials of other users lead on to a principal that can grant itself anything.
  for (const n of ['privesc4-CreateAccessKey', 'privesc5-CreateLoginProfile', 'privesc6-UpdateLoginProfile', 'privesc-sre']) {
    assert.equal(byName(`${n}-user`, 'user')?.canEscalate, true, n);
  }
});

test('IAM-Vulnerable: escalation users with no target in this export are reported as potential, not as paths', () => {
  // privesc9/12 edit roles but can assume none (the lab's roles trust only the deployer's SSO session here);
  // privesc2's policy has a single version in the export, so there is no other version to switch to.
  for (const [name, technique] of [
    ['privesc9-AttachRolePolicy', 'iam-attach-role-policy'],
    ['privesc12-PutRolePolicy', 'iam-put-role-policy'],
    ['privesc2-SetExistingDefaultPolicyVersion', 'iam-set-default-policy-version'],
  ] as const) {
    const p = byName(`${name}-user`, 'user');
    assert.ok(p, name);
    assert.equal(p.canEscalate, false, name);
    const risk = p.risks.find((r) => r.category === 'privilege-escalation');
    assert.deepEqual(risk?.potential?.techniques, [technique], name);
    assert.ok(report().findings.some((f) => f.code === 'POTENTIAL_PRIVILEGE_ESCALATION' && f.subject === p.arn && f.severity === 'SECURITY_WARNING'));
  }
  // A principal with a proved path carries no potential entry.
  const proved = byName('privesc1-CreateNewPolicyVersion-user', 'user');
  assert.ok(proved?.risks.every((r) => r.potential === undefined));
});

test('IAM-Vulnerable: the false-positive principals are not reported', () => {
  for (const n of [
    'fp1-allow-and-deny',
    'fp2-allow-and-deny-multiple-policies',
    'fp3-deny-iam',
    'fp4-nonExploitableResourceConstraint',
    'fp5-nonExploitableConditionConstraint',
  ]) {
    for (const type of ['user', 'role'] as const) {
      const p = byName(`${n}-${type}`, type);
      assert.ok(p, n);
      assert.deepEqual([p.canEscalate, p.isAdmin], [false, false], `${n}-${type}: ${p.paths.map((x) => x.technique).join(' | ')}`);
      assert.ok(!p.risks.some((r) => r.category === 'privilege-escalation'), `${n}-${type}: privilege-escalation risk`);
    }
  }
});

test('IAM-Vulnerable: single-action role edits and role chains are found on the role principals', () => {
  const self = byName('privesc9-AttachRolePolicy-role', 'role');
  assert.equal(self?.paths[0]?.target, self?.arn);
  assert.equal(self?.isAdmin, true);
  const start = byName('privesc-AssumeRole-starting-role', 'role');
  assert.deepEqual(start?.paths[0]?.techniques, ['sts-assume-role', 'sts-assume-role']);
  assert.equal(start?.paths[0]?.target, `${ACCT}:role/privesc-AssumeRole-ending-role`);
  assert.equal(byName('privesc-AssumeRole-ending-role', 'role')?.allowedEverything, true);
  // A user with no policy of its own cannot start the chain (the starting role trusts only an SSO session).
  assert.equal(byName('privesc-AssumeRole-start-user', 'user')?.canEscalate, false);
});

test('IAM-Vulnerable: the export of two accounts is one universe; cross-account trust is reported', () => {
  const r = report();
  assert.deepEqual([...r.accounts].sort(), ['012345678901', '200611803367']);
  assert.ok(r.principals.some((p) => p.arn === 'arn:aws:iam::012345678901:user/obama' && p.allowedEverything));
  const cross = r.findings.filter((f) => f.code === 'CROSS_ACCOUNT_ACCESS');
  assert.ok(cross.some((f) => f.subject === `${ACCT}:role/OrganizationAccountAccessRole` && /072528804237/.test(f.message)));
  assert.equal(r.findings.filter((f) => f.code === 'PUBLIC_ACCESS').length, 0);
});
