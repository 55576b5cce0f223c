/**
 * Property tests over random policies and requests (fast-check):
 *  - adding a Deny statement never turns a denial into an allow;
 *  - adding an Allow statement never turns an allow into a denial;
 *  - the per-action index (fast path) agrees with the plain scan;
 *  - explaining never changes the decision.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy } from '../src/policy/parse.js';
import type { Policy, PolicyType } from '../src/policy/model.js';
import { compilePolicy } from '../src/eval/compile.js';
import { evaluate } from '../src/eval/evaluate.js';
import type { EvaluationInput } from '../src/eval/types.js';
import { makeContext, type RequestContext } from '../src/eval/request.js';

const ACCT = '111122223333';
const OTHER = '444455556666';
const actions = ['s3:GetObject', 's3:PutObject', 'iam:PassRole', 'sagemaker:CreateTrainingJob', 'kms:Decrypt', 'sts:AssumeRole'];
const actionPatterns = [...actions, 's3:*', '*', 's3:Get*', 'sagemaker:Create*', 'iam:Pass?ole'];
const resources = ['arn:aws:s3:::bucket/a', 'arn:aws:s3:::bucket/b', `arn:aws:iam::${ACCT}:role/job`, `arn:aws:kms:us-east-1:${ACCT}:key/k1`, '*'];
const resourcePatterns = ['*', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a', `arn:aws:iam::${ACCT}:role/*`, 'arn:aws:kms:*:*:key/*'];
const callers = [`arn:aws:iam::${ACCT}:user/alice`, `arn:aws:sts::${ACCT}:assumed-role/job/s1`, `arn:aws:iam::${OTHER}:user/bob`, 'sagemaker.amazonaws.com'];
const principals: unknown[] = [
  '*',
  { AWS: ACCT },
  { AWS: `arn:aws:iam::${ACCT}:user/alice` },
  { AWS: `arn:aws:iam::${ACCT}:role/job` },
  { Service: 'sagemaker.amazonaws.com' },
  { AWS: OTHER },
];
const conditions: unknown[] = [
  undefined,
  { StringEquals: { 'aws:PrincipalTag/team': 'ml' } },
  { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } },
  { StringLike: { 'iam:PassedToService': 'sagemaker.*' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['user', 'project'] } },
  { Null: { 'aws:RequestTag/user': 'true' } },
  { NumericLessThan: { 's3:max-keys': '10' } },
];

const statement = (withPrincipal: boolean, effect?: 'Allow' | 'Deny') =>
  fc
    .record({
      Effect: effect ? fc.constant(effect) : fc.constantFrom('Allow', 'Deny'),
      act: fc.subarray(actionPatterns, { minLength: 1, maxLength: 3 }),
      notAction: fc.boolean(),
      res: fc.subarray(resourcePatterns, { minLength: 1, maxLength: 2 }),
      cond: fc.constantFrom(...conditions),
      principal: fc.constantFrom(...principals),
    })
    .map((s) => {
      const st: Record<string, unknown> = { Effect: s.Effect };
      st[s.notAction && s.Effect === 'Deny' ? 'NotAction' : 'Action'] = s.act;
      st['Resource'] = s.res;
      if (s.cond !== undefined) st['Condition'] = s.cond;
      if (withPrincipal) st['Principal'] = s.principal;
      return st;
    });

const doc = (withPrincipal: boolean) => fc.array(statement(withPrincipal), { minLength: 1, maxLength: 4 });

const context = fc.record({
  team: fc.constantFrom(undefined, 'ml', 'data'),
  region: fc.constantFrom(undefined, 'us-east-1', 'eu-west-1'),
  passed: fc.constantFrom(undefined, 'sagemaker.amazonaws.com', 'events.amazonaws.com'),
  tags: fc.constantFrom(undefined, [], ['user'], ['other']),
});

function parse(statements: unknown[], type: PolicyType, name: string): Policy {
  const res = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), { type, name });
  assert.ok(res.policy, res.diagnostics.map((d) => d.message).join('; '));
  return res.policy;
}

interface World {
  identity: unknown[];
  boundary: unknown[] | undefined;
  resource: unknown[] | undefined;
  scp: unknown[] | undefined;
}

function input(w: World): EvaluationInput {
  return {
    identity: [compilePolicy(parse(w.identity, 'identity', 'id'), 'PolicyInputList.1')],
    ...(w.boundary ? { boundary: [compilePolicy(parse(w.boundary, 'boundary', 'pb'), 'PermissionsBoundaryPolicyInputList.1')] } : {}),
    ...(w.resource ? { resource: compilePolicy(parse(w.resource, 'resource', 'rp'), 'ResourcePolicy') } : {}),
    ...(w.scp ? { scp: [[compilePolicy(parse(w.scp, 'scp', 'scp'), 'ServiceControlPolicyInputList.1.1')]] } : {}),
    resourceOwnerAccount: ACCT,
  };
}

const world = fc.record({
  identity: doc(false),
  boundary: fc.option(doc(false), { nil: undefined }),
  resource: fc.option(doc(true), { nil: undefined }),
  scp: fc.option(doc(false), { nil: undefined }),
});

const request = fc
  .record({ action: fc.constantFrom(...actions), resource: fc.constantFrom(...resources), caller: fc.constantFrom(...callers), ctx: context })
  .map(({ action, resource, caller, ctx }): RequestContext => {
    const entries: { key: string; type: 'string' | 'stringList'; values: readonly string[] }[] = [];
    if (ctx.team) entries.push({ key: 'aws:PrincipalTag/team', type: 'string', values: [ctx.team] });
    if (ctx.region) entries.push({ key: 'aws:RequestedRegion', type: 'string', values: [ctx.region] });
    if (ctx.passed) entries.push({ key: 'iam:PassedToService', type: 'string', values: [ctx.passed] });
    if (ctx.tags) entries.push({ key: 'aws:TagKeys', type: 'stringList', values: ctx.tags });
    return { action, resource, principal: caller, context: makeContext(entries) };
  });

const layers = ['identity', 'boundary', 'resource', 'scp'] as const;
const RUNS = { numRuns: 400 };

function addStatement(w: World, layer: (typeof layers)[number], st: unknown): World {
  const cur = w[layer];
  if (layer === 'identity') return { ...w, identity: [...w.identity, st] };
  return { ...w, [layer]: [...(cur ?? []), st] };
}

test('adding a Deny never turns a denial into an allow', () => {
  fc.assert(
    fc.property(world, request, fc.constantFrom(...layers), statement(true, 'Deny'), (w, req, layer, st) => {
      const before = evaluate(input(w), req).decision;
      const s = { ...st };
      if (layer !== 'resource') delete s['Principal'];
      const after = evaluate(input(addStatement(w, layer, s)), req).decision;
      if (before !== 'allowed') assert.notEqual(after, 'allowed');
    }),
    RUNS,
  );
});

test('adding an Allow never turns an allow into a denial', () => {
  fc.assert(
    fc.property(world, request, fc.constantFrom(...layers), statement(true, 'Allow'), (w, req, layer, st) => {
      const before = evaluate(input(w), req).decision;
      const s = { ...st };
      if (layer !== 'resource') delete s['Principal'];
      if ('NotAction' in s) return; // Allow with NotAction is legal but lint-worthy; keep generated Allows plain
      // Creating a boundary, SCP or resource policy where none was given changes which rules apply
      // (a guardrail appears; a KMS key policy or trust policy must then allow): only extend existing ones.
      if (layer !== 'identity' && w[layer] === undefined) return;
      const after = evaluate(input(addStatement(w, layer, s)), req).decision;
      if (before === 'allowed') assert.equal(after, 'allowed');
    }),
    RUNS,
  );
});

test('the indexed fast path agrees with the plain evaluator, with and without explanation', () => {
  fc.assert(
    fc.property(world, request, (w, req) => {
      const inp = input(w);
      const fast = evaluate(inp, req);
      const plain = evaluate(inp, req, { useIndex: false });
      const explained = evaluate(inp, req, { explain: true });
      // The fast paths (per-action index, identity-only shortcut) must give the very same Decision.
      assert.deepEqual(fast, plain);
      assert.equal(explained.decision, fast.decision);
      assert.deepEqual(explained.matchedStatements, fast.matchedStatements);
      assert.equal(explained.reason, fast.reason);
    }),
    RUNS,
  );
});

test('the identity-only fast path gives the same Decision as the plain evaluator', () => {
  const identityOnly = doc(false).map((identity): World => ({ identity, boundary: undefined, resource: undefined, scp: undefined }));
  const owner = fc.constantFrom(undefined, ACCT, OTHER);
  fc.assert(
    fc.property(identityOnly, request, owner, (w, req, resourceOwner) => {
      const inp = input(w);
      const r: RequestContext = resourceOwner === undefined ? req : { ...req, resourceOwner };
      assert.deepEqual(evaluate(inp, r), evaluate(inp, r, { useIndex: false }));
    }),
    RUNS,
  );
});
