/**
 * Every entity kind through the real AWS CLI (/usr/bin/aws; Debian's awscli v2
 * in CI): create, get, list, tag and delete users, groups, roles, managed
 * policies and their versions, instance profiles, OIDC and SAML providers —
 * each answered in AWS's shape (the CLI parses every response with botocore's
 * model of IAM) and with AWS's errors (NoSuchEntity, EntityAlreadyExists,
 * DeleteConflict, LimitExceeded, ValidationError); an operation iamsim does
 * not implement is NotImplemented (501), not a 404.
 * In CI (CI=true) a missing CLI fails the test; elsewhere it is skipped.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AWS_V2 as AWS, awsCliEnv, cliAvailable } from './aws-cli-support.test.js';
import { startTestServer, type Started } from './test-support.test.js';

const run = promisify(execFile);
const FIXTURE_ROOT = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const ACCOUNT = '111122223333';

let s: Started;
let env: NodeJS.ProcessEnv;

before(async () => {
  s = await startTestServer();
  env = awsCliEnv('iamsim-awscli-entities-', { AWS_MAX_ATTEMPTS: '1' });
});
after(() => s.stop());

function available(t: { skip: (m: string) => void }): boolean {
  return cliAvailable(t, AWS, `the AWS CLI (${AWS})`);
}

/** `aws iam ARGS --endpoint-url URL`: the parsed JSON output (or undefined for none); a failure throws with the CLI's message. */
async function iam(...args: string[]): Promise<Record<string, unknown>> {
  try {
    const r = await run(AWS, ['iam', ...args, '--endpoint-url', s.url], { env, maxBuffer: 16 * 1024 * 1024 });
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
  } catch (e) {
    const x = e as { stderr?: string };
    throw new Error(x.stderr ?? String(e));
  }
}

