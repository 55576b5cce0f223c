/**
 * Escalations that look real from the caller's policies but are not, each
 * beside the same setup that is: decided by the evaluator over the whole
 * model. Sources: IAM User Guide reference_policies_evaluation-logic (an
 * explicit Deny, an SCP or a permissions boundary wins over any Allow),
 * access_policies_boundaries (a boundary stays on a user whatever groups it
 * joins), id_roles_use_switch-role-ec2_instance-profiles (an instance runs as a
 * role only through an instance profile), using-service-linked-roles (AWS owns
 * a service-linked role's policies), Organizations orgs_manage_policies_scps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, ManagedPolicy, Organization, Role, User } from '../account/model.js';
import { createUniverse } from '../account/query.js';
import { runAudit, type AuditReport } from './index.js';

const A = '111111111111';
const B = '222222222222';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*'): object => ({ Effect: 'Allow', Action, Resource });
const deny = (Action: string | string[], Resource: string | string[] = '*'): object => ({ Effect: 'Deny', Action, Resource });
const arn = (acct: string, kind: string, name: string): string => `arn:aws:iam::${acct}:${kind}/${name}`;

function user(acct: string, name: string, statements: object[], extra: Partial<User> = {}): User {
  return {
    arn: arn(acct, 'user', name),
    name,
    path: '/',
    groups: [],
    inlinePolicies: [{ name: `${name}-policy`, document: doc(...statements) }],
    managedPolicies: [],
    tags: [],
    ...extra,
  };
}
function role(acct: string, name: string, service: string, statements: object[], extra: Partial<Role> = {}): Role {
  return {
    arn: arn(acct, 'role', name),
    name,
    path: '/',
    trustPolicy: doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }),
    inlinePolicies: [{ name: `${name}-policy`, document: doc(...statements) }],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
    ...extra,
  };
}
function account(id: string, parts: Partial<Account>): Account {
  return { id, users: [], groups: [], roles: [], managedPolicies: [], resourcePolicies: [], sources: [], ...parts };
}
/** Accounts A and B in one organization; `scpOnB` is attached to B besides FullAWSAccess. */
function org(scpOnB: object[]): Organization {
  const full = doc(allow('*'));
  return {
    id: 'o-exampleorg1',
    managementAccountId: '999999999990',
    root: { id: 'r-root', name: 'Root' },
    enabledPolicyTypes: ['SCP'],
    ous: [],
    accounts: [
      { id: A, parentId: 'r-root' },
      { id: B, parentId: 'r-root' },
    ],
    policies: [
      { id: 'p-FullAWSAccess', name: 'FullAWSAccess', type: 'SCP', awsManaged: true, content: full, targets: ['r-root', A, B] },
      { id: 'p-cap', name: 'cap', type: 'SCP', awsManaged: false, content: doc(...scpOnB), targets: [B] },
    ],
  };
}
async function audit(accounts: Account[], organization?: Organization): Promise<AuditReport> {
  return runAudit(createUniverse({ accounts, ...(organization ? { organization } : {}) }), { at: new Date('2026-01-01T00:00:00Z') });
}
const escalates = (r: AuditReport, who: string): boolean | undefined => r.principals.find((p) => p.arn === who)?.canEscalate;

test('trust-policy rewrite: followed when the caller may then assume the role; not when its own Deny or an SCP forbids sts:AssumeRole', async () => {
  const edit = allow('iam:UpdateAssumeRolePolicy');
  const r = await audit(
    [
      account(A, {
        users: [user(A, 'can', [edit]), user(A, 'denied', [edit, deny('sts:AssumeRole')])],
        roles: [role(A, 'Admin', 'ec2.amazonaws.com', [allow('*')])],
      }),
      account(B, { users: [user(B, 'capped', [edit])], roles: [role(B, 'Admin', 'ec2.amazonaws.com', [allow('*')])] }),
    ],
    org([deny('sts:AssumeRole')]),
  );
  assert.equal(escalates(r, arn(A, 'user', 'can')), true);
  assert.equal(escalates(r, arn(A, 'user', 'denied')), false);
  assert.equal(escalates(r, arn(B, 'user', 'capped')), false);
});

