import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { fixture, tempFile } from '../test-support.test.js';
import { buildBatch, parseFiles } from './index.js';

function load(files: string[]) {
  const out: Diagnostic[] = [];
  const inputs = parseFiles(files, {}, out);
  const batch = buildBatch(inputs, undefined, out);
  return { out, batch, inputs };
}

test('imports get-account-authorization-details as the AWS CLI prints it', () => {
  const { out, batch, inputs } = load([fixture('authorization-details.json')]);
  assert.deepEqual(out, []);
  assert.deepEqual(
    inputs.formats.map((f) => f.format),
    ['authorization-details'],
  );
  const [account] = batch.accounts;
  assert.ok(account);
  assert.equal(account.id, '111122223333');
  assert.deepEqual(
    account.users.map((u) => [u.name, u.groups, u.tags]),
    [['alice', ['DataScientists'], [{ key: 'team', value: 'ml-research' }]]],
  );
  assert.deepEqual(
    account.groups[0]?.managedPolicies.map((p) => p.name),
    ['AmazonSageMakerReadOnly'],
  );

  const job = account.roles.find((r) => r.name === 'NotebookJobExecutionRole');
  assert.ok(job);
  assert.equal(job.permissionsBoundary, 'arn:aws:iam::111122223333:policy/MLPermissionsBoundary');
  assert.equal(job.maxSessionDuration, 3600);
  // Trust and permissions come from the seed (SageMaker notebook job docs).
  const trust = JSON.parse(job.trustPolicy) as { Statement: { Principal: { Service: string } }[] };
  assert.deepEqual(
    trust.Statement.map((s) => s.Principal.Service),
    ['sagemaker.amazonaws.com', 'events.amazonaws.com'],
  );
  assert.equal(job.inlinePolicies[0]?.name, 'NotebookJobPermissions');
  assert.match(job.inlinePolicies[0]?.document ?? '', /iam:PassedToService/);
  // The document text is the exact slice of the file, located by line.
  const origin = job.inlinePolicies[0]?.origin;
  assert.ok(origin);
  const line = readFileSync(fixture('authorization-details.json'), 'utf8').split('\n')[origin.line - 1] ?? '';
  assert.match(line, /"PolicyDocument": \{/);

  const studio = account.roles.find((r) => r.path === '/service-role/');
  assert.deepEqual(
    studio?.managedPolicies.map((p) => p.name),
    ['AmazonSageMakerFullAccess', 'StudioS3Access'],
  );
  // Customer-managed: the default version (v2) is the document.
  const s3 = account.managedPolicies.find((p) => p.name === 'StudioS3Access');
  assert.equal(s3?.defaultVersionId, 'v2');
  assert.match(s3?.document ?? '', /s3:ListBucket/);
  assert.equal(s3?.versions.length, 2);
  // AWS managed policies named in the file are resolved offline and stored with the account.
  const names = account.managedPolicies.map((p) => p.name).sort();
  assert.deepEqual(names, ['AmazonSageMakerFullAccess', 'AmazonSageMakerReadOnly', 'MLPermissionsBoundary', 'StudioS3Access']);
  assert.ok(account.managedPolicies.find((p) => p.name === 'AmazonSageMakerFullAccess')?.awsManaged);
});

test('decodes URL-encoded documents as the raw API returns them', () => {
  const { out, batch } = load([fixture('authorization-details-raw-api.json')]);
  assert.deepEqual(out, []);
  const role = batch.accounts[0]?.roles[0];
  assert.equal(role?.name, 'RawNotebookRole');
  assert.match(role?.trustPolicy ?? '', /"sts:AssumeRole"/);
  assert.match(role?.inlinePolicies[0]?.document ?? '', /"iam:PassRole"/);
  const local = batch.accounts[0]?.managedPolicies[0];
  assert.match(local?.document ?? '', /arn:aws:kms:us-east-1:555566667777:key\/1234abcd/);
});

function roleFile(attached: { PolicyName: string; PolicyArn: string }[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      RoleDetailList: [
        {
          Path: '/',
          RoleName: 'R',
          Arn: 'arn:aws:iam::123456789012:role/R',
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
          RolePolicyList: [],
          AttachedManagedPolicies: attached,
          Tags: [],
        },
      ],
      ...extra,
    },
    null,
    2,
  );
}