/** The call fails with AWS's error code (the CLI prints `(Code) when calling the Op operation`). */
async function fails(code: string, ...args: string[]): Promise<void> {
  await assert.rejects(iam(...args), (e: Error) => new RegExp(`\\(${code}\\) when calling`).test(e.message), `${args.join(' ')} → ${code}`);
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const POLICY = (action: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const THUMB = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';
/** SAML 2.0 metadata (IAM requires at least 1,000 characters). */
const METADATA = `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml" validUntil="2031-01-01T00:00:00Z"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${'A'.repeat(800)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;

const names = (list: unknown, field: string): string[] => (list as Record<string, string>[]).map((x) => x[field]!);

test('users, groups and roles: create, get, list, tag, membership, delete (aws iam)', async (t) => {
  if (!available(t)) return;
  const user = (await iam('create-user', '--user-name', 'CliUser', '--tags', 'Key=team,Value=ml')) as { User: { Arn: string } };
  assert.equal(user.User.Arn, `arn:aws:iam::${ACCOUNT}:user/CliUser`);
  assert.ok(names((await iam('list-users')).Users, 'UserName').includes('CliUser'));
  assert.deepEqual((await iam('list-user-tags', '--user-name', 'CliUser')).Tags, [{ Key: 'team', Value: 'ml' }]);
  await iam('create-group', '--group-name', 'CliGroup');
  await iam('add-user-to-group', '--group-name', 'CliGroup', '--user-name', 'CliUser');
  assert.deepEqual(names((await iam('get-group', '--group-name', 'CliGroup')).Users, 'UserName'), ['CliUser']);
  await fails('DeleteConflict', 'delete-group', '--group-name', 'CliGroup');
  await iam('remove-user-from-group', '--group-name', 'CliGroup', '--user-name', 'CliUser');
  await iam('delete-group', '--group-name', 'CliGroup');
  await iam('delete-user', '--user-name', 'CliUser');
  await fails('NoSuchEntity', 'get-user', '--user-name', 'CliUser');

  await iam('create-role', '--role-name', 'CliEc2Role', '--assume-role-policy-document', TRUST, '--description', 'for EC2');
  await iam('tag-role', '--role-name', 'CliEc2Role', '--tags', 'Key=team,Value=ml');
  await fails('ValidationError', 'tag-role', '--role-name', 'CliEc2Role', '--tags', 'Key=bad#key,Value=x');
  const role = (await iam('get-role', '--role-name', 'CliEc2Role')) as { Role: { Description: string; Tags: unknown } };
  assert.equal(role.Role.Description, 'for EC2');
  assert.deepEqual(role.Role.Tags, [{ Key: 'team', Value: 'ml' }]);
  assert.ok(names((await iam('list-roles')).Roles, 'RoleName').includes('CliEc2Role'));
  await iam('delete-role', '--role-name', 'CliEc2Role');
});

test('managed policies, their versions and tags: create, get, list, tag, delete (aws iam)', async (t) => {
  if (!available(t)) return;
  const created = (await iam('create-policy', '--policy-name', 'CliPolicy', '--policy-document', POLICY('s3:GetObject'), '--tags', 'Key=owner,Value=ml')) as {
    Policy: { Arn: string; Tags: unknown };
  };
  const arn = created.Policy.Arn;
  assert.equal(arn, `arn:aws:iam::${ACCOUNT}:policy/CliPolicy`);
  assert.deepEqual(created.Policy.Tags, [{ Key: 'owner', Value: 'ml' }]);
  await iam('tag-policy', '--policy-arn', arn, '--tags', 'Key=env,Value=dev', 'Key=Owner,Value=data');
  assert.deepEqual((await iam('list-policy-tags', '--policy-arn', arn)).Tags, [
    { Key: 'Owner', Value: 'data' },
    { Key: 'env', Value: 'dev' },
  ]);
  await iam('create-policy-version', '--policy-arn', arn, '--policy-document', POLICY('s3:PutObject'), '--set-as-default');
  assert.deepEqual(names((await iam('list-policy-versions', '--policy-arn', arn)).Versions, 'VersionId').sort(), ['v1', 'v2']);
  const v2 = (await iam('get-policy-version', '--policy-arn', arn, '--version-id', 'v2')) as {
    PolicyVersion: { Document: unknown; IsDefaultVersion: boolean };
  };
  assert.deepEqual(v2.PolicyVersion.Document, JSON.parse(POLICY('s3:PutObject')));
  assert.equal(v2.PolicyVersion.IsDefaultVersion, true);
  await fails('DeleteConflict', 'delete-policy', '--policy-arn', arn);
  await iam('delete-policy-version', '--policy-arn', arn, '--version-id', 'v1');
  assert.ok(names((await iam('list-policies', '--scope', 'Local')).Policies, 'PolicyName').includes('CliPolicy'));
  await iam('delete-policy', '--policy-arn', arn);
  await fails('NoSuchEntity', 'get-policy', '--policy-arn', arn);
});

test('instance profiles: create, add/remove role, get, list, tag, delete (aws iam)', async (t) => {
  if (!available(t)) return;
  await iam('create-role', '--role-name', 'CliProfileRole', '--assume-role-policy-document', TRUST);
  const created = (await iam('create-instance-profile', '--instance-profile-name', 'CliProfile', '--path', '/ml/', '--tags', 'Key=team,Value=ml')) as {
    InstanceProfile: { Arn: string; InstanceProfileId: string; Roles: unknown[] };
  };
  assert.equal(created.InstanceProfile.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/ml/CliProfile`);
  assert.match(created.InstanceProfile.InstanceProfileId, /^AIPA[A-Z2-7]{17}$/);
  assert.deepEqual(created.InstanceProfile.Roles, []);
  await iam('add-role-to-instance-profile', '--instance-profile-name', 'CliProfile', '--role-name', 'CliProfileRole');
  await fails('LimitExceeded', 'add-role-to-instance-profile', '--instance-profile-name', 'CliProfile', '--role-name', 'CliProfileRole');
  const got = (await iam('get-instance-profile', '--instance-profile-name', 'CliProfile')) as { InstanceProfile: { Roles: unknown } };
  assert.deepEqual(names(got.InstanceProfile.Roles, 'RoleName'), ['CliProfileRole']);
  assert.deepEqual(names((await iam('list-instance-profiles-for-role', '--role-name', 'CliProfileRole')).InstanceProfiles, 'InstanceProfileName'), [
    'CliProfile',
  ]);
  assert.deepEqual(names((await iam('list-instance-profiles', '--path-prefix', '/ml/')).InstanceProfiles, 'InstanceProfileName'), ['CliProfile']);
  await iam('tag-instance-profile', '--instance-profile-name', 'CliProfile', '--tags', 'Key=env,Value=dev');
  assert.deepEqual(names((await iam('list-instance-profile-tags', '--instance-profile-name', 'CliProfile')).Tags, 'Key'), ['team', 'env']);
  await fails('DeleteConflict', 'delete-instance-profile', '--instance-profile-name', 'CliProfile');
  await iam('remove-role-from-instance-profile', '--instance-profile-name', 'CliProfile', '--role-name', 'CliProfileRole');
  await iam('delete-instance-profile', '--instance-profile-name', 'CliProfile');
  await iam('delete-role', '--role-name', 'CliProfileRole');
  await fails('NoSuchEntity', 'get-instance-profile', '--instance-profile-name', 'CliProfile');
});

