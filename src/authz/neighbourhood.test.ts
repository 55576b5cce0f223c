import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadUniverse } from './universe.js';
import { neighbourhood, type NeighbourEdge } from './neighbourhood.js';
import { rolesAssumableBy, rolesPassableBy, whoCanAssume, whoCanPass, type QueryDecision } from './queries.js';
import type { Universe } from '../account/query.js';

const VULN = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));
const V = 'arn:aws:iam::200611803367';

function load(files: readonly string[]): Universe {
  const r = loadUniverse({ accountFiles: files });
  assert.ok(r.universe, JSON.stringify(r.diagnostics));
  return r.universe;
}

function bundle(text: string): Universe {
  const file = join(mkdtempSync(join(tmpdir(), 'iamsim-nb-')), 'b.yaml');
  writeFileSync(file, text);
  return load([file]);
}

const vulnerable = load([VULN]);

/**
 * Requests the pruning must not lose: PassRole granted through NotAction, `iam:Pass*` and `*`;
 * trust policies naming an account id, a role ARN with a path, a user, `*` with a condition, a
 * service, and a principal of another modelled account.
 */
const TRICKY = bundle(`
accounts:
  - id: "111111111111"
    users:
      - name: notaction
        policies:
          P: {Version: "2012-10-17", Statement: [{Effect: Allow, NotAction: "s3:*", Resource: "*"}]}
      - name: wildcard
        policies:
          P: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["iam:Pass*", "sts:Assume*"], Resource: "arn:aws:iam::111111111111:role/app-*"}]}
      - name: conditional
        policies:
          P: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*", Condition: {StringEquals: {aws:RequestTag/team: ml}}}]}
      - name: nothing
        policies:
          P: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
      - name: denied
        policies:
          P: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}, {Effect: Deny, Action: "iam:PassRole", Resource: "*", Condition: {StringEquals: {iam:PassedToService: lambda.amazonaws.com}}}]}
    roles:
      - name: app-account
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "111111111111"}, Action: sts:AssumeRole}]}
      - name: app-named
        path: /team/
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: ["arn:aws:iam::111111111111:user/nothing", "arn:aws:iam::111111111111:role/x/app-account"]}, Action: sts:AssumeRole}]}
      - name: app-open
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: sts:AssumeRole, Condition: {StringEquals: {aws:PrincipalOrgID: o-abc}}}]}
      - name: app-service
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {Service: [sagemaker.amazonaws.com, lambda.amazonaws.com]}, Action: sts:AssumeRole}]}
        policies:
          P: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: iam:PassRole, Resource: "*"}]}
  - id: "222222222222"
    roles:
      - name: partner
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:root"}, Action: sts:AssumeRole}]}
        policies:
          P: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: sts:AssumeRole, Resource: "*"}]}
`);
const T = 'arn:aws:iam::111111111111';

const key = (from: string, to: string, kind: string, d: QueryDecision): string =>
  `${from} ${kind} ${to} ${d.action} ${d.service ?? ''} ${d.decision} ${d.missingContextValues.join(',')}`;

/** Every edge into and out of `focus`, from the unbounded queries of queries.ts (what the console drew before). */
function unbounded(u: Universe, focus: string): Set<string> {
  const out = new Set<string>();
  const a = whoCanAssume(u, focus);
  for (const d of [...(a?.allowed ?? []), ...(a?.conditional ?? [])]) if (d.principal !== focus) out.add(key(d.principal, focus, 'assume', d));
  for (const g of whoCanPass(u, focus)?.principals ?? []) {
    for (const d of [...g.services, ...g.conditional]) if (g.principal !== focus) out.add(key(g.principal, focus, 'pass', d));
  }
  const o = rolesAssumableBy(u, focus);
  for (const d of [...o.allowed, ...o.conditional]) if (d.resource !== focus) out.add(key(focus, d.resource, 'assume', d));
  for (const g of rolesPassableBy(u, focus)) for (const d of [...g.services, ...g.conditional]) out.add(key(focus, g.principal, 'pass', d));
  return out;
}

const keys = (edges: readonly NeighbourEdge[]): Set<string> => new Set(edges.map((e) => key(e.from, e.to, e.kind, e.decision)));

const everyone = (u: Universe): string[] => [...u.accounts.values()].flatMap((a) => [...a.users.map((x) => x.arn), ...a.roles.map((r) => r.arn)]);