test('group join: a user without a boundary becomes admin; one whose boundary still applies does not', async () => {
  const strict: ManagedPolicy = {
    arn: arn(A, 'policy', 'Strict'),
    name: 'Strict',
    path: '/',
    awsManaged: false,
    defaultVersionId: 'v1',
    document: doc(allow(['s3:*', 'iam:AddUserToGroup'])),
    versions: [{ versionId: 'v1', isDefault: true, document: doc(allow(['s3:*', 'iam:AddUserToGroup'])) }],
  };
  const join = allow('iam:AddUserToGroup', arn(A, 'group', 'Admins'));
  const r = await audit([
    account(A, {
      users: [user(A, 'can', [join]), user(A, 'bounded', [join], { permissionsBoundary: strict.arn })],
      groups: [
        { arn: arn(A, 'group', 'Admins'), name: 'Admins', path: '/', inlinePolicies: [{ name: 'all', document: doc(allow('*')) }], managedPolicies: [] },
      ],
      managedPolicies: [strict],
    }),
  ]);
  assert.equal(escalates(r, arn(A, 'user', 'can')), true);
  assert.equal(escalates(r, arn(A, 'user', 'bounded')), false);
});

test('iam:PassRole + ec2:RunInstances: a role in an instance profile, or one the caller can put in a new profile; not a role in none', async () => {
  const pass = [allow(['iam:PassRole', 'ec2:RunInstances'])];
  const profile = allow(['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile']);
  const admin = [allow('*')];
  const inProfile = role(A, 'InProfile', 'ec2.amazonaws.com', admin, { instanceProfiles: [arn(A, 'instance-profile', 'InProfile')] });
  const r1 = await audit([account(A, { users: [user(A, 'can', pass)], roles: [inProfile] })]);
  assert.equal(escalates(r1, arn(A, 'user', 'can')), true);
  const bare = role(A, 'Bare', 'ec2.amazonaws.com', admin, { instanceProfiles: [] });
  const r2 = await audit([account(A, { users: [user(A, 'cannot', pass), user(A, 'creates', [...pass, profile])], roles: [bare] })]);
  assert.equal(escalates(r2, arn(A, 'user', 'cannot')), false);
  const path = r2.principals.find((p) => p.arn === arn(A, 'user', 'creates'))?.paths[0];
  assert.deepEqual(path?.steps.map((s) => s.action).slice(0, 3), ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:PassRole']);
});

test('a role putting a policy on itself: admin, unless an SCP caps what its policies can grant', async () => {
  const self = (acct: string): Role => role(acct, 'Self', 'lambda.amazonaws.com', [allow('iam:PutRolePolicy', arn(acct, 'role', 'Self'))]);
  const r = await audit([account(A, { roles: [self(A)] }), account(B, { roles: [self(B)] })], org([deny('ec2:*')]));
  const a = r.principals.find((p) => p.arn === arn(A, 'role', 'Self'));
  const b = r.principals.find((p) => p.arn === arn(B, 'role', 'Self'));
  assert.equal(a?.isAdmin, true);
  assert.equal(a?.canEscalate, true);
  assert.equal(b?.isAdmin, false);
  assert.equal(b?.canEscalate, false);
});

test('service-linked roles are not reported as escalating; the same policy on an ordinary role is', async () => {
  const iam = [allow(['iam:PutRolePolicy', 'iam:AttachRolePolicy'])];
  const slr = role(A, 'AWSServiceRoleForThing', 'thing.amazonaws.com', iam, {
    path: '/aws-service-role/thing.amazonaws.com/',
    arn: arn(A, 'role', 'aws-service-role/thing.amazonaws.com/AWSServiceRoleForThing'),
  });
  const r = await audit([account(A, { roles: [slr, role(A, 'Ordinary', 'thing.amazonaws.com', iam)] })]);
  assert.equal(escalates(r, slr.arn), false);
  assert.equal(escalates(r, arn(A, 'role', 'Ordinary')), true);
  // Nor is a service-linked role a target: nobody can edit its policies.
  for (const p of r.principals) for (const path of p.paths) assert.ok(!path.hops.includes(slr.arn), path.technique);
});
