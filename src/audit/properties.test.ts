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
import { createUniverse } from '../account/query.js';
import { authorize } from '../authz/authorize.js';
import { account, ACTIONS, AT, context } from './test-support.test.js';
import { runAudit } from './index.js';
import { auditModel } from './nodes.js';
import { AuditDecider } from './decide.js';
import { buildGraph, type Graph } from './graph.js';
import { expandGrants } from './grant-sets.js';
import { AdminCheck, escalationPaths, grantsItself } from './paths.js';
import { PolicyIds, starActionClass, starActionClasses } from './share.js';

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
  expandGrants([...g.grants.values()].flat())
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

test('starActionClasses groups the actions of a principal exactly as their starActionClass keys do', () => {
  fc.assert(
    fc.property(account, (a) => {
      const model = auditModel(createUniverse({ accounts: [a] }));
      const d = new AuditDecider(model.universe, AT);
      const ids = new PolicyIds();
      for (const n of model.nodes) {
        const assembled = d.assembly({ principal: n.arn, action: 'iam:PassRole', resource: '*' });
        const classes = starActionClasses(assembled, ids, n.arn, STAR_ACTIONS);
        const keys = STAR_ACTIONS.map((x) => starActionClass(assembled, ids, n.arn, x));
        for (const [i, key] of keys.entries()) {
          assert.equal(classes[i] === undefined, key === undefined, `${n.arn} ${STAR_ACTIONS[i]}`);
          for (let j = 0; j < i; j++) {
            if (key === undefined || keys[j] === undefined) continue;
            assert.equal(classes[i] === classes[j], key === keys[j], `${n.arn} ${STAR_ACTIONS[i]} ${STAR_ACTIONS[j]}`);
          }
        }
      }
    }),
    { numRuns: 150 },
  );
});