test('an unknown AWS managed policy is an error naming the role and policy, with its position', () => {
  const text = roleFile([{ PolicyName: 'AmazonSageMakerFullAcess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSageMakerFullAcess' }]);
  const file = tempFile('details.json', text);
  // The attachment object opens on the line before its PolicyName.
  const expectedLine = text.split('\n').findIndex((l) => l.includes('"PolicyName": "AmazonSageMakerFullAcess"'));
  const { out } = load([file]);
  assert.equal(out.length, 1);
  const d = out[0];
  assert.equal(d?.code, 'UNKNOWN_AWS_MANAGED_POLICY');
  assert.equal(d?.severity, 'error');
  assert.match(d?.message ?? '', /role R: managed policy arn:aws:iam::aws:policy\/AmazonSageMakerFullAcess/);
  assert.equal(d?.file, file);
  assert.deepEqual(d?.path, ['RoleDetailList', 0, 'AttachedManagedPolicies', 0]);
  assert.equal(d?.line, expectedLine);
  assert.equal(d?.column, 9);
});

test('a customer-managed policy missing from the input is an error', () => {
  const file = tempFile('details.json', roleFile([{ PolicyName: 'Gone', PolicyArn: 'arn:aws:iam::123456789012:policy/Gone' }]));
  const { out } = load([file]);
  assert.deepEqual(
    out.map((d) => d.code),
    ['MANAGED_POLICY_NOT_FOUND'],
  );
});

test('a user in an undefined group and truncation are reported; an export of several accounts is one account each', () => {
  const user = tempFile(
    'u.json',
    JSON.stringify({
      UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::123456789012:user/u', GroupList: ['Nope'] }],
      IsTruncated: true,
    }),
  );
  const r = load([user]);
  assert.deepEqual(
    r.out.map((d) => [d.code, d.severity]),
    [
      ['TRUNCATED_OUTPUT', 'error'],
      ['GROUP_NOT_FOUND', 'error'],
    ],
  );
  const mixed = tempFile(
    'm.json',
    JSON.stringify({
      UserDetailList: [
        { UserName: 'u', Arn: 'arn:aws:iam::123456789012:user/u' },
        { UserName: 'v', Arn: 'arn:aws:iam::210987654321:user/v' },
      ],
    }),
  );
  const split = load([mixed]);
  assert.deepEqual(split.out, []);
  assert.deepEqual(
    split.inputs.accounts.map((a) => [a.id, a.users.map((x) => x.name)]),
    [
      ['123456789012', ['u']],
      ['210987654321', ['v']],
    ],
  );
});

test('a default version missing from PolicyVersionList is an error', () => {
  const file = tempFile(
    'p.json',
    JSON.stringify({
      Policies: [
        {
          PolicyName: 'P',
          Arn: 'arn:aws:iam::123456789012:policy/P',
          DefaultVersionId: 'v3',
          PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: false, Document: { Version: '2012-10-17', Statement: [] } }],
        },
      ],
    }),
  );
  assert.deepEqual(
    load([file]).out.map((d) => d.code),
    ['DEFAULT_VERSION_MISSING'],
  );
});

