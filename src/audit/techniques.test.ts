/**
 * One case per escalation technique (techniques.ts): a principal that can
 * use it and a similar one that cannot (a condition that fails, a different
 * service, a resource it cannot reach, an AWS managed policy, a missing
 * version). Semantics: IAM User Guide id_roles_use_passrole,
 * access_policies_managed-versioning, reference_policies_evaluation-logic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, ManagedPolicy, Role, User } from '../account/model.js';
import { createUniverse } from '../account/query.js';
import { runAudit } from './index.js';
import { TECHNIQUES, type Technique } from './techniques.js';

const A = '111111111111';
const arn = (kind: string, name: string): string => `arn:aws:iam::${A}:${kind}/${name}`;
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', Condition?: object): object => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});
const ADMIN = doc(allow('*'));
const trust = (principal: object): string => doc({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' });

function user(name: string, statements: object[], extra: Partial<User> = {}): User {
  return {
    arn: arn('user', name),
    name,
    path: '/',
    groups: [],
    inlinePolicies: statements.length ? [{ name: `${name}-policy`, document: doc(...statements) }] : [],
    managedPolicies: [],
    tags: [],
    ...extra,
  };
}
function role(name: string, trustDoc: string, statements: object[]): Role {
  return {
    arn: arn('role', name),
    name,
    path: '/',
    trustPolicy: trustDoc,
    inlinePolicies: statements.length ? [{ name: `${name}-policy`, document: doc(...statements) }] : [],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
  };
}
/** A role of an identity pool (Cognito developer guide, role trust): web identity tokens of pool POOL, `amr` authenticated or not. */
const POOL = 'us-east-1:11111111-2222-4333-8444-555555555555';
function poolRole(name: string, amr: string, statements: object[], extra: object = {}): Role {
  const cond = {
    StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL, ...extra },
    'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
  };
  const d = doc({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: cond });
  return role(name, d, statements);
}
function managed(name: string, versions: string[]): ManagedPolicy {
  return {
    arn: arn('policy', name),
    name,
    path: '/',
    awsManaged: false,
    defaultVersionId: 'v1',
    document: versions[0] ?? '',
    versions: versions.map((d, i) => ({ versionId: `v${i + 1}`, isDefault: i === 0, document: d })),
  };
}

interface Case {
  readonly users?: User[];
  readonly roles?: Role[];
  readonly policies?: ManagedPolicy[];
  readonly groups?: Account['groups'];
  /** Principals (ARNs) expected to escalate and not to. */
  readonly can: string;
  readonly cannot: string;
}

const OLD = { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } };
/** Actions of `t` that make up a technique on existing compute by themselves (the "cannot" variant must not hold them outright). */
const onExisting = (t: Technique): Set<string> =>
  new Set(TECHNIQUES.filter((x) => x.kind === 'existing-compute' && x.actions.every((a) => t.actions.includes(a))).flatMap((x) => x.actions));