test('unbounded, the neighbourhood has exactly the edges of who-can assume/pass and roles assumable/passable by (tricky grants and trusts)', () => {
  for (const focus of [...everyone(TRICKY), 'sagemaker.amazonaws.com', 'lambda.amazonaws.com']) {
    const n = neighbourhood(TRICKY, focus, { limit: 10_000 });
    assert.deepEqual([...keys(n.edges)].sort(), [...unbounded(TRICKY, focus)].sort(), focus);
    assert.deepEqual(n.more, [], focus);
  }
  // The pruning kept what it had to: NotAction and iam:Pass* grants, the cross-account partner, the named user.
  const edges = [...keys(neighbourhood(TRICKY, `${T}:role/app-account`, { limit: 10_000 }).edges)].join('\n');
  assert.match(edges, /user\/notaction pass .*role\/app-account iam:PassRole sagemaker\.amazonaws\.com allowed/);
  assert.match(edges, /user\/wildcard pass .*role\/app-account iam:PassRole/);
  assert.match(edges, /user\/conditional pass .*role\/app-account iam:PassRole \S+ conditional aws:RequestTag\/team/);
  assert.doesNotMatch(edges, /user\/nothing/);
  // The Deny on PassRole to Lambda holds: every other service, not that one.
  assert.match(edges, /user\/denied pass .*iam:PassRole sagemaker\.amazonaws\.com allowed/);
  assert.doesNotMatch(edges, /user\/denied pass .*lambda/);
  // Across accounts: the partner role trusts the other account, whose NotAction user may call sts:AssumeRole.
  const partner = [...keys(neighbourhood(TRICKY, 'arn:aws:iam::222222222222:role/partner', { limit: 10_000 }).edges)].join('\n');
  assert.match(partner, /user\/notaction assume arn:aws:iam::222222222222:role\/partner sts:AssumeRole {2}allowed/);
  assert.doesNotMatch(partner, /user\/nothing/);
  const named = [...keys(neighbourhood(TRICKY, `${T}:role/team/app-named`, { limit: 10_000 }).edges)].join('\n');
  assert.match(named, /user\/nothing assume .*app-named sts:AssumeRole {2}allowed/);
  assert.match(named, /role\/app-account assume .*app-named/);
});

test('unbounded, the neighbourhood equals the unbounded queries on IAM-Vulnerable (roles, users, a service)', () => {
  const focuses = [
    `${V}:role/privesc-high-priv-service-role`,
    `${V}:role/privesc-sre-role`,
    `${V}:role/privesc-permissive-role-trust`,
    `${V}:role/privesc9-AttachRolePolicy-role`,
    `${V}:user/privesc-sre-user`,
    `${V}:user/privesc1-CreateNewPolicyVersion-user`,
    'ec2.amazonaws.com',
  ];
  for (const focus of focuses) {
    const n = neighbourhood(vulnerable, focus, { limit: 10_000 });
    const want = unbounded(vulnerable, focus);
    assert.ok(want.size > 0 || focus.includes('privesc1-'), `${focus} has edges`);
    assert.deepEqual([...keys(n.edges)].sort(), [...want].sort(), focus);
  }
});

test('a limit keeps that many neighbours, allowed first then by name, with all their edges, and counts the others exactly', () => {
  const focus = `${V}:role/privesc-high-priv-service-role`;
  const full = neighbourhood(vulnerable, focus, { limit: 10_000 });
  const all = full.nodes.filter((x) => x.id !== focus);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: all.length + 2 }), (limit) => {
      const n = neighbourhood(vulnerable, focus, { limit });
      const kept = n.nodes.filter((x) => x.id !== focus).map((x) => x.id);
      assert.equal(kept.length, Math.min(limit, all.length));
      const left = all.length - kept.length;
      assert.deepEqual(n.more, left > 0 ? [{ node: focus, count: left, exact: true, unchecked: 0 }] : []);
      // Every edge of a kept neighbour is there, none of another.
      const mine = keys(full.edges.filter((e) => kept.includes(e.from) || kept.includes(e.to)));
      assert.deepEqual([...keys(n.edges)].sort(), [...mine].sort());
      // Allowed neighbours before those reached only with context.
      const allowed = (id: string) => full.edges.some((e) => (e.from === id || e.to === id) && e.decision.decision === 'allowed');
      const ranks = kept.map((id) => (allowed(id) ? 0 : 1));
      assert.deepEqual(ranks, [...ranks].sort());
    }),
    { numRuns: 12 },
  );
});

test('a budget that runs out makes the count a lower bound and says how many candidates were not decided', () => {
  const focus = `${V}:role/privesc-high-priv-service-role`;
  const total = neighbourhood(vulnerable, focus, { limit: 10_000 }).nodes.length - 1;
  const n = neighbourhood(vulnerable, focus, { limit: 2, budget: 20 });
  const [more] = n.more;
  assert.ok(more);
  assert.equal(more.exact, false);
  assert.ok(more.unchecked > 0);
  assert.ok(more.count + 2 <= total, 'a lower bound');
  assert.ok(n.decided < 200, `${n.decided} decisions`);
});

test('depth and direction: two steps in, every node reached by an edge from the step before', () => {
  const focus = `${T}:role/app-account`;
  const n = neighbourhood(TRICKY, focus, { direction: 'in', depth: 2, limit: 100 });
  const depth = new Map(n.nodes.map((x) => [x.id, x.depth]));
  assert.ok(
    n.nodes.some((x) => x.depth === 2),
    JSON.stringify(n.nodes),
  );
  // Every edge points toward the focus side (in), and every node past the focus leads to one a step closer.
  for (const e of n.edges) assert.ok(depth.get(e.to)! <= 1 && depth.get(e.from)! >= depth.get(e.to)!, `${e.from} → ${e.to}`);
  for (const x of n.nodes.filter((y) => y.depth > 0)) {
    assert.ok(
      n.edges.some((e) => e.from === x.id && depth.get(e.to) === x.depth - 1),
      x.id,
    );
  }
  const out = neighbourhood(TRICKY, `${T}:user/notaction`, { direction: 'out', limit: 100 });
  assert.ok(out.edges.length > 0 && out.edges.every((e) => e.from === `${T}:user/notaction`));
  // A user is never assumed or passed: nothing comes in.
  assert.deepEqual(neighbourhood(TRICKY, `${T}:user/notaction`, { direction: 'in' }).edges, []);
});
