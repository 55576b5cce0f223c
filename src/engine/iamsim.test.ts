import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildBatch, parseFiles } from '../account/import/index.js';
import { createUniverse } from '../account/query.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compilePolicy } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { DEFAULT_CACHE_SIZES, Iamsim } from './iamsim.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/accounts/authorization-details.json', import.meta.url));
const A = 'arn:aws:iam::111122223333:user/alice';
const B = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000';
const C = 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole';
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });

function stat(engine: Iamsim, cache: string): { entries: number; capacity: number } {
  const s = engine.cacheStats().find((c) => c.cache === cache);
  assert.ok(s, cache);
  return s;
}

test('cache sizes come from the options; bad sizes are refused', () => {
  const dflt = new Iamsim();
  assert.equal(stat(dflt, 'policy-texts').capacity, DEFAULT_CACHE_SIZES.policyTexts + DEFAULT_CACHE_SIZES.policyTextsYoung);
  assert.equal(stat(dflt, 'assemblies').capacity, DEFAULT_CACHE_SIZES.assemblies);
  const small = new Iamsim({ caches: { policyTexts: 4, policyTextsYoung: 2, assemblies: 3 } });
  assert.equal(stat(small, 'policy-texts').capacity, 6);
  assert.equal(stat(small, 'assemblies').capacity, 3);
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new Iamsim({ caches: { assemblies: bad } }), RangeError);
});

test('two engines share nothing: a policy parsed by one is not in the other', async () => {
  const a = new Iamsim();
  const b = new Iamsim();
  const first = a.parsePolicy(POLICY, 'identity', 'p', false);
  assert.equal(a.parsePolicy(POLICY, 'identity', 'p', false), first, 'a hit returns the parsed policy kept');
  assert.equal(stat(a, 'policy-texts').entries, 1);
  assert.equal(stat(b, 'policy-texts').entries, 0);
  assert.notEqual(b.parsePolicy(POLICY, 'identity', 'p', false), first);
  assert.throws(() => a.reason, /not loaded yet/, 'the reasoner is loaded on first use only');
  const [ra, rb] = await Promise.all([a.reasoning(), b.reasoning()]);
  assert.notEqual(ra, rb);
  assert.equal(await a.reasoning(), ra, 'one reasoner per engine');
  assert.equal(a.reason, ra);
});

test('the policy-text cache stays within its size', () => {
  const e = new Iamsim({ caches: { policyTexts: 3, policyTextsYoung: 2 } });
  for (let i = 0; i < 50; i++) {
    const text = POLICY.replace('s3:GetObject', `s3:GetObject${i % 7}`);
    e.parsePolicy(text, 'identity', 'p', true);
    e.parsePolicy(text, 'identity', 'p', true);
    assert.ok(stat(e, 'policy-texts').entries <= 5);
  }
});

test('the assembly cache drops an entry not used since it was last passed over, before a used one', () => {
  const diagnostics: Diagnostic[] = [];
  const batch = buildBatch(parseFiles([FIXTURE], {}, diagnostics), undefined, diagnostics);
  const u = createUniverse({ accounts: batch.accounts });
  const e = new Iamsim({ caches: { assemblies: 2 } });
  const req = (arn: string) => ({ principal: arn, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' });
  const a = e.assemblies.get(u, req(A));
  e.assemblies.get(u, req(B));
  assert.equal(e.assemblies.get(u, req(A)), a, 'A is a hit, and now the most recently used');
  e.assemblies.get(u, req(C)); // evicts B: A was used since
  assert.equal(e.assemblies.size, 2);
  assert.equal(e.assemblies.get(u, req(A)), a, 'A was kept');
});

test("the engine's evaluator memo decides as evaluate without one, stays within its sizes and is its own", () => {
  const e = new Iamsim({ caches: { callers: 4, actions: 4 } });
  const other = new Iamsim();
  const res = e.parsePolicy(POLICY, 'identity', 'p', false);
  assert.ok(res.policy);
  const input = { identity: [compilePolicy(res.policy, 'p')] };
  const callers = [A, B, C, 'arn:aws:sts::111122223333:assumed-role/R/s', 'arn:aws:iam::111122223333:root', 'ec2.amazonaws.com', 'anonymous'];
  const actions = ['s3:GetObject', 'S3:getobject', 's3:PutObject', 'sts:GetCallerIdentity', 'iam:PassRole', 'ec2:RunInstances'];
  for (let round = 0; round < 3; round++) {
    for (const principal of callers) {
      for (const action of actions) {
        const req = { principal, action, resource: 'arn:aws:s3:::b/k', context: new Map() };
        assert.deepEqual(e.evaluate(input, req, { explain: true }), evaluate(input, req, { explain: true }), `${principal} ${action}`);
        assert.deepEqual(e.evaluate(input, req), evaluate(input, req));
      }
    }
    assert.ok(stat(e, 'callers').entries <= 4 && stat(e, 'callers').entries > 0);
    assert.ok(stat(e, 'actions').entries <= 4 && stat(e, 'actions').entries > 0);
  }
  assert.equal(stat(e, 'callers').capacity, 4);
  assert.equal(stat(other, 'callers').entries, 0, 'another engine memoizes nothing of these');
  assert.throws(() => new Iamsim({ caches: { callers: 1 } }), RangeError);
});
