/**
 * Random small accounts for the audit's property tests (properties.test.ts,
 * replay.test.ts): users and roles drawing their policies from a small pool
 * of statements over the escalation techniques' actions, with boundaries,
 * trust policies naming the account, a user, a role or a service.
 */
import fc from 'fast-check';
import type { Account, Organization, User, Role } from '../account/model.js';
import type { ContextValue } from '../eval/request.js';

export const A = '222222222222';
export const AT = new Date('2026-01-01T00:00:00Z');
export const ACTIONS = [
  '*',
  'iam:*',
  'iam:PutUserPolicy',
  'iam:AttachRolePolicy',
  'iam:CreateAccessKey',
  'iam:PassRole',
  'sts:AssumeRole',
  'lambda:CreateFunction',
  'lambda:InvokeFunction',
  'ssm:SendCommand',
  'iam:CreatePolicyVersion',
  'iam:AddUserToGroup',
  'iam:UpdateAssumeRolePolicy',
  'iam:DeleteUserPermissionsBoundary',
  'iam:PutRolePermissionsBoundary',
  's3:GetObject',
  // Weighted towards role assumption, which the role-subset nodes serve.
  'sts:AssumeRole',
  'sts:AssumeRole',
];
const RESOURCES = [
  '*',
  `arn:aws:iam::${A}:user/u0`,
  `arn:aws:iam::${A}:role/r*`,
  `arn:aws:iam::${A}:role/r1`,
  `arn:aws:iam::${A}:user/*`,
  `arn:aws:iam::${A}:user/\${aws:username}`,
  'arn:aws:iam::aws:policy/*',
  `arn:aws:iam::${A}:role/r1`,
  `arn:aws:iam::${A}:role/r1`,
  `arn:aws:iam::${A}:user/\${aws:username}`,
];
const CONDITIONS = [
  undefined,
  undefined,
  undefined,
  { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
  { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
  { StringEquals: { 'aws:username': 'u1' } },
];
const BOUNDARY = `arn:aws:iam::${A}:policy/B`;

const statement = fc
  .record({
    Effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
    key: fc.constantFrom('Action', 'Action', 'Action', 'Action', 'NotAction'),
    list: fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 }),
    Resource: fc.constantFrom(...RESOURCES),
    c: fc.constantFrom(...CONDITIONS),
  })
  .map(({ c, key, list, ...s }) => ({ ...s, [key]: list, ...(c ? { Condition: c } : {}) }));
const policy = fc.array(statement, { minLength: 0, maxLength: 3 }).map((Statement) => JSON.stringify({ Version: '2012-10-17', Statement }));
const trust = fc
  .constantFrom(
    { AWS: `arn:aws:iam::${A}:root` },
    { AWS: `arn:aws:iam::${A}:root` },
    { AWS: `arn:aws:iam::${A}:root` },
    { Service: 'lambda.amazonaws.com' },
    { AWS: `arn:aws:iam::${A}:user/u1` },
    { AWS: `arn:aws:iam::${A}:role/r0` },
    { Service: 'ec2.amazonaws.com' },
  )
  .map((Principal) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }] }));

export const account = fc
  .record({
    // Principals draw their policies from a small pool, so that several hold the same one (shared decisions).
    pool: fc.array(policy, { minLength: 1, maxLength: 3 }),
    users: fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 1, maxLength: 4 }),
    roles: fc.array(fc.tuple(trust, fc.nat(), fc.boolean()), { maxLength: 5 }),
    boundary: policy,
  })
  .map(
    ({ pool, users, roles, boundary }): Account => ({
      id: A,
      groups: [],
      managedPolicies: [
        {
          arn: BOUNDARY,
          name: 'B',
          path: '/',
          awsManaged: false,
          defaultVersionId: 'v1',
          document: boundary,
          versions: [{ versionId: 'v1', isDefault: true, document: boundary }],
        },
      ],
      resourcePolicies: [],
      sources: [],
      users: users.map(
        ([k, bounded], i): User => ({
          arn: `arn:aws:iam::${A}:user/u${i}`,
          name: `u${i}`,
          path: '/',
          groups: [],
          inlinePolicies: [{ name: 'p', document: pool[k % pool.length] ?? '' }],
          managedPolicies: [],
          tags: [],
          ...(bounded ? { permissionsBoundary: BOUNDARY } : {}),
        }),
      ),
      roles: roles.map(
        ([t, k, bounded], i): Role => ({
          arn: `arn:aws:iam::${A}:role/r${i}`,
          name: `r${i}`,
          path: '/',
          trustPolicy: t,
          inlinePolicies: [{ name: 'p', document: pool[k % pool.length] ?? '' }],
          managedPolicies: [],
          tags: [],
          maxSessionDuration: 3600,
          ...(bounded ? { permissionsBoundary: BOUNDARY } : {}),
        }),
      ),
    }),
  );

export function context(extra: Readonly<Record<string, string>> | undefined): Map<string, ContextValue> {
  const iso = '2026-01-01T00:00:00Z';
  const m = new Map<string, ContextValue>([
    ['aws:currenttime', { key: 'aws:CurrentTime', type: 'date', values: [iso], multivalued: false }],
    ['aws:tokenissuetime', { key: 'aws:TokenIssueTime', type: 'date', values: [iso], multivalued: false }],
    ['aws:epochtime', { key: 'aws:EpochTime', type: 'numeric', values: [String(AT.getTime() / 1000)], multivalued: false }],
  ]);
  for (const [k, v] of Object.entries(extra ?? {})) m.set(k.toLowerCase(), { key: k, type: 'string', values: [v], multivalued: false });
  return m;
}

/** An organization of one account whose SCPs are FullAWSAccess at the root and `capStatements` on the account. */
export function cappedOrg(accountId: string, ...capStatements: object[]): Organization {
  const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
  return {
    id: 'o-exampleorg1',
    managementAccountId: '999999999990',
    root: { id: 'r-root', name: 'Root' },
    enabledPolicyTypes: ['SCP'],
    ous: [],
    accounts: [{ id: accountId, parentId: 'r-root' }],
    policies: [
      {
        id: 'p-FullAWSAccess',
        name: 'FullAWSAccess',
        type: 'SCP',
        awsManaged: true,
        content: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
        targets: ['r-root', accountId],
      },
      { id: 'p-cap', name: 'cap', type: 'SCP', awsManaged: false, content: doc(...capStatements), targets: [accountId] },
    ],
  };
}
