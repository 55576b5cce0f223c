/**
 * The facts behind the service techniques of techniques.ts that the
 * one-case-per-technique suite (techniques.test.ts) does not show, each
 * beside a look-alike that must stay quiet, decided by the evaluator:
 * - iam:PassedToService is the service that finally assumes the role (IAM
 *   User Guide reference_policies_iam-condition-keys): a Batch job role is
 *   assumed by ECS tasks (BatchServiceRolePolicy), so a role trusting only
 *   batch.amazonaws.com is no job role;
 * - EMR's RunJobFlow passes two roles (EMR management guide, emr-iam-roles;
 *   AmazonEMRFullAccessPolicy_v2): the instance profile role (to EC2) runs
 *   the steps, and an EMR service role must be passable too;
 * - an identity pool role is assumed with the pool's token (Cognito
 *   developer guide, role trust): `amr` unauthenticated or authenticated, and
 *   a condition on a claim the token does not carry (a `sub`) keeps it shut;
 * - CodeDeploy and Image Builder run code on EC2 instances, which run as a role
 *   only through an instance profile;
 * - an SCP denying the service action stops the technique.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, Organization, Role, User } from '../account/model.js';
import { createUniverse } from '../account/query.js';
import { runAudit, type AuditReport } from './index.js';
import { cappedOrg } from './test-support.test.js';

const A = '111111111111';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: object): object => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const arn = (kind: string, name: string): string => `arn:aws:iam::${A}:${kind}/${name}`;
const passTo = (service: string, Resource: string | string[] = '*'): object =>
  allow('iam:PassRole', Resource, { StringEquals: { 'iam:PassedToService': service } });

function user(name: string, statements: object[]): User {
  return { arn: arn('user', name), name, path: '/', groups: [], inlinePolicies: [{ name: 'p', document: doc(...statements) }], managedPolicies: [], tags: [] };
}
function role(name: string, trust: string, admin: boolean, extra: Partial<Role> = {}): Role {
  return {
    arn: arn('role', name),
    name,
    path: '/',
    trustPolicy: trust,
    inlinePolicies: admin ? [{ name: 'all', document: doc(allow('*')) }] : [],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
    ...extra,
  };
}
const service = (s: string): string => doc({ Effect: 'Allow', Principal: { Service: s }, Action: 'sts:AssumeRole' });
const POOL = 'us-east-1:11111111-2222-4333-8444-555555555555';
function pool(amr: string, extra: Record<string, string> = {}): string {
  return doc({
    Effect: 'Allow',
    Principal: { Federated: 'cognito-identity.amazonaws.com' },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL, ...extra },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
    },
  });
}

async function audit(parts: Partial<Account>, organization?: Organization): Promise<AuditReport> {
  const account: Account = { id: A, users: [], groups: [], roles: [], managedPolicies: [], resourcePolicies: [], sources: [], ...parts };
  return runAudit(createUniverse({ accounts: [account], ...(organization ? { organization } : {}) }), { at: new Date('2026-01-01T00:00:00Z') });
}
const paths = (r: AuditReport, who: string) => r.principals.find((p) => p.arn === arn('user', who))?.paths ?? [];
const via = (r: AuditReport, who: string, technique: string) => paths(r, who).find((p) => p.techniques.includes(technique));
/** The principals the caller's paths reach first. */
const firstHops = (r: AuditReport, who: string): string[] => [...new Set(paths(r, who).map((p) => p.hops[0] ?? ''))].sort();

test('Batch job roles are passed to ecs-tasks.amazonaws.com: a role trusting only batch.amazonaws.com is not one', async () => {
  const batch = ['batch:CreateComputeEnvironment', 'batch:CreateJobQueue', 'batch:RegisterJobDefinition', 'batch:SubmitJob'];
  const r = await audit({
    users: [user('tasks', [allow(batch), passTo('ecs-tasks.amazonaws.com')]), user('batch', [allow(batch), passTo('batch.amazonaws.com')])],
    roles: [role('JobRole', service('ecs-tasks.amazonaws.com'), true), role('BatchService', service('batch.amazonaws.com'), true)],
  });
  assert.equal(via(r, 'tasks', 'batch-create-environment')?.target, arn('role', 'JobRole'));
  // PassRole to batch.amazonaws.com reaches BatchService's trust, but Batch runs jobs as ECS tasks: no new job runs
  // as it (batch:SubmitJob alone still runs an existing job definition's job role, batch-002).
  assert.equal(via(r, 'batch', 'batch-create-environment'), undefined);
  assert.ok(!firstHops(r, 'batch').includes(arn('role', 'BatchService')));
});

