/**
 * Bounds of a policy with holes (values known only after apply): for every
 * value a hole can take, the evaluator allows under the lower bound only
 * what it allows under the real policy, and under the real policy only what
 * it allows under the upper bound. And the symbol rule: strings that cannot
 * tell a generated name from another leave the answer exact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compilePolicy } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { parsePolicy } from '../policy/parse.js';
import { discriminates, materialize, SymbolTable, type SymbolInfo } from './symbols.js';

function allowed(text: string | undefined, action: string, resource: string, ctx: Record<string, string>): boolean {
  if (text === undefined) return false;
  const { policy } = parsePolicy(text, { type: 'identity', name: 'p' });
  assert.ok(policy, text);
  const context = new Map(Object.entries(ctx).map(([k, v]) => [k.toLowerCase(), { key: k, values: [v], type: 'string' as const, multivalued: false }]));
  return evaluate({ identity: [compilePolicy(policy, 'p')] }, { action, resource, context }).decision === 'allowed';
}

const ACTIONS = ['s3:GetObject', 's3:PutObject', 'sqs:SendMessage'];
const VALUES = ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/x', '*', 'arn:aws:sqs:us-east-1:111122223333:q', 's3:GetObject', 's3:*', 'x'];
const RESOURCES = ['arn:aws:s3:::a/k', 'arn:aws:s3:::b/x', 'arn:aws:sqs:us-east-1:111122223333:q'];

describe('bounds of a policy with holes', () => {
  it('property: lower ⊆ real ⊆ upper for every value of every hole, on every request', () => {
    const slot = fc.constantFrom('Action', 'Resource', 'NotResource', 'Condition', 'Effect', 'none');
    const stmt = fc.record({
      effect: fc.constantFrom('Allow', 'Deny'),
      action: fc.constantFrom(...ACTIONS, 's3:*'),
      resource: fc.constantFrom(...VALUES.slice(0, 4)),
      hole: slot,
    });
    fc.assert(
      fc.property(fc.array(stmt, { minLength: 1, maxLength: 3 }), fc.array(fc.constantFrom(...VALUES), { minLength: 3, maxLength: 3 }), (sts, values) => {
        const table = new SymbolTable();
        const build = (fill: (i: number) => string): string =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: sts.map((s, i) => {
              const v = s.hole === 'none' ? undefined : fill(i);
              const effect = s.hole === 'Effect' ? (v === 'x' || v === undefined || !v.startsWith('iamsim') ? (v === '*' ? 'Deny' : 'Allow') : v) : s.effect;
              return {
                Effect: s.hole === 'Effect' && v?.startsWith('iamsim') ? v : effect,
                Action: s.hole === 'Action' ? [s.action, v] : s.action,
                ...(s.hole === 'NotResource' ? { NotResource: v } : { Resource: s.hole === 'Resource' ? [s.resource, v] : s.resource }),
                ...(s.hole === 'Condition' ? { Condition: { StringEquals: { 'aws:ResourceTag/team': v } } } : {}),
              };
            }),
          });
        const markers = sts.map((s, i) => table.hole('r', `a${i}`, 'test', s.hole === 'Resource' ? '*' : '*'));
        const withHoles = build((i) => markers[i]!);
        const real = build((i) => {
          const v = values[i % values.length]!;
          return sts[i]!.hole === 'Effect' ? (v === '*' ? 'Deny' : 'Allow') : v;
        });
        const upper = materialize(withHoles, 'upper', table);
        const lower = materialize(withHoles, 'lower', table);
        for (const action of ACTIONS) {
          for (const resource of RESOURCES) {
            for (const ctx of [{}, { 'aws:ResourceTag/team': values[0]! }]) {
              const r = allowed(real, action, resource, ctx);
              if (allowed(lower, action, resource, ctx)) assert.ok(r, `lower allows more than real: ${action} ${resource} ${lower} / ${real}`);
              if (r) assert.ok(allowed(upper, action, resource, ctx), `real allows more than upper: ${action} ${resource} ${real} / ${upper}`);
            }
          }
        }
      }),
      { numRuns: 150, seed: 22 },
    );
  });
});

describe('symbols', () => {
  const bucket: SymbolInfo = { token: 'iamsim-sym1-B', address: 'B', attribute: 'BucketName', prefix: 'arn:aws:s3:::', slashFree: true, kind: 'name' };
  it('patterns that cover every name alike, other shapes and literal names do not tell a generated name apart', () => {
    for (const s of ['*', 'arn:aws:s3:::*', 'arn:aws:s3:::*/*', 'arn:*:s3:::*', 'arn:aws:s3:::data/*', 'arn:aws:s3:::data', 's3:Get*', 'arn:aws:sqs:*:*:*']) {
      assert.equal(discriminates(bucket, s), false, s);
    }
  });
  it('a partial pattern over the name or a policy variable does', () => {
    for (const s of ['arn:aws:s3:::mystack-*', 'arn:aws:s3:::*-prod/*', 'arn:aws:s3:::?/*', 'arn:aws:s3:::${aws:username}']) {
      assert.equal(discriminates(bucket, s), true, s);
    }
  });
  it('the account symbol is told apart by any literal account', () => {
    const account: SymbolInfo = { token: '000000000000', address: 'x', attribute: 'account', prefix: '', slashFree: true, kind: 'account' };
    assert.equal(discriminates(account, 'arn:aws:iam::444455556666:root'), true);
    assert.equal(discriminates(account, 'arn:aws:iam::*:root'), false);
  });
});
