import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { showAccount } from './commands.js';
import { importFiles } from './import/index.js';
import { createUniverse, findPrincipal, isManagementAccount, orgPoliciesFor, principalPolicies, resourceAccount, resourcePolicyFor } from './query.js';
import type { Universe } from './query.js';
import { openAsyncStore } from './open-store.js';
import { fixture } from './test-support.test.js';

const ORG_FILES = readdirSync(fixture('org')).map((f) => fixture(`org/${f}`));

async function universe(): Promise<Universe> {
  const store = await openAsyncStore(':memory:');
  const r = await importFiles(
    [
      fixture('authorization-details.json'),
      fixture('get-bucket-policy.json'),
      fixture('get-key-policy.us-east-1.1234abcd-12ab-34cd-56ef-1234567890ab.json'),
      fixture('describe-vpc-endpoints.json'),
      fixture('get-repository-policy.us-east-1.json'),
      ...ORG_FILES,
    ],
    store,
  );
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  const u = createUniverse(await store.loadAll());
  await store.close();
  return u;
}

const u = await universe();
const A = '111122223333';

test('principal lookup by user, role and assumed-role session ARN', () => {
  const user = findPrincipal(u, `arn:aws:iam::${A}:user/alice`);
  assert.equal(user?.kind, 'user');
  const studio = findPrincipal(u, `arn:aws:iam::${A}:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000`);
  assert.equal(studio?.kind, 'role');
  // Session ARNs carry the role name without its path.
  const session = findPrincipal(u, `arn:aws:sts::${A}:assumed-role/AmazonSageMaker-ExecutionRole-20240110T090000/SageMaker`);
  assert.equal(session?.kind, 'assumed-role');
  if (session?.kind === 'assumed-role') {
    assert.equal(session.role.path, '/service-role/');
    assert.equal(session.session.sessionName, 'SageMaker');
    assert.equal(session.session.roleArn, studio?.kind === 'role' ? studio.role.arn : '');
  }
  assert.equal(findPrincipal(u, `arn:aws:iam::${A}:role/wrong-path/AmazonSageMaker-ExecutionRole-20240110T090000`), undefined);
  assert.equal(findPrincipal(u, `arn:aws:iam::${A}:role/Nope`), undefined);
  assert.equal(findPrincipal(u, `arn:aws:iam::999999999999:role/X`), undefined);
  assert.deepEqual(findPrincipal(u, `arn:aws:iam::${A}:root`)?.kind, 'root');
  assert.deepEqual(findPrincipal(u, '999999999999')?.kind, 'root');
  assert.equal(findPrincipal(u, 'not-an-arn'), undefined);
});

test('lookups follow the model they are asked of: a model derived with a changed role list finds its roles, the original does not', () => {
  const a = u.accounts.get(A);
  assert.ok(a);
  const role = a.roles[0];
  assert.ok(role);
  const arn = `arn:aws:iam::${A}:role/iamsim-test-added`;
  // Asked first on the original model (its lists are indexed then), then on a model made of new lists.
  assert.equal(findPrincipal(u, arn), undefined);
  const renamed = { ...role, arn, name: 'iamsim-test-added', path: '/' };
  const changed: Universe = { ...u, accounts: new Map(u.accounts).set(A, { ...a, roles: [...a.roles, renamed] }) };
  assert.equal(findPrincipal(changed, arn)?.kind, 'role');
  assert.equal(findPrincipal(u, arn), undefined);
  // The same name twice in a list (not valid IAM, but a hand-made model may say so): the first is found, as a search in order would.
  const twice: Universe = {
    ...u,
    accounts: new Map(u.accounts).set(A, { ...a, roles: [renamed, { ...renamed, arn: `arn:aws:iam::${A}:role/other/iamsim-test-added` }] }),
  };
  assert.equal(findPrincipal(twice, arn)?.kind === 'role' && (findPrincipal(twice, arn) as { role: { arn: string } }).role.arn, arn);
  const session = findPrincipal(twice, `arn:aws:sts::${A}:assumed-role/iamsim-test-added/s`);
  assert.equal(session?.kind === 'assumed-role' ? session.role.arn : undefined, arn);
});