test('EMR RunJobFlow: the instance profile role, when an EMR service role can be passed too', async () => {
  const instance = role('EmrInstance', service('ec2.amazonaws.com'), true, { instanceProfiles: [arn('instance-profile', 'EmrInstance')] });
  const emrService = role('EmrService', service('elasticmapreduce.amazonaws.com'), false);
  const both = [allow('elasticmapreduce:RunJobFlow'), passTo('ec2.amazonaws.com'), passTo('elasticmapreduce.amazonaws.com')];
  const onlyInstance = [allow('elasticmapreduce:RunJobFlow'), passTo('ec2.amazonaws.com'), passTo('elasticmapreduce.amazonaws.com', arn('role', 'Other'))];
  const r = await audit({ users: [user('both', both), user('only-instance', onlyInstance)], roles: [instance, emrService] });
  const path = via(r, 'both', 'emr-run-job-flow');
  assert.equal(path?.target, instance.arn);
  assert.deepEqual(
    path?.steps.map((s) => `${s.action} ${s.resource}`),
    [`iam:PassRole ${instance.arn}`, `iam:PassRole ${emrService.arn}`, 'elasticmapreduce:RunJobFlow *'],
  );
  assert.deepEqual(paths(r, 'only-instance'), [], 'no EMR service role it may pass');
  const none = await audit({ users: [user('both', both)], roles: [instance] });
  assert.deepEqual(paths(none, 'both'), [], 'no role EMR can assume as its service role');
});

test('Cognito identity pools: the unauthenticated role, the authenticated one through a developer provider, not a role pinned to one identity', async () => {
  const set = [allow('cognito-identity:SetIdentityPoolRoles'), passTo('cognito-identity.amazonaws.com')];
  const developer = [...set, allow(['cognito-identity:UpdateIdentityPool', 'cognito-identity:GetOpenIdTokenForDeveloperIdentity'])];
  const r = await audit({
    users: [user('set', set), user('developer', developer)],
    roles: [role('Unauth', pool('unauthenticated'), true), role('Auth', pool('authenticated'), true)],
  });
  assert.deepEqual(firstHops(r, 'set'), [arn('role', 'Unauth')]);
  assert.deepEqual(firstHops(r, 'developer'), [arn('role', 'Auth'), arn('role', 'Unauth')]);
  assert.equal(via(r, 'developer', 'cognito-developer-identity')?.hops[0], arn('role', 'Auth'));
  const pinned = await audit({
    users: [user('set', set)],
    roles: [role('Pinned', pool('unauthenticated', { 'cognito-identity.amazonaws.com:sub': `${POOL.slice(0, 10)}identity` }), true)],
  });
  assert.deepEqual(paths(pinned, 'set'), [], 'a sub condition names one identity, which the caller is not');
  const service = await audit({
    users: [user('set', set)],
    roles: [role('NotPool', doc({ Effect: 'Allow', Principal: { Service: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRole' }), true)],
  });
  assert.deepEqual(paths(service, 'set'), [], 'identity pools assume roles with web identity tokens, not as a service');
});

test('CodeDeploy and Image Builder reach instance profile roles only', async () => {
  const deploy = [allow(['codedeploy:RegisterApplicationRevision', 'codedeploy:GetDeploymentConfig', 'codedeploy:CreateDeployment'])];
  const image = [
    allow(['imagebuilder:CreateComponent', 'imagebuilder:CreateImageRecipe', 'imagebuilder:CreateInfrastructureConfiguration', 'imagebuilder:CreateImage']),
    passTo('ec2.amazonaws.com'),
  ];
  const withProfile = role('InProfile', service('ec2.amazonaws.com'), true, { instanceProfiles: [arn('instance-profile', 'InProfile')] });
  const bare = role('Bare', service('ec2.amazonaws.com'), true, { instanceProfiles: [] });
  const r = await audit({ users: [user('deploy', deploy), user('image', image)], roles: [withProfile] });
  assert.equal(via(r, 'deploy', 'codedeploy-create-deployment')?.target, withProfile.arn);
  assert.equal(via(r, 'deploy', 'codedeploy-create-deployment')?.assumesExistingResource, true);
  assert.equal(via(r, 'image', 'imagebuilder-create-image')?.target, withProfile.arn);
  const none = await audit({ users: [user('deploy', deploy), user('image', image)], roles: [bare] });
  assert.deepEqual(paths(none, 'deploy'), []);
  assert.deepEqual(paths(none, 'image'), []);
});

test('an SCP denying the service action stops the technique (Braket CreateJob)', async () => {
  const braket = [allow('braket:CreateJob'), passTo('braket.amazonaws.com')];
  const parts = { users: [user('braket', braket)], roles: [role('Quantum', service('braket.amazonaws.com'), true)] };
  assert.equal(via(await audit(parts), 'braket', 'braket-create-job')?.target, arn('role', 'Quantum'));
  assert.deepEqual(paths(await audit(parts, cappedOrg(A, { Effect: 'Deny', Action: 'braket:*', Resource: '*' })), 'braket'), []);
});
