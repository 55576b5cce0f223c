/** Privilege escalation judged across all the policies of one principal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lintPolicies } from './lint.js';

const pass = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::*:role/*',
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
  ],
});
const train = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:CreateProcessingJob', Resource: '*' }] });

test('PassRole in one policy and CreateProcessingJob in another: reported once, in the policy with the SageMaker action', () => {
  const findings = lintPolicies([
    { name: 'pass-role.json', text: pass, type: 'identity' },
    { name: 'jobs.json', text: train, type: 'identity' },
  ]);
  const esc = findings.filter((f) => f.issueCode === 'PRIVILEGE_ESCALATION');
  assert.equal(esc.length, 1);
  assert.equal(esc[0]?.file, 'jobs.json');
  assert.match(esc[0]?.message ?? '', /pass-role\.json Statement\[0\]/);
  assert.deepEqual(esc[0]?.path, ['Statement', 0, 'Action']);
});

test('each policy alone is not an escalation', () => {
  for (const [name, text] of [
    ['a', pass],
    ['b', train],
  ] as const) {
    assert.deepEqual(
      lintPolicies([{ name, text, type: 'identity' }]).map((f) => f.issueCode),
      [],
    );
  }
});

test('a permissions boundary that does not allow the action removes the path', () => {
  const boundary = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 's3:*'], Resource: '*' }] });
  const findings = lintPolicies([
    { name: 'pass-role.json', text: pass, type: 'identity' },
    { name: 'jobs.json', text: train, type: 'identity' },
    { name: 'boundary.json', text: boundary, type: 'boundary' },
  ]);
  assert.equal(findings.filter((f) => f.issueCode === 'PRIVILEGE_ESCALATION').length, 0);
});

test('findings of every document are kept, with their own file names', () => {
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: '', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const findings = lintPolicies([
    { name: 'trust.json', text: trust, type: 'trust' },
    { name: 'broken.json', text: '{', type: 'identity' },
  ]);
  assert.deepEqual(findings.map((f) => `${f.file ?? ''} ${f.issueCode}`).sort(), ['broken.json JSON_SYNTAX_ERROR', 'trust.json EMPTY_SID_VALUE']);
});

/**
 * lint --principal on IAM-Vulnerable's principals (test/fixtures/iam-vulnerable, from cloudsplaining's
 * examples, BSD-3): each escalation user's policies are flagged, none of the false-positive users' are.
 */
const VULN = JSON.parse(readFileSync(fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url)), 'utf8')) as {
  UserDetailList: { UserName: string; GroupList?: string[]; AttachedManagedPolicies?: { PolicyArn: string }[] }[];
  GroupDetailList: { GroupName: string; AttachedManagedPolicies?: { PolicyArn: string }[] }[];
  Policies: { Arn: string; DefaultVersionId: string; PolicyVersionList: { VersionId: string; Document: unknown }[] }[];
};

function userDocs(name: string): { name: string; text: string; type: 'identity' }[] {
  const u = VULN.UserDetailList.find((x) => x.UserName === name);
  assert.ok(u, name);
  const groups = VULN.GroupDetailList.filter((g) => u.GroupList?.includes(g.GroupName));
  const arns = [...(u.AttachedManagedPolicies ?? []), ...groups.flatMap((g) => g.AttachedManagedPolicies ?? [])].map((p) => p.PolicyArn);
  return arns.map((arn) => {
    const p = VULN.Policies.find((x) => x.Arn === arn);
    const v = p?.PolicyVersionList.find((x) => x.VersionId === p.DefaultVersionId);
    assert.ok(v, arn);
    return { name: arn.slice(arn.lastIndexOf('/') + 1), text: JSON.stringify(v.Document), type: 'identity' as const };
  });
}

test('IAM-Vulnerable: every escalation user is flagged by lint --principal, no false-positive user is', () => {
  const users = VULN.UserDetailList.map((u) => u.UserName).filter((n) => /^(privesc|fn|fp)/.test(n) && n !== 'privesc-AssumeRole-start-user');
  assert.ok(users.length >= 40);
  for (const name of users) {
    const esc = lintPolicies(userDocs(name)).filter((f) => f.issueCode === 'PRIVILEGE_ESCALATION');
    if (name.startsWith('fp'))
      assert.deepEqual(
        esc.map((f) => f.message),
        [],
        name,
      );
    else assert.ok(esc.length > 0, `${name} not flagged`);
  }
});