function caseFor(t: Technique): Case {
  const actions = [...t.actions];
  const service = t.service ?? '';
  const serviceRole = role('ServiceAdmin', trust({ Service: service }), [allow('*')]);
  switch (t.kind) {
    case 'edit-policy':
      if (t.target === 'user')
        return {
          users: [user('can', [allow(actions)]), user('cannot', [allow(actions, arn('user', 'someone-else'))])],
          can: arn('user', 'can'),
          cannot: arn('user', 'cannot'),
        };
      if (t.target === 'group') {
        return {
          users: [user('can', [allow(actions)], { groups: ['G'] }), user('cannot', [allow(actions)])],
          groups: [{ arn: arn('group', 'G'), name: 'G', path: '/', inlinePolicies: [], managedPolicies: [] }],
          can: arn('user', 'can'),
          cannot: arn('user', 'cannot'),
        };
      }
      // A role edits itself; a user with the same permission has no role it can assume.
      return {
        roles: [role('can', trust({ AWS: `arn:aws:iam::${A}:root` }), [allow(actions)])],
        users: [user('cannot', [allow(actions)])],
        can: arn('role', 'can'),
        cannot: arn('user', 'cannot'),
      };
    case 'policy-version': {
      const two = t.id === 'iam-set-default-policy-version';
      const own = managed('own', two ? [doc(allow(actions)), ADMIN] : [doc(allow(actions))]);
      const fixed = managed('fixed', [doc(allow(actions, two ? '*' : 'arn:aws:iam::aws:policy/*'))]);
      return {
        policies: [own, fixed],
        users: [
          user('can', [], { managedPolicies: [{ arn: own.arn, name: own.name }] }),
          user('cannot', [], { managedPolicies: [{ arn: fixed.arn, name: fixed.name }] }),
        ],
        can: arn('user', 'can'),
        cannot: arn('user', 'cannot'),
      };
    }
    case 'group-join':
      return {
        users: [user('can', [allow(actions, arn('group', 'Admins'))]), user('cannot', [allow(actions, arn('group', 'Readers'))])],
        groups: [
          { arn: arn('group', 'Admins'), name: 'Admins', path: '/', inlinePolicies: [{ name: 'all', document: ADMIN }], managedPolicies: [] },
          { arn: arn('group', 'Readers'), name: 'Readers', path: '/', inlinePolicies: [], managedPolicies: [] },
        ],
        can: arn('user', 'can'),
        cannot: arn('user', 'cannot'),
      };
    case 'credentials':
      return {
        users: [
          user('victim', [allow('*')]),
          user('intern', []),
          user('can', [allow(actions, arn('user', 'victim'))]),
          user('cannot', [allow(actions, arn('user', 'intern'))]),
        ],
        can: arn('user', 'can'),
        cannot: arn('user', 'cannot'),
      };
    case 'trust-edit':
      return {
        roles: [role('Admin', trust({ Service: 'ec2.amazonaws.com' }), [allow('*')]), role('Plain', trust({ Service: 'ec2.amazonaws.com' }), [])],
        users: [user('can', [allow(actions, arn('role', 'Admin'))]), user('cannot', [allow(actions, arn('role', 'Plain'))])],
        can: arn('user', 'can'),
        cannot: arn('user', 'cannot'),
      };
    case 'assume-role':
      return {
        roles: [role('Admin', trust({ AWS: `arn:aws:iam::${A}:root` }), [allow('*')])],
        users: [user('can', [allow(actions)]), user('cannot', [allow(actions, '*', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } })])],
        can: arn('user', 'can'),
        cannot: arn('user', 'cannot'),
      };
    case 'pass-role':
      return {
        roles: [
          t.webIdentity ? poolRole('ServiceAdmin', t.webIdentity, [allow('*')]) : serviceRole,
          ...(t.alsoPasses ? [role('EmrService', trust({ Service: t.alsoPasses }), [])] : []),
        ],
        users: [
          user('can', [allow([...actions, 'iam:PassRole'])]),
          user('cannot', [
            ...actions.map((a) => (onExisting(t).has(a) ? allow(a, '*', OLD) : allow(a))),
            allow('iam:PassRole', '*', { StringEquals: { 'iam:PassedToService': 'not-this.amazonaws.com' } }),
          ]),
        ],
        can: arn('user', 'can'),
        cannot: arn('user', 'cannot'),
      };
    case 'boundary': {
      // Own policies allow everything; the boundary (access_policies_boundaries) allows S3 and, for "can", changing
      // it. "cannot" may only put the same restrictive boundary back (the guide's iam:PermissionsBoundary pattern)
      // or not touch it at all.
      const strict = arn('policy', 'Strict');
      const put = actions[0]?.includes('Put') === true;
      const loose = managed('Loose', [doc(allow(['s3:*', ...actions]))]);
      const tight = managed('Strict', [doc(allow('s3:*'), ...(put ? [allow(actions, '*', { StringEquals: { 'iam:PermissionsBoundary': strict } })] : []))]);
      const bounded = (p: string) => ({ permissionsBoundary: p });
      if (t.target === 'role') {
        const r = (name: string, p: string): Role => ({ ...role(name, trust({ Service: 'ec2.amazonaws.com' }), [allow('*')]), ...bounded(p) });
        return { policies: [loose, tight], roles: [r('can', loose.arn), r('cannot', tight.arn)], can: arn('role', 'can'), cannot: arn('role', 'cannot') };
      }
      return {
        policies: [loose, tight],
        users: [user('can', [allow('*')], bounded(loose.arn)), user('cannot', [allow('*')], bounded(tight.arn))],
        can: arn('user', 'can'),
        cannot: arn('user', 'cannot'),
      };
    }
    case 'existing-compute':
      return {
        roles: [serviceRole],
        users: [user('can', [allow(actions)]), user('cannot', [allow(actions, '*', OLD)])],
        can: arn('user', 'can'),
        cannot: arn('user', 'cannot'),
      };
  }
}

for (const t of TECHNIQUES) {
  test(`technique ${t.id}: a principal that can, and a similar one that cannot`, async () => {
    const c = caseFor(t);
    const account: Account = {
      id: A,
      users: c.users ?? [],
      groups: c.groups ?? [],
      roles: c.roles ?? [],
      managedPolicies: c.policies ?? [],
      resourcePolicies: [],
      sources: [],
    };
    const r = await runAudit(createUniverse({ accounts: [account] }), { at: new Date('2026-01-01T00:00:00Z') });
    const can = r.principals.find((p) => p.arn === c.can);
    const cannot = r.principals.find((p) => p.arn === c.cannot);
    assert.equal(can?.canEscalate, true, `${t.id}: ${c.can} should escalate`);
    assert.ok(
      can?.paths.some((p) => p.techniques.includes(t.id)),
      `${t.id}: ${can?.paths.map((p) => p.technique).join(' | ')}`,
    );
    assert.equal(cannot?.canEscalate, false, `${t.id}: ${c.cannot} should not escalate: ${cannot?.paths.map((p) => p.technique).join(' | ')}`);
  });
}

test('permissions boundary of a role the caller can assume: freed and assumed, or only assumed', async () => {
  const strict = managed('Strict', [doc(allow('s3:*'))]);
  const bounded: Role = { ...role('Bounded', trust({ AWS: `arn:aws:iam::${A}:root` }), [allow('*')]), permissionsBoundary: strict.arn };
  const target = arn('role', 'Bounded');
  const account: Account = {
    id: A,
    users: [user('can', [allow(['sts:AssumeRole', 'iam:DeleteRolePermissionsBoundary'], target)]), user('cannot', [allow('sts:AssumeRole', target)])],
    groups: [],
    roles: [bounded],
    managedPolicies: [strict],
    resourcePolicies: [],
    sources: [],
  };
  const r = await runAudit(createUniverse({ accounts: [account] }), { at: new Date('2026-01-01T00:00:00Z') });
  const can = r.principals.find((p) => p.arn === arn('user', 'can'));
  const path = can?.paths.find((p) => p.techniques[0] === 'iam-delete-role-permissions-boundary');
  assert.deepEqual(
    path?.steps.map((s) => `${s.action} ${s.resource}`),
    [`iam:DeleteRolePermissionsBoundary ${target}`, `sts:AssumeRole ${target}`],
  );
  assert.equal(r.principals.find((p) => p.arn === arn('user', 'cannot'))?.canEscalate, false);
  assert.equal(r.principals.find((p) => p.arn === target)?.canEscalate, false, 'the boundary stops the role itself');
});