// Issue 11: a partial import (IsTruncated: true) must not replace the account with partial data.
test('issue 11: a truncated page alone is refused; all pages in one import are accepted', () => {
  const page1 = tempFile(
    'page1.json',
    JSON.stringify({
      UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::123456789012:user/u' }],
      IsTruncated: true,
      Marker: 'AAAA',
    }),
  );
  const page2 = tempFile(
    'page2.json',
    JSON.stringify({
      RoleDetailList: [
        { RoleName: 'r', Arn: 'arn:aws:iam::123456789012:role/r', Path: '/', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } },
      ],
      IsTruncated: false,
    }),
  );
  const alone = load([page1]);
  const err = alone.out.find((d) => d.code === 'TRUNCATED_OUTPUT');
  assert.equal(err?.severity, 'error');
  assert.match(err?.message ?? '', /page1\.json/);
  assert.match(err?.message ?? '', /all pages/);
  const both = load([page1, page2]);
  assert.deepEqual(
    both.out.filter((d) => d.severity === 'error'),
    [],
  );
  assert.deepEqual(
    both.batch.accounts[0]?.users.map((u) => u.name),
    ['u'],
  );
  assert.deepEqual(
    both.batch.accounts[0]?.roles.map((x) => x.name),
    ['r'],
  );
  // The AWS CLI's own pagination token marks a partial output too.
  const cli = tempFile('cli.json', JSON.stringify({ UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::123456789012:user/u' }], NextToken: 'abc' }));
  assert.equal(load([cli]).out.find((d) => d.code === 'TRUNCATED_OUTPUT')?.severity, 'error');
});

test("an entity ARN without a 12-digit account: read as the file's one account with a warning; an error when the file has several", () => {
  const user = (arn: string, name: string) => ({
    Arn: arn,
    UserName: name,
    Path: '/',
    GroupList: [],
    UserPolicyList: [],
    AttachedManagedPolicies: [],
    Tags: [],
  });
  const role = (acct: string) => ({
    Arn: `arn:aws:iam::${acct}:role/r`,
    RoleName: 'r',
    Path: '/',
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
    RolePolicyList: [],
    AttachedManagedPolicies: [],
    Tags: [],
  });
  const one = tempFile('edited-arns.json', JSON.stringify({ UserDetailList: [user('arn:aws:iam::aws:user/u', 'u')], RoleDetailList: [role('111122223333')] }));
  const ok = load([one]);
  assert.deepEqual(
    ok.out.map((d) => [d.code, d.severity, d.line]),
    [['ENTITY_ARN_ACCOUNT', 'warning', 1]],
  );
  assert.deepEqual(
    ok.batch.accounts.map((a) => a.users.map((u) => u.arn)),
    [['arn:aws:iam::111122223333:user/u']],
  );
  const two = tempFile(
    'edited-arns-two.json',
    JSON.stringify({ UserDetailList: [user('arn:aws:iam::aws:user/u', 'u')], RoleDetailList: [role('111122223333'), role('444455556666')] }),
  );
  const bad = load([two]);
  assert.deepEqual(
    bad.out.filter((d) => d.severity === 'error').map((d) => d.code),
    ['ENTITY_ARN_ACCOUNT'],
  );
});

test("every member is read as AWS's model types it: a wrong type is an error at its line and column, the rest of the file is kept", () => {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  const text = JSON.stringify(
    {
      RoleDetailList: [
        { RoleName: 'ok', Arn: 'arn:aws:iam::123456789012:role/ok', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'ml' }] },
        {
          RoleName: 'bad',
          Arn: 'arn:aws:iam::123456789012:role/bad',
          AssumeRolePolicyDocument: trust,
          RolePolicyList: 'not a list',
          AttachedManagedPolicies: [7],
          Tags: [{ Key: 'no-value' }],
          CreateDate: true,
        },
      ],
      UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::123456789012:user/u', GroupList: ['g', true] }],
      GroupDetailList: [{ GroupName: 'g', Arn: 'arn:aws:iam::123456789012:group/g' }],
    },
    null,
    2,
  );
  const file = tempFile('typed.json', text);
  const { out, batch } = load([file]);
  const lines = text.split('\n');
  const lineOf = (line: string): number => lines.findIndex((l) => l.trim() === line) + 1;
  // In the model's member order (UserDetailList first; in RoleDetail, CreateDate before RolePolicyList); a structure's problem is at the structure.
  assert.deepEqual(
    out.map((d) => [d.code, d.severity, d.message, d.line]),
    [
      ['FIELD_TYPE', 'error', 'GroupList[1] must be a string', lineOf('true')],
      ['FIELD_TYPE', 'error', 'CreateDate must be a timestamp', lineOf('"CreateDate": true')],
      ['FIELD_TYPE', 'error', 'RolePolicyList must be a list', lineOf('"RolePolicyList": "not a list",')],
      ['FIELD_TYPE', 'error', 'AttachedManagedPolicies[0] must be an object', lineOf('7')],
      ['MISSING_FIELD', 'error', 'missing required field Value', lineOf('"Key": "no-value"') - 1],
    ],
  );
  assert.ok(out.every((d) => d.file === file && d.column > 0));
  // Everything else is kept: both roles (the bad one without what was wrong), the user in its valid group.
  const [account] = batch.accounts;
  assert.deepEqual(
    account?.roles.map((r) => [r.name, r.tags, r.inlinePolicies.length, r.managedPolicies.length]),
    [
      ['ok', [{ key: 'team', value: 'ml' }], 0, 0],
      ['bad', [], 0, 0],
    ],
  );
  assert.deepEqual(account?.users[0]?.groups, ['g']);
});