test('OIDC and SAML providers: create, get, list, client IDs, tags, delete (aws iam)', async (t) => {
  if (!available(t)) return;
  const url = 'https://token.actions.githubusercontent.com';
  const created = (await iam(
    'create-open-id-connect-provider',
    '--url',
    url,
    '--client-id-list',
    'sts.amazonaws.com',
    '--thumbprint-list',
    THUMB,
    '--tags',
    'Key=ci,Value=gh',
  )) as {
    OpenIDConnectProviderArn: string;
  };
  const arn = created.OpenIDConnectProviderArn;
  assert.equal(arn, `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`);
  await fails('EntityAlreadyExists', 'create-open-id-connect-provider', '--url', url, '--thumbprint-list', THUMB);
  await iam('add-client-id-to-open-id-connect-provider', '--open-id-connect-provider-arn', arn, '--client-id', 'my-app');
  const got = (await iam('get-open-id-connect-provider', '--open-id-connect-provider-arn', arn)) as Record<string, unknown>;
  assert.equal(got['Url'], 'token.actions.githubusercontent.com');
  assert.deepEqual(got['ClientIDList'], ['sts.amazonaws.com', 'my-app']);
  assert.deepEqual(got['ThumbprintList'], [THUMB]);
  assert.deepEqual(got['Tags'], [{ Key: 'ci', Value: 'gh' }]);
  assert.deepEqual((await iam('list-open-id-connect-providers')).OpenIDConnectProviderList, [{ Arn: arn }]);
  await iam('delete-open-id-connect-provider', '--open-id-connect-provider-arn', arn);
  await fails('NoSuchEntity', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', arn);

  const saml = (
    (await iam('create-saml-provider', '--name', 'CliIdP', '--saml-metadata-document', METADATA, '--tags', 'Key=team,Value=it')) as { SAMLProviderArn: string }
  ).SAMLProviderArn;
  assert.equal(saml, `arn:aws:iam::${ACCOUNT}:saml-provider/CliIdP`);
  const samlGot = (await iam('get-saml-provider', '--saml-provider-arn', saml)) as Record<string, unknown>;
  assert.equal(samlGot['SAMLMetadataDocument'], METADATA);
  assert.match(String(samlGot['ValidUntil']), /^2031-01-01T00:00:00/);
  assert.deepEqual(names((await iam('list-saml-providers')).SAMLProviderList, 'Arn'), [saml]);
  assert.deepEqual((await iam('list-saml-provider-tags', '--saml-provider-arn', saml)).Tags, [{ Key: 'team', Value: 'it' }]);
  await iam('delete-saml-provider', '--saml-provider-arn', saml);
  await fails('NoSuchEntity', 'delete-saml-provider', '--saml-provider-arn', saml);
});

test('access keys and login profiles: create, list, get, update, delete; quotas and DeleteConflict (aws iam)', async (t) => {
  if (!available(t)) return;
  await iam('create-user', '--user-name', 'KeyUser');
  const created = (await iam('create-access-key', '--user-name', 'KeyUser')) as { AccessKey: Record<string, string> };
  const key = created.AccessKey;
  assert.match(key['AccessKeyId']!, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(key['SecretAccessKey']!.length, 40, 'the secret is answered once, at creation');
  assert.equal(key['Status'], 'Active');
  await iam('create-access-key', '--user-name', 'KeyUser');
  await fails('LimitExceeded', 'create-access-key', '--user-name', 'KeyUser');
  const listed = (await iam('list-access-keys', '--user-name', 'KeyUser')).AccessKeyMetadata as Record<string, unknown>[];
  assert.equal(listed.length, 2);
  assert.ok(
    listed.every((k) => !('SecretAccessKey' in k)),
    'the secret is never listed',
  );
  assert.deepEqual(await iam('get-access-key-last-used', '--access-key-id', key['AccessKeyId']!), {
    UserName: 'KeyUser',
    AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' },
  });
  await iam('update-access-key', '--user-name', 'KeyUser', '--access-key-id', key['AccessKeyId']!, '--status', 'Inactive');
  const after = (await iam('list-access-keys', '--user-name', 'KeyUser')).AccessKeyMetadata as Record<string, string>[];
  assert.equal(after.find((k) => k['AccessKeyId'] === key['AccessKeyId'])?.['Status'], 'Inactive');
  await fails('NoSuchEntity', 'delete-access-key', '--user-name', 'KeyUser', '--access-key-id', 'AKIAAAAAAAAAAAAAAAAA');
  await fails('NoSuchEntity', 'list-access-keys', '--user-name', 'NoSuchUser');

  await fails('NoSuchEntity', 'get-login-profile', '--user-name', 'KeyUser');
  await fails('PasswordPolicyViolation', 'create-login-profile', '--user-name', 'KeyUser', '--password', 'short');
  const profile = (await iam('create-login-profile', '--user-name', 'KeyUser', '--password', 'Corr3ct-Horse', '--password-reset-required')) as {
    LoginProfile: Record<string, unknown>;
  };
  assert.equal(profile.LoginProfile['UserName'], 'KeyUser');
  assert.equal(profile.LoginProfile['PasswordResetRequired'], true);
  assert.ok(!JSON.stringify(profile).includes('Corr3ct-Horse'), 'the password is never answered');
  await fails('EntityAlreadyExists', 'create-login-profile', '--user-name', 'KeyUser', '--password', 'Corr3ct-Horse');
  await iam('update-login-profile', '--user-name', 'KeyUser', '--no-password-reset-required');
  const updated = (await iam('get-login-profile', '--user-name', 'KeyUser')) as { LoginProfile: Record<string, unknown> };
  assert.equal(updated.LoginProfile['PasswordResetRequired'], false);

  // DeleteUser refuses while the user has credentials (DeleteConflict), then succeeds.
  await fails('DeleteConflict', 'delete-user', '--user-name', 'KeyUser');
  for (const k of listed) await iam('delete-access-key', '--user-name', 'KeyUser', '--access-key-id', String(k['AccessKeyId']));
  await fails('DeleteConflict', 'delete-user', '--user-name', 'KeyUser');
  await iam('delete-login-profile', '--user-name', 'KeyUser');
  await fails('NoSuchEntity', 'delete-login-profile', '--user-name', 'KeyUser');
  await iam('delete-user', '--user-name', 'KeyUser');
});

test('virtual MFA devices: create, enable, list, tag, deactivate, delete (aws iam)', async (t) => {
  if (!available(t)) return;
  await iam('create-user', '--user-name', 'MfaUser');
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-mfa-'));
  const seedFile = join(dir, 'seed.txt');
  const created = (await iam(
    'create-virtual-mfa-device',
    '--virtual-mfa-device-name',
    'MfaUserDevice',
    '--outfile',
    seedFile,
    '--bootstrap-method',
    'Base32StringSeed',
  )) as {
    VirtualMFADevice: { SerialNumber: string };
  };
  const serial = created.VirtualMFADevice.SerialNumber;
  assert.equal(serial, `arn:aws:iam::${ACCOUNT}:mfa/MfaUserDevice`);
  assert.match(readFileSync(seedFile, 'utf8'), /^[A-Z2-7]{64}$/, 'the CLI wrote the base32 seed IAM answers once');
  await fails(
    'EntityAlreadyExists',
    'create-virtual-mfa-device',
    '--virtual-mfa-device-name',
    'MfaUserDevice',
    '--outfile',
    seedFile,
    '--bootstrap-method',
    'Base32StringSeed',
  );
  assert.deepEqual(names((await iam('list-virtual-mfa-devices', '--assignment-status', 'Unassigned')).VirtualMFADevices, 'SerialNumber'), [serial]);
  await iam('enable-mfa-device', '--user-name', 'MfaUser', '--serial-number', serial, '--authentication-code1', '123456', '--authentication-code2', '654321');
  const devices = (await iam('list-mfa-devices', '--user-name', 'MfaUser')).MFADevices as Record<string, string>[];
  assert.deepEqual(
    devices.map((d) => [d['UserName'], d['SerialNumber']]),
    [['MfaUser', serial]],
  );
  const assigned = (await iam('list-virtual-mfa-devices', '--assignment-status', 'Assigned')).VirtualMFADevices as { User: { UserName: string } }[];
  assert.equal(assigned[0]?.User.UserName, 'MfaUser');
  await iam('tag-mfa-device', '--serial-number', serial, '--tags', 'Key=team,Value=ml');
  assert.deepEqual((await iam('list-mfa-device-tags', '--serial-number', serial)).Tags, [{ Key: 'team', Value: 'ml' }]);
  await fails('DeleteConflict', 'delete-virtual-mfa-device', '--serial-number', serial);
  await fails('DeleteConflict', 'delete-user', '--user-name', 'MfaUser');
  await iam('deactivate-mfa-device', '--user-name', 'MfaUser', '--serial-number', serial);
  await fails('NoSuchEntity', 'deactivate-mfa-device', '--user-name', 'MfaUser', '--serial-number', serial);
  await iam('delete-virtual-mfa-device', '--serial-number', serial);
  await fails('NoSuchEntity', 'delete-virtual-mfa-device', '--serial-number', serial);
  await iam('delete-user', '--user-name', 'MfaUser');
});

test('server certificates: upload, get, list, update, tag, delete; malformed and mismatched keys refused (aws iam)', async (t) => {
  if (!available(t)) return;
  const dir = join(FIXTURE_ROOT, 'server-certificate');
  const cert = `file://${join(dir, 'cert.pem')}`;
  const key = `file://${join(dir, 'key.pem')}`;
  const up = (await iam(
    'upload-server-certificate',
    '--server-certificate-name',
    'CliCert',
    '--path',
    '/web/',
    '--certificate-body',
    cert,
    '--private-key',
    key,
  )) as {
    ServerCertificateMetadata: Record<string, string>;
  };
  const meta = up.ServerCertificateMetadata;
  assert.equal(meta['Arn'], `arn:aws:iam::${ACCOUNT}:server-certificate/web/CliCert`);
  assert.match(meta['ServerCertificateId']!, /^ASCA/);
  assert.match(meta['Expiration']!, /^2126-/);
  await fails('EntityAlreadyExists', 'upload-server-certificate', '--server-certificate-name', 'CliCert', '--certificate-body', cert, '--private-key', key);
  await fails(
    'KeyPairMismatch',
    'upload-server-certificate',
    '--server-certificate-name',
    'Other',
    '--certificate-body',
    cert,
    '--private-key',
    `file://${join(dir, 'other-key.pem')}`,
  );
  await fails(
    'MalformedCertificate',
    'upload-server-certificate',
    '--server-certificate-name',
    'Other',
    '--certificate-body',
    'not a certificate',
    '--private-key',
    key,
  );
  const got = (await iam('get-server-certificate', '--server-certificate-name', 'CliCert')) as { ServerCertificate: Record<string, unknown> };
  assert.equal(got.ServerCertificate['CertificateBody'], readFileSync(join(dir, 'cert.pem'), 'utf8'));
  assert.ok(!JSON.stringify(got).includes('PRIVATE KEY'), 'the private key is never answered');
  assert.deepEqual(names((await iam('list-server-certificates', '--path-prefix', '/web/')).ServerCertificateMetadataList, 'ServerCertificateName'), [
    'CliCert',
  ]);
  await iam('update-server-certificate', '--server-certificate-name', 'CliCert', '--new-server-certificate-name', 'CliCert2', '--new-path', '/');
  await fails('NoSuchEntity', 'get-server-certificate', '--server-certificate-name', 'CliCert');
  await iam('tag-server-certificate', '--server-certificate-name', 'CliCert2', '--tags', 'Key=env,Value=prod');
  assert.deepEqual((await iam('list-server-certificate-tags', '--server-certificate-name', 'CliCert2')).Tags, [{ Key: 'env', Value: 'prod' }]);
  await iam('delete-server-certificate', '--server-certificate-name', 'CliCert2');
  await fails('NoSuchEntity', 'delete-server-certificate', '--server-certificate-name', 'CliCert2');
});

test('an IAM operation iamsim does not implement is NotImplemented (501) in AWS error shape, not a 404 (aws iam)', async (t) => {
  if (!available(t)) return;
  await fails('NotImplemented', 'list-ssh-public-keys', '--user-name', 'Someone');
  const r = await fetch(`${s.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=ListSigningCertificates&Version=2010-05-08',
  });
  assert.equal(r.status, 501);
  assert.match(await r.text(), /<ErrorResponse[^>]*>\s*<Error>\s*<Type>Receiver<\/Type>\s*<Code>NotImplemented<\/Code>/);
  const unknown = await fetch(`${s.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Action=NoSuchThing&Version=2010-05-08',
  });
  assert.equal(unknown.status, 400);
  assert.match(await unknown.text(), /<Code>InvalidAction<\/Code>/);
});
