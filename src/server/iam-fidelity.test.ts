/**
 * IAM behaviours real tools rely on, through the JS SDK and the AWS CLI:
 * tag validation (IAM API Reference, Tag; tag keys case-insensitive, `aws:`
 * reserved), DeletePolicy with non-default versions (DeleteConflict), dates
 * kept (imported CreateDate, a policy's CreateDate after v1 is deleted),
 * UpdateRole, ListInstanceProfilesForRole, STS GetCallerIdentity.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListInstanceProfilesForRoleCommand,
  ListRoleTagsCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
} from '@aws-sdk/client-iam';
import { ACCOUNT, postForm, startTestServer, type Started } from './test-support.test.js';

let s: Started;
let iam: IAMClient;
before(async () => {
  s = await startTestServer();
  iam = new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
});
after(async () => {
  iam.destroy();
  await s.stop();
});

const ROLE = 'NotebookJobExecutionRole';
const DOC = (action: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

async function rejects(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('TagRole refuses bad characters, the aws: prefix, a missing Value and case-insensitive duplicate keys, and changes nothing', async () => {
  const before = (await iam.send(new ListRoleTagsCommand({ RoleName: ROLE }))).Tags ?? [];
  await rejects(iam.send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'bad#key', Value: 'x' }] })), 'ValidationError', /regular expression pattern/);
  await rejects(iam.send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'ok', Value: 'bad#value' }] })), 'ValidationError', /regular expression pattern/);
  await rejects(iam.send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'aws:team', Value: 'x' }] })), 'InvalidInputException', /aws:/);
  await rejects(iam.send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'AWS:team', Value: 'x' }] })), 'InvalidInputException', /aws:/);
  await rejects(
    iam.send(
      new TagRoleCommand({
        RoleName: ROLE,
        Tags: [
          { Key: 'Dup', Value: 'a' },
          { Key: 'dup', Value: 'b' },
        ],
      }),
    ),
    'InvalidInputException',
    /Duplicate tag keys/,
  );
  const missing = await postForm(s.url, { Action: 'TagRole', RoleName: ROLE, 'Tags.member.1.Key': 'team' });
  assert.equal(missing.status, 400);
  assert.match(missing.text, /<Code>ValidationError<\/Code>[\s\S]*tags\.1\.member\.value[\s\S]*must not be null/);
  assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: ROLE }))).Tags ?? [], before);
  // Keys are case-insensitive: Team replaces team; untagging TEAM removes it.
  await iam.send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'team', Value: 'a' }] }));
  await iam.send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'Team', Value: 'b' }] }));
  const tags = (await iam.send(new ListRoleTagsCommand({ RoleName: ROLE }))).Tags ?? [];
  assert.deepEqual(
    tags.filter((t) => t.Key?.toLowerCase() === 'team'),
    [{ Key: 'Team', Value: 'b' }],
  );
  await iam.send(new UntagRoleCommand({ RoleName: ROLE, TagKeys: ['TEAM'] }));
  assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: ROLE }))).Tags ?? [], before);
});

test('DeletePolicy while non-default versions exist is DeleteConflict; the CreateDate stays when v1 is deleted', async () => {
  const created = (await iam.send(new CreatePolicyCommand({ PolicyName: 'Versioned', PolicyDocument: DOC('s3:GetObject') }))).Policy!;
  const arn = created.Arn!;
  await new Promise((r) => setTimeout(r, 1100)); // the next version gets a later second
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: DOC('s3:PutObject'), SetAsDefault: true }));
  await rejects(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflictException', /non-default versions/);
  assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, 'v2');
  await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
  const after = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
  assert.equal(after.CreateDate?.toISOString(), created.CreateDate?.toISOString());
  assert.ok(after.UpdateDate! > after.CreateDate!, 'UpdateDate is the v2 date');
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  await rejects(iam.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntityException');
});

test('imported users, groups, roles and policies keep their CreateDate', async () => {
  const role = (await iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role!;
  assert.equal(role.CreateDate?.toISOString(), '2024-01-11T09:00:00.000Z');
  const user = (await iam.send(new GetUserCommand({ UserName: 'alice' }))).User!;
  assert.equal(user.CreateDate?.toISOString(), '2024-01-10T09:00:00.000Z');
  const group = (await iam.send(new GetGroupCommand({ GroupName: 'DataScientists' }))).Group!;
  assert.equal(group.CreateDate?.toISOString(), '2024-01-10T09:00:00.000Z');
  const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/StudioS3Access` }))).Policy!;
  assert.equal(policy.CreateDate?.toISOString(), '2024-01-10T09:00:00.000Z');
  assert.equal(policy.UpdateDate?.toISOString(), '2024-02-01T09:00:00.000Z');
});

test('UpdateRole and UpdateRoleDescription; ListInstanceProfilesForRole', async () => {
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'Updatable',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await iam.send(new UpdateRoleCommand({ RoleName: 'Updatable', MaxSessionDuration: 7200, Description: 'first' }));
  let r = (await iam.send(new GetRoleCommand({ RoleName: 'Updatable' }))).Role!;
  assert.equal(r.MaxSessionDuration, 7200);
  assert.equal(r.Description, 'first');
  const d = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'Updatable', Description: 'second' }));
  assert.equal(d.Role?.Description, 'second');
  r = (await iam.send(new GetRoleCommand({ RoleName: 'Updatable' }))).Role!;
  assert.equal(r.MaxSessionDuration, 7200);
  await rejects(
    iam.send(new UpdateRoleCommand({ RoleName: 'Updatable', MaxSessionDuration: 100 })),
    'ValidationError',
    /Member must have value greater than or equal to 3600/,
  );
  await rejects(iam.send(new UpdateRoleCommand({ RoleName: 'Nobody', Description: 'x' })), 'NoSuchEntityException');
  const profiles = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'Updatable' }));
  assert.deepEqual(profiles.InstanceProfiles, []);
  assert.equal(profiles.IsTruncated, false);
  await rejects(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'Nobody' })), 'NoSuchEntityException');
});

test('aws sts get-caller-identity answers the account the request acts in', async (t) => {
  if (!existsSync('/usr/bin/aws')) {
    t.skip('no AWS CLI at /usr/bin/aws');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-sts-'));
  writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\noutput = json\n');
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const { stdout } = await promisify(execFile)('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', s.url], { env });
  assert.deepEqual(JSON.parse(stdout), { UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
});
