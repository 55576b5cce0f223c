/**
 * The helpers that decide many requests — who-can (authz/queries.ts `decide`),
 * the audit's exposure checks, discover and the reasoner's confirmations — go
 * through the evaluator's memo they are given, which for a long-lived caller
 * is its engine's (`Iamsim.memo`, also `Iamsim.reason.memo`): no second memo
 * beside the engine's, and the same answers as without one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildBatch, parseFiles } from '../account/import/index.js';
import { createUniverse } from '../account/query.js';
import { runAudit } from '../audit/index.js';
import { whoCanAssume, whoCanPass } from '../authz/queries.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { EvalMemo } from '../eval/memo.js';
import { discover } from '../reason/discover.js';
import { newReasonContext } from '../reason/index.js';
import { readSimulateInputValue } from '../simulate/input.js';
import { Iamsim } from './iamsim.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/accounts/authorization-details.json', import.meta.url));
const JOB_ROLE = 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole';

function fixtureModel() {
  const diagnostics: Diagnostic[] = [];
  const batch = buildBatch(parseFiles([FIXTURE], {}, diagnostics), undefined, diagnostics);
  return createUniverse({ accounts: batch.accounts });
}

test("the engine's reasoner decides through the engine's memo (no second memo beside it)", async () => {
  const e = new Iamsim();
  await e.reasoning();
  assert.equal(e.reason.memo, e.memo);
  assert.equal(e.reason.confirmer.memo, e.memo);
  const own = newReasonContext();
  assert.equal(own.confirmer.memo, own.memo, 'a context made without an engine has one memo, shared by its confirmer');
});

test('who-can decides through the memo it is given, with the same answers as without one', () => {
  const u = fixtureModel();
  const memo = new EvalMemo();
  const assume = whoCanAssume(u, JOB_ROLE, { memo });
  assert.ok(memo.callers.size > 0, 'the callers of the query were classified through the memo');
  assert.ok(memo.actions.size > 0);
  assert.deepEqual(assume, whoCanAssume(u, JOB_ROLE));
  const before = memo.callers.size;
  assert.deepEqual(whoCanPass(u, JOB_ROLE, { memo }), whoCanPass(u, JOB_ROLE));
  assert.ok(memo.callers.size >= before);
  assert.ok(memo.actions.get('iam:PassRole') !== undefined, 'PassRole was decided through the memo');
});

/** A role that an outside account may assume (an exposure the audit reports, decided by `decide`). */
function exposedModel() {
  const doc = (st: object): string => JSON.stringify({ Version: '2012-10-17', Statement: [st] });
  const role = {
    arn: 'arn:aws:iam::111111111111:role/Vendor',
    name: 'Vendor',
    path: '/',
    trustPolicy: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::999999999999:root' } }),
    inlinePolicies: [{ name: 'all', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
  };
  return createUniverse({ accounts: [{ id: '111111111111', users: [], groups: [], roles: [role], managedPolicies: [], resourcePolicies: [], sources: [] }] });
}

test("the audit's exposure checks decide through the reason context's memo", async () => {
  const u = exposedModel();
  // The confirmer keeps a memo of its own here, so what reaches `memo` came through the exposure checks' decisions.
  const memo = new EvalMemo();
  const reason = { ...newReasonContext(), memo };
  const at = new Date('2026-01-01T00:00:00Z');
  const withMemo = await runAudit(u, { at, reason });
  assert.ok(memo.callers.size > 0 && memo.actions.get('sts:AssumeRole') !== undefined, 'exposure decisions used the memo');
  assert.equal(withMemo.exposures.length, 1);
  const without = await runAudit(exposedModel(), { at });
  assert.deepEqual(withMemo.exposures, without.exposures);
});

test("discover's decision as given goes through the reason context's memo", () => {
  const r = readSimulateInputValue({
    PolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] })],
    ActionNames: ['s3:GetObject'],
    ResourceArns: ['arn:aws:s3:::b/k'],
  });
  assert.ok(r.request, JSON.stringify(r.diagnostics));
  const ctx = newReasonContext(new EvalMemo());
  const [res] = discover(r.request, ctx);
  assert.equal(res?.decisionAsGiven, 'allowed');
  assert.equal(ctx.memo.actions.get('s3:GetObject'), 's3:getobject');
});
