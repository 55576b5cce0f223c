/**
 * Property tests: on random small accounts, every step of every escalation
 * path the audit reports is a request the evaluator (authz `authorize`)
 * allows with the same context, every "allowed everything" principal is
 * allowed each quick probe.
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
  's3:GetObject',
];
const RESOURCES = ['*', `arn:aws:iam::${A}:user/u0`, `arn:aws:iam::${A}:role/r*`, `arn:aws:iam::${A}:user/*`, 'arn:aws:iam::aws:policy/*'];
const CONDITIONS = [
  undefined,
  { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
  { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
];

const statement = fc
  .record({
    Effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
    Action: fc.subarray(ACTIONS, { minLength: 1, maxLength: 3 }),
    Resource: fc.constantFrom(...RESOURCES),
    c: fc.constantFrom(...CONDITIONS),
  })
  .map(({ c, ...s }) => (c ? { ...s, Condition: c } : s));
const policy = fc.array(statement, { minLength: 0, maxLength: 3 }).map((Statement) => JSON.stringify({ Version: '2012-10-17', Statement }));
const trust = fc
  .constantFrom({ AWS: `arn:aws:iam::${A}:root` }, { Service: 'lambda.amazonaws.com' }, { AWS: `arn:aws:iam::${A}:user/u1` }, { Service: 'ec2.amazonaws.com' })
  .map((Principal) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRole' }] }));

const account = fc.record({ users: fc.array(policy, { minLength: 1, maxLength: 3 }), roles: fc.array(fc.tuple(trust, policy), { maxLength: 3 }) }).map(
  ({ users, roles }): Account => ({
    id: A,
    groups: [],
    managedPolicies: [],
    resourcePolicies: [],
    sources: [],
    users: users.map(
      (d, i): User => ({
        arn: `arn:aws:iam::${A}:user/u${i}`,
        name: `u${i}`,
        path: '/',
        groups: [],
        inlinePolicies: [{ name: 'p', document: d }],
        managedPolicies: [],
        tags: [],
      }),
    ),
    roles: roles.map(
      ([t, d], i): Role => ({
        arn: `arn:aws:iam::${A}:role/r${i}`,
        name: `r${i}`,
        path: '/',
        trustPolicy: t,
        inlinePolicies: [{ name: 'p', document: d }],
        managedPolicies: [],
        tags: [],
        maxSessionDuration: 3600,
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
    { numRuns: 40 },
  );
});