test("a user gets its own and its groups' policies", () => {
  const p = findPrincipal(u, `arn:aws:iam::${A}:user/alice`);
  assert.ok(p);
  const pol = principalPolicies(p);
  assert.deepEqual(
    pol.identity.map((x) => [x.name, x.source]),
    [
      ['ChangeOwnPassword', 'inline'],
      ['StudioPresignedUrl', 'group-inline'],
      ['AmazonSageMakerReadOnly', 'group-managed'],
    ],
  );
  assert.equal(pol.identity[2]?.ownerArn, `arn:aws:iam::${A}:group/DataScientists`);
  assert.equal(pol.boundary, undefined);
  assert.deepEqual(pol.missing, []);
});

test("a role session has its role's policies, default versions and boundary", () => {
  const p = findPrincipal(u, `arn:aws:sts::${A}:assumed-role/NotebookJobExecutionRole/job-1`);
  assert.ok(p);
  const pol = principalPolicies(p);
  assert.deepEqual(
    pol.identity.map((x) => x.name),
    ['NotebookJobPermissions', 'AmazonSageMakerFullAccess'],
  );
  assert.equal(pol.boundary?.name, 'MLPermissionsBoundary');
  assert.equal(pol.boundary?.versionId, 'v1');
  const studio = findPrincipal(u, `arn:aws:iam::${A}:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000`);
  assert.ok(studio);
  const s3 = principalPolicies(studio).identity.find((x) => x.name === 'StudioS3Access');
  assert.equal(s3?.versionId, 'v2');
  assert.match(s3?.document ?? '', /s3:ListBucket/);
});

test('SCPs and RCPs on the path root → OU → account', () => {
  const scps = orgPoliciesFor(u, A, 'SCP');
  assert.ok(scps);
  assert.equal(scps.enabled, true);
  assert.equal(scps.managementAccount, false);
  assert.deepEqual(
    scps.levels.map((l) => [l.kind, l.nodeId, l.policies.map((p) => p.name).sort()]),
    [
      ['root', 'r-a1b2', ['FullAWSAccess']],
      ['ou', 'ou-a1b2-f00dcafe', ['DenyLeaveOrgAndRegions', 'FullAWSAccess']],
      ['account', A, ['FullAWSAccess']],
    ],
  );
  const rcps = orgPoliciesFor(u, A, 'RCP');
  assert.deepEqual([...(rcps?.levels[1]?.policies.map((p) => p.name) ?? [])].sort(), ['DataPerimeter', 'RCPFullAWSAccess']);
  const mgmt = orgPoliciesFor(u, '999988887777', 'SCP');
  assert.equal(mgmt?.managementAccount, true);
  assert.deepEqual(
    mgmt?.levels.map((l) => l.kind),
    ['root', 'account'],
  );
  assert.equal(orgPoliciesFor(u, '555566667777', 'SCP'), undefined);
  assert.equal(isManagementAccount(u, '999988887777'), true);
  assert.equal(isManagementAccount(u, A), false);
});

test('resource policy lookup: S3 objects map to the bucket, VPC endpoints by id, KMS and ECR by ARN', () => {
  const bucket = 'arn:aws:s3:::ml-training-data-111122223333';
  assert.equal(resourcePolicyFor(u, `${bucket}/datasets/train.csv`)?.arn, bucket);
  assert.equal(resourcePolicyFor(u, bucket)?.arn, bucket);
  assert.equal(resourcePolicyFor(u, 'arn:aws:s3:::other-bucket/x'), undefined);
  assert.equal(resourcePolicyFor(u, 'vpce-0a1b2c3d4e5f60718')?.attributes?.['serviceName'], 'com.amazonaws.us-east-1.s3');
  const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  assert.equal(resourcePolicyFor(u, key)?.kind, 'kms-key');
  assert.equal(resourcePolicyFor(u, 'arn:aws:ecr:us-east-1:111122223333:repository/ml/training-images')?.kind, 'ecr-repository');
  assert.equal(resourceAccount(u, key), A);
  assert.equal(resourceAccount(u, `${bucket}/x`), undefined);
});

test('showAccount includes the organization path', async () => {
  const store = await openAsyncStore(':memory:');
  await importFiles([fixture('authorization-details.json'), ...ORG_FILES], store);
  const shown = await showAccount(store, A);
  assert.ok(shown);
  assert.deepEqual(
    shown.organizationPath?.map((l) => l.nodeId),
    ['r-a1b2', 'ou-a1b2-f00dcafe', A],
  );
  assert.equal(shown.managementAccount, false);
  assert.equal(await showAccount(store, '000000000000'), undefined);
  await store.close();
});
