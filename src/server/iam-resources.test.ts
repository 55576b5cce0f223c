/**
 * Instance profiles, OIDC and SAML providers and policy tags through the AWS
 * SDK for JavaScript, with IAM's documented errors (IAM API Reference, each
 * operation's Errors; IAM User Guide, "IAM and AWS STS quotas"): a role in an
 * instance profile cannot be deleted, a profile holds one role, the OIDC
 * client-ID edits and DeleteOpenIDConnectProvider are idempotent, TagPolicy
 * checks tags as TagRole does, and the entities survive a reload from the
 * store (SQLite file).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddClientIDToOpenIDConnectProviderCommand,
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  DeleteInstanceProfileCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  GetAccountAuthorizationDetailsCommand,
  GetInstanceProfileCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListInstanceProfilesCommand,
  ListPolicyTagsCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagPolicyCommand,
  UntagPolicyCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
} from '@aws-sdk/client-iam';
import { ACCOUNT, fixture, startTestServer, type Started } from './test-support.test.js';

let s: Started;
let iam: IAMClient;
let db: string;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

before(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'iamsim-resources-')), 'store.db');
  s = await startTestServer({}, [fixture('authorization-details.json')], db);
  iam = new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});
after(async () => {
  iam.destroy();
  await s.stop();
});

async function rejects(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  // The SDK names a modelled error by its shape (NoSuchEntityException for the code NoSuchEntity).
  await assert.rejects(p, (e: Error) => {
    assert.ok(e.name === name || e.name === `${name}Exception`, `${e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const THUMB = 'a'.repeat(40);

test('instance profiles: one role each, DeleteConflict both ways, NoSuchEntity, EntityAlreadyExists ignoring case; kept across a reload', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'IpRole', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new CreateRoleCommand({ RoleName: 'IpRole2', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'Ip' }));
  await rejects(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'IP' })), 'EntityAlreadyExists');
  await rejects(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'bad name' })), 'ValidationError', /regular expression pattern/);
  await rejects(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Ip', RoleName: 'Nobody' })), 'NoSuchEntity');
  await rejects(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Nope', RoleName: 'IpRole' })), 'NoSuchEntity');
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Ip', RoleName: 'IpRole' }));
  await rejects(
    iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'Ip', RoleName: 'IpRole2' })),
    'LimitExceeded',
    /InstanceSessionsPerInstanceProfile: 1/,
  );
  await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'IpRole' })), 'DeleteConflict', /instance profile/);
  await rejects(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'Ip' })), 'DeleteConflict');
  await rejects(iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'Ip', RoleName: 'IpRole2' })), 'NoSuchEntity');
  // The role's InstanceProfileList in get-account-authorization-details names it too (what the audit reads).
  const gaad = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
  const detail = gaad.RoleDetailList?.find((r) => r.RoleName === 'IpRole');
  assert.deepEqual(
    detail?.InstanceProfileList?.map((p) => p.Arn),
    [`arn:aws:iam::${ACCOUNT}:instance-profile/Ip`],
  );
  // A second server over the same database sees the profile (the store keeps it).
  const again = await startTestServer({}, [], db);
  const other = new IAMClient({ endpoint: again.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const got = await other.send(new GetInstanceProfileCommand({ InstanceProfileName: 'Ip' }));
    assert.deepEqual(
      got.InstanceProfile?.Roles?.map((r) => r.RoleName),
      ['IpRole'],
    );
    assert.ok(got.InstanceProfile?.CreateDate instanceof Date);
  } finally {
    other.destroy();
    await again.stop();
  }
  await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'Ip', RoleName: 'IpRole' }));
  await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'Ip' }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'IpRole' }));
  const left = await iam.send(new ListInstanceProfilesCommand({}));
  assert.ok(!(left.InstanceProfiles ?? []).some((p) => p.InstanceProfileName === 'Ip'));
});

test('OIDC providers: https:// required, client-ID edits and delete idempotent, thumbprints replaced, 100 client IDs at most', async () => {
  await rejects(
    iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'http://insecure.example.com', ThumbprintList: [THUMB] })),
    'InvalidInput',
    /https:\/\//,
  );
  const { OpenIDConnectProviderArn: arn } = await iam.send(
    new CreateOpenIDConnectProviderCommand({ Url: 'https://oidc.example.com/path', ThumbprintList: [THUMB] }),
  );
  assert.equal(arn, `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com/path`);
  await rejects(iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://oidc.example.com/path' })), 'EntityAlreadyExists');
  await rejects(
    iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ['short'] })),
    'ValidationError',
    /length greater than or equal to 40/,
  );
  await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'a' }));
  await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'a' }));
  await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'never-added' }));
  await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ['b'.repeat(40)] }));
  const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  assert.deepEqual(got.ClientIDList, ['a']);
  assert.deepEqual(got.ThumbprintList, ['b'.repeat(40)]);
  for (let i = 1; i < 100; i++) await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: `c${i}` }));
  await rejects(iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'one-too-many' })), 'LimitExceeded');
  await rejects(iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `${arn}x`, ClientID: 'a' })), 'NoSuchEntity');
  await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  await rejects(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), 'NoSuchEntity');
});

test('SAML metadata must be SAML 2.0 metadata (InvalidInput), at least 1,000 characters (ValidationError)', async () => {
  await rejects(iam.send(new CreateSAMLProviderCommand({ Name: 'Idp', SAMLMetadataDocument: `<html>${'x'.repeat(1000)}</html>` })), 'InvalidInput', /metadata/);
  await rejects(
    iam.send(new CreateSAMLProviderCommand({ Name: 'Idp', SAMLMetadataDocument: '<EntityDescriptor/>' })),
    'ValidationError',
    /length greater than or equal to 1000/,
  );
});

test('policy tags: TagPolicy validates as TagRole (aws: prefix, duplicates, 50 at most), keys case-insensitive, UntagPolicy', async () => {
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'Tagged',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
    }),
  );
  const arn = Policy!.Arn!;
  await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'team', Value: 'a' }] }));
  await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'Team', Value: 'b' }] }));
  assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'Team', Value: 'b' }]);
  await rejects(iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'aws:x', Value: 'a' }] })), 'InvalidInput');
  await rejects(
    iam.send(
      new TagPolicyCommand({
        PolicyArn: arn,
        Tags: [
          { Key: 'd', Value: '1' },
          { Key: 'D', Value: '2' },
        ],
      }),
    ),
    'InvalidInput',
  );
  const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
  await rejects(iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: many })), 'LimitExceeded');
  await rejects(iam.send(new TagPolicyCommand({ PolicyArn: `${arn}-nope`, Tags: [{ Key: 'a', Value: 'b' }] })), 'NoSuchEntity');
  await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['TEAM'] }));
  assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, []);
});
