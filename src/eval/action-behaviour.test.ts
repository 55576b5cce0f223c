/**
 * `actionBehaviour` (evaluate.ts) claims to be everything the evaluator reads
 * from a request's action besides which statements' Action/NotAction match it.
 * Property: two requests that differ only in the action, whose matching
 * statements are the same in every layer and whose actionBehaviour is equal,
 * get the same decision — over random identity, boundary, SCP, RCP and
 * resource policies. The audit relies on it to decide such actions once
 * (src/audit/share.ts starActionClass). Sources for the special cases:
 * STS API reference (GetCallerIdentity), Organizations guide (services RCPs
 * apply to), IAM User Guide reference_policies_evaluation-logic (trust and key
 * policies must grant by themselves).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy } from '../policy/parse.js';
import type { PolicyType } from '../policy/model.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { actionBehaviour, evaluate } from './evaluate.js';
import type { EvaluationInput } from './types.js';

const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  'sqs:SendMessage',
  'kms:Decrypt',
  'kms:Encrypt',
  'sts:AssumeRole',
  'sts:GetCallerIdentity',
  'sts:TagSession',
  'ec2:RunInstances',
  'ec2:StopInstances',
  'iam:PassRole',
  'iam:CreateAccessKey',
];
const PATTERNS = ['*', 's3:*', 's3:Get*', 'kms:*', 'sts:*', 'ec2:*', 'iam:*', 'sqs:*', ...ACTIONS];
const CALLER = 'arn:aws:iam::111122223333:user/alice';

function statement(resourceSide: boolean) {
  return fc
    .record({
      Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      key: fc.constantFrom('Action', 'Action', 'NotAction'),
      list: fc.subarray(PATTERNS, { minLength: 1, maxLength: 3 }),
      Resource: fc.constantFrom('*', 'arn:aws:s3:::b/*', '*'),
      principal: fc.constantFrom({ AWS: CALLER }, { AWS: '111122223333' }, '*'),
    })
    .map(({ key, list, principal, ...s }) => ({ ...s, [key]: list, ...(resourceSide ? { Principal: principal } : {}) }));
}

function policy(type: PolicyType, resourceSide: boolean, id: string) {
  return fc.array(statement(resourceSide), { minLength: 1, maxLength: 3 }).map((Statement): CompiledPolicy => {
    const parsed = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement }), { type }).policy;
    assert.ok(parsed);
    return compilePolicy(parsed, id);
  });
}

const input: fc.Arbitrary<EvaluationInput> = fc
  .record({
    identity: fc.array(policy('identity', false, 'i'), { maxLength: 2 }),
    boundary: fc.option(fc.array(policy('identity', false, 'b'), { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 2 }),
    scp: fc.option(fc.array(fc.array(policy('scp', false, 's'), { minLength: 1, maxLength: 1 }), { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 }),
    rcp: fc.option(fc.array(fc.array(policy('rcp', true, 'r'), { minLength: 1, maxLength: 1 }), { minLength: 1, maxLength: 1 }), { nil: undefined, freq: 2 }),
    resource: fc.option(policy('resource', true, 'p'), { nil: undefined, freq: 2 }),
    owner: fc.constantFrom('111122223333', '444455556666'),
  })
  .map(({ owner, ...i }) => {
    const out: EvaluationInput = { identity: i.identity, resourceOwnerAccount: owner };
    return {
      ...out,
      ...(i.boundary ? { boundary: i.boundary } : {}),
      ...(i.scp ? { scp: i.scp } : {}),
      ...(i.rcp ? { rcp: i.rcp } : {}),
      ...(i.resource ? { resource: i.resource } : {}),
    };
  });

/** The statements naming the action, in every layer, as one comparable value. */
function matching(i: EvaluationInput, lower: string): string {
  const layers: (readonly CompiledPolicy[])[] = [i.identity, i.boundary ?? [], ...(i.scp ?? []), ...(i.rcp ?? []), i.resource ? [i.resource] : []];
  return layers
    .map((l) =>
      l
        .map((p) =>
          p
            .candidates(lower)
            .map((s) => s.ref.index)
            .join(','),
        )
        .join(';'),
    )
    .join('|');
}

test('actions the evaluator cannot tell apart (same matching statements, same actionBehaviour) are decided alike (property)', () => {
  let compared = 0;
  fc.assert(
    fc.property(input, fc.constantFrom('*', 'arn:aws:s3:::b/k'), (i, resource) => {
      const lowers = ACTIONS.map((a) => a.toLowerCase());
      const byClass = new Map<string, { action: string; decision: string }>();
      for (const [n, action] of ACTIONS.entries()) {
        const lower = lowers[n] ?? '';
        const key = `${matching(i, lower)}#${actionBehaviour(lower, i)}`;
        const decision = evaluate(i, { principal: CALLER, action, resource, context: new Map() }).decision;
        const seen = byClass.get(key);
        if (seen === undefined) byClass.set(key, { action, decision });
        else {
          compared++;
          assert.equal(decision, seen.decision, `${action} and ${seen.action} share ${key}`);
        }
      }
    }),
    { numRuns: 600 },
  );
  assert.ok(compared > 100, `only ${compared} pairs compared`);
});

test('actionBehaviour tells apart what the evaluator treats specially', () => {
  const empty: EvaluationInput = { identity: [] };
  assert.notEqual(actionBehaviour('sts:getcalleridentity', empty), actionBehaviour('sts:getsessiontoken', empty));
  const parsed = parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}', {
    type: 'resource',
  }).policy;
  assert.ok(parsed);
  const withResource: EvaluationInput = { identity: [], resource: compilePolicy(parsed, 'r') };
  assert.notEqual(actionBehaviour('kms:decrypt', withResource), actionBehaviour('s3:getobject', withResource));
  assert.equal(actionBehaviour('kms:decrypt', empty), actionBehaviour('s3:getobject', empty));
  const rcp: EvaluationInput = { identity: [], rcp: [[compilePolicy(parsed, 'rcp')]] };
  assert.notEqual(actionBehaviour('s3:getobject', rcp), actionBehaviour('ec2:runinstances', rcp));
});
