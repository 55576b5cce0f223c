/**
 * Every reported escalation path replays step by step through the evaluator
 * (authz `authorize`, what `simulate` decides) and ends at an admin: each
 * step is made by the start or a principal the path reached before it; each
 * step with a deciding statement is allowed as it is; the sts:AssumeRole after
 * a trust-policy rewrite is allowed once the trust policy names the caller;
 * and the target is then allowed every probe action on every resource —
 * outright, or once a step of the path has given it a policy allowing
 * everything (the grant is applied to a copy of the model). Paths come
 * shortest first. On random small accounts and on IAM-Vulnerable's export.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Account } from '../account/model.js';
import { createUniverse, type Universe } from '../account/query.js';
import { authorize } from '../authz/authorize.js';
import { loadUniverse } from '../authz/universe.js';
import { parseArn } from '../primitives/arn.js';
import { runAudit, type AuditReport } from './index.js';
import { auditModel } from './nodes.js';
import { trustEditPrincipal } from './after.js';
import { account, AT, context } from './test-support.test.js';

const PROBES = ['iam:PutUserPolicy', 'iam:CreateUser', 's3:GetObject', 'ec2:RunInstances', 'kms:Decrypt', 'organizations:LeaveOrganization', 'dynamodb:Scan'];
const EVERYTHING = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

function allowed(u: Universe, principal: string, action: string, resource: string, extra?: Readonly<Record<string, string>>): boolean {
  const ctx = context(extra);
  return authorize(u, { principal, action, resource, context: ctx, deriveContext: true }, { explain: false }).decision.decision === 'allowed';
}

/** The model with one account's user or role changed by `edit`. */
function editPrincipal(u: Universe, arn: string, edit: <T extends { arn: string }>(x: T) => T): Universe {
  const id = parseArn(arn)?.account ?? '';
  const a = u.accounts.get(id);
  if (a === undefined) return u;
  const next: Account = { ...a, users: a.users.map((x) => (x.arn === arn ? edit(x) : x)), roles: a.roles.map((x) => (x.arn === arn ? edit(x) : x)) };
  return { ...u, accounts: new Map(u.accounts).set(id, next) };
}

function replay(model: Universe, r: AuditReport): void {
  for (const p of r.principals) {
    const lengths = p.paths.map((x) => x.length);
    assert.deepEqual(
      lengths,
      [...lengths].sort((a, b) => a - b),
      `${p.arn}: paths not shortest first`,
    );
    for (const path of p.paths) {
      const label = `${p.arn} via ${path.technique}`;
      let u = model;
      const acting = new Set([p.arn, ...path.hops]);
      let rewritten: string | undefined;
      for (const s of path.steps) {
        assert.ok(acting.has(s.principal), `${label}: ${s.principal} acts before the path reaches it`);
        if (s.action === 'iam:UpdateAssumeRolePolicy') {
          assert.ok(allowed(u, s.principal, s.action, s.resource, s.context), `${label}: ${s.action} ${s.resource}`);
          // What the caller writes: a trust policy naming itself (a role: the session it acts in).
          const trust = JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: trustEditPrincipal(s.principal) }, Action: 'sts:AssumeRole' }],
          });
          u = editPrincipal(u, s.resource, (x) => ({ ...x, trustPolicy: trust }));
          rewritten = s.resource;
          continue;
        }
        if (s.statement === undefined) assert.equal(rewritten, s.resource, `${label}: ${s.action} ${s.resource} has no deciding statement`);
        const as = s.statement === undefined ? trustEditPrincipal(s.principal) : s.principal;
        assert.ok(allowed(u, as, s.action, s.resource, s.context), `${label}: ${as} ${s.action} ${s.resource}`);
      }
      assert.equal(path.hops[path.hops.length - 1], path.target, label);
      const end =
        path.grantedBy === undefined
          ? model
          : editPrincipal(model, path.target, (x) => ({ ...x, inlinePolicies: [{ name: 'granted', document: EVERYTHING }] }));
      for (const action of PROBES) assert.ok(allowed(end, path.target, action, '*'), `${label}: ${path.target} is not allowed ${action} at the end`);
    }
  }
}

test('every reported path replays through the evaluator and ends at an admin (random accounts)', async () => {
  await fc.assert(
    fc.asyncProperty(account, async (a) => {
      const u = createUniverse({ accounts: [a] });
      replay(auditModel(u).universe, await runAudit(u, { at: AT }));
    }),
    { numRuns: 80 },
  );
});

test("every reported path replays through the evaluator and ends at an admin (IAM-Vulnerable's export)", async () => {
  const file = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));
  const u = loadUniverse({ accountFiles: [file] }).universe;
  assert.ok(u);
  const r = await runAudit(u, { at: AT });
  assert.ok(r.principals.filter((p) => p.paths.length > 0).length > 60);
  replay(auditModel(u).universe, r);
});
