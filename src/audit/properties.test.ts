/**
 * Property tests: on random small accounts, every step of every escalation
 * path the audit reports is a request the evaluator (authz `authorize`)
 * allows with the same context, every "allowed everything" principal is
 * allowed each quick probe, and the graph built with shared decisions and
 * role-subset nodes (share.ts, hubs.ts) reaches exactly what the graph of
 * one evaluator decision per request reaches, with the same grants and the
 * same escalation verdicts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Account, User, Role } from '../account/model.js';
import { createUniverse } from '../account/query.js';
import { authorize } from '../authz/authorize.js';
import type { ContextValue } from '../eval/request.js';
import { runAudit } from './index.js';
import { auditModel } from './nodes.js';
import { AuditDecider } from './decide.js';
import { buildGraph, type Graph } from './graph.js';
import { AdminCheck, escalationPaths, grantsItself } from './paths.js';

const A = '222222222222';
const AT = new Date('2026-01-01T00:00:00Z');
const ACTIONS = [
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

const account = fc
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

function context(extra: Readonly<Record<string, string>> | undefined): Map<string, ContextValue> {
  const iso = '2026-01-01T00:00:00Z';
  const m = new Map<string, ContextValue>([
    ['aws:currenttime', { key: 'aws:CurrentTime', type: 'date', values: [iso], multivalued: false }],
    ['aws:tokenissuetime', { key: 'aws:TokenIssueTime', type: 'date', values: [iso], multivalued: false }],
    ['aws:epochtime', { key: 'aws:EpochTime', type: 'numeric', values: [String(AT.getTime() / 1000)], multivalued: false }],
  ]);
  for (const [k, v] of Object.entries(extra ?? {})) m.set(k.toLowerCase(), { key: k, type: 'string', values: [v], multivalued: false });
  return m;
}

test('every step of every reported path is allowed by the evaluator', async () => {
  await fc.assert(
    fc.asyncProperty(account, async (a) => {
      const u = createUniverse({ accounts: [a] });
      const model = auditModel(u);
      const r = await runAudit(u, { at: AT });
      for (const p of r.principals) {
        for (const path of p.paths) {
          for (const s of path.steps) {
            if (s.statement === undefined) continue;
            const d = authorize(
              model.universe,
              { principal: s.principal, action: s.action, resource: s.resource, context: context(s.context), deriveContext: true },
              { explain: false },
            );
            assert.equal(d.decision.decision, 'allowed', `${s.principal} ${s.action} ${s.resource}`);
          }
        }
        if (p.allowedEverything) {
          for (const action of ['iam:PutUserPolicy', 's3:GetObject', 'kms:Decrypt']) {
            assert.equal(
              authorize(u, { principal: p.arn, action, resource: '*', context: context(undefined), deriveContext: true }).decision.decision,
              'allowed',
            );
          }
        }
        // A principal allowed everything needs no path; one with a path is not allowed everything.
        if (p.canEscalate) assert.equal(p.allowedEverything, false);
      }
    }),
    { numRuns: 80 },
  );
});

/** The principals (ARNs) reachable from `from` along the graph's edges, through any group or compute node. */
function reachable(g: Graph, from: string): string[] {
  const seen = new Set<string>([from]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    for (const e of g.edges.get(queue[i] as string) ?? []) {
      if (seen.has(e.to)) continue;
      seen.add(e.to);
      queue.push(e.to);
    }
  }
  return [...seen].filter((x) => x !== from && x.startsWith('arn:')).sort();
}

const grantSet = (g: Graph): string[] =>
  [...g.grants.values()]
    .flat()
    .map((x) => `${x.by} ${x.technique} ${x.target}`)
    .sort();

test('shared decisions and role-subset nodes reach exactly what one decision per request reaches', async () => {
  await fc.assert(
    fc.asyncProperty(account, async (a) => {
      const model = auditModel(createUniverse({ accounts: [a] }));
      const fast = new AuditDecider(model.universe, AT);
      const direct = new AuditDecider(model.universe, AT, false);
      const g1 = buildGraph(model, fast);
      const g2 = buildGraph(model, direct);
      assert.deepEqual(grantSet(g1), grantSet(g2));
      const admin1 = new AdminCheck(fast);
      const admin2 = new AdminCheck(direct);
      for (const n of model.nodes) {
        assert.deepEqual(reachable(g1, n.arn), reachable(g2, n.arn), `reachable from ${n.arn}`);
        assert.equal(admin1.allowedEverything(n.arn), admin2.allowedEverything(n.arn), n.arn);
        assert.equal(escalationPaths(g1, admin1, n.arn).length > 0, escalationPaths(g2, admin2, n.arn).length > 0, `escalates: ${n.arn}`);
        assert.equal(grantsItself(g1, n.arn, admin1), grantsItself(g2, n.arn, admin2), `grants itself: ${n.arn}`);
      }
    }),
    { numRuns: 40 },
  );
});

/** Actions of several services, the evaluator's special cases among them, for the per-class check below. */
const STAR_ACTIONS = [
  ...ACTIONS.filter((x) => !x.includes('*')),
  'sts:GetCallerIdentity',
  'sts:TagSession',
  'kms:Decrypt',
  'kms:CreateGrant',
  's3:PutBucketPolicy',
  's3:ListBucket',
  'sqs:SendMessage',
  'secretsmanager:GetSecretValue',
  'ec2:RunInstances',
  'iam:ListUsers',
  'iam:GetUser',
  'lambda:UpdateFunctionCode',
];

test('actions on * decided once per class the evaluator cannot tell apart equal those decided one by one', () => {
  fc.assert(
    fc.property(account, (a) => {
      const u = createUniverse({ accounts: [a] });
      const model = auditModel(u);
      const shared = new AuditDecider(model.universe, AT);
      const exact = new AuditDecider(model.universe, AT, false);
      for (const n of model.nodes) {
        assert.deepEqual(shared.allowedOnStar(n.arn, STAR_ACTIONS), exact.allowedOnStar(n.arn, STAR_ACTIONS), n.arn);
      }
    }),
    { numRuns: 150 },
  );
});
