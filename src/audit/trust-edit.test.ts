/**
 * Rewriting a role's trust policy (iam:UpdateAssumeRolePolicy) and assuming
 * it: the caller writes a trust policy naming itself — a user its ARN, a role
 * the session it acts in — so, within the account, the grant goes to the
 * caller directly and neither an implicit deny of its identity policies nor
 * its permissions boundary limits it (IAM User Guide
 * access_policies_boundaries, "IAM user" and "IAM role session";
 * reference_policies_evaluation-logic). An explicit Deny (identity policy or
 * boundary) and an SCP still decide. Each case beside a look-alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, ManagedPolicy, Organization, Role, User } from '../account/model.js';
import { createUniverse } from '../account/query.js';
import { runAudit, type AuditReport } from './index.js';
import { cappedOrg } from './test-support.test.js';
import { trustEditPrincipal } from './after.js';

const A = '111111111111';
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource = '*'): object => ({ Effect: 'Allow', Action, Resource });
const deny = (Action: string | string[], Resource = '*'): object => ({ Effect: 'Deny', Action, Resource });
const arn = (kind: string, name: string): string => `arn:aws:iam::${A}:${kind}/${name}`;
const EDIT = allow('iam:UpdateAssumeRolePolicy', arn('role', 'Admin'));

function managed(name: string, ...statements: object[]): ManagedPolicy {
  const document = doc(...statements);
  return {
    arn: arn('policy', name),
    name,
    path: '/',
    awsManaged: false,
    defaultVersionId: 'v1',
    document,
    versions: [{ versionId: 'v1', isDefault: true, document }],
  };
}
function user(name: string, statements: object[], extra: Partial<User> = {}): User {
  return {
    arn: arn('user', name),
    name,
    path: '/',
    groups: [],
    inlinePolicies: [{ name: 'p', document: doc(...statements) }],
    managedPolicies: [],
    tags: [],
    ...extra,
  };
}
function role(name: string, trust: object, statements: object[], extra: Partial<Role> = {}): Role {
  return {
    arn: arn('role', name),
    name,
    path: '/',
    trustPolicy: doc({ Effect: 'Allow', Principal: trust, Action: 'sts:AssumeRole' }),
    inlinePolicies: [{ name: 'p', document: doc(...statements) }],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
    ...extra,
  };
}
const ADMIN = role('Admin', { Service: 'ec2.amazonaws.com' }, [allow('*')]);
/** A boundary that allows the rewrite but not sts:AssumeRole; one that also denies sts:AssumeRole. */
const ONLY_EDIT = managed('OnlyEdit', allow('iam:UpdateAssumeRolePolicy'));
const DENY_ASSUME = managed('DenyAssume', allow('iam:UpdateAssumeRolePolicy'), deny('sts:AssumeRole'));

async function audit(a: Partial<Account>, organization?: Organization): Promise<AuditReport> {
  const account: Account = { id: A, users: [], groups: [], roles: [], managedPolicies: [ONLY_EDIT, DENY_ASSUME], resourcePolicies: [], sources: [], ...a };
  return runAudit(createUniverse({ accounts: [account], ...(organization ? { organization } : {}) }), { at: new Date('2026-01-01T00:00:00Z') });
}
const rewrite = (r: AuditReport, who: string) => r.principals.find((p) => p.arn === who)?.paths.find((p) => p.technique === 'iam-update-assume-role-policy');

test('trust rewrite: a user whose boundary does not allow sts:AssumeRole still assumes the role its rewritten trust names it in', async () => {
  const r = await audit({
    users: [
      user('bounded', [EDIT], { permissionsBoundary: ONLY_EDIT.arn }),
      user('denied', [EDIT, deny('sts:AssumeRole')], { permissionsBoundary: ONLY_EDIT.arn }),
      user('boundary-denies', [EDIT], { permissionsBoundary: DENY_ASSUME.arn }),
    ],
    roles: [ADMIN],
  });
  const path = rewrite(r, arn('user', 'bounded'));
  assert.deepEqual(
    path?.steps.map((s) => `${s.action} ${s.resource}`),
    [`iam:UpdateAssumeRolePolicy ${ADMIN.arn}`, `sts:AssumeRole ${ADMIN.arn}`],
  );
  // The look-alikes: an explicit Deny, in an identity policy or in the boundary, applies to a grant naming the caller.
  assert.equal(r.principals.find((p) => p.arn === arn('user', 'denied'))?.canEscalate, false);
  assert.equal(r.principals.find((p) => p.arn === arn('user', 'boundary-denies'))?.canEscalate, false);
});

test('trust rewrite: a bounded role names the session it acts in, which its boundary does not limit; an SCP denying sts:AssumeRole does', async () => {
  const caller = role('Caller', { AWS: `arn:aws:iam::${A}:root` }, [EDIT], { permissionsBoundary: ONLY_EDIT.arn });
  const r = await audit({ roles: [ADMIN, caller] });
  const path = rewrite(r, caller.arn);
  assert.ok(path, 'the bounded role escalates through the rewrite');
  const session = `arn:aws:sts::${A}:assumed-role/Caller/iamsim-audit`;
  assert.equal(trustEditPrincipal(caller.arn), session);
  assert.match(path.steps[1]?.note ?? '', /assumed-role\/Caller\/iamsim-audit/);
  const capped = await audit({ roles: [ADMIN, caller] }, cappedOrg(A, deny('sts:AssumeRole')));
  assert.equal(rewrite(capped, caller.arn), undefined);
});

test('the principal a caller writes into a trust policy: users and stand-ins as they are, roles as their session', () => {
  assert.equal(trustEditPrincipal(arn('user', 'u')), arn('user', 'u'));
  assert.equal(trustEditPrincipal(`arn:aws:iam::${A}:role/team/ops/Deployer`), `arn:aws:sts::${A}:assumed-role/Deployer/iamsim-audit`);
  assert.equal(trustEditPrincipal(`arn:aws:iam::${A}:role/iamsim-audit-unbounded/Deployer`), `arn:aws:iam::${A}:role/iamsim-audit-unbounded/Deployer`);
  assert.equal(trustEditPrincipal(`arn:aws-cn:iam::${A}:role/R`), `arn:aws-cn:sts::${A}:assumed-role/R/iamsim-audit`);
});
