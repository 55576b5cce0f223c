/**
 * Ties the reasoner to the evaluator: for random policy pairs and random
 * concrete requests (resources fitting the action's resource types, the
 * request space of docs/reason.md), a PASS ("B allows nothing A does not") is never
 * contradicted by a sampled request, and every FAIL's counterexample is
 * allowed by B and not by A when replayed through `iamsim simulate`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePolicy } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { makeContext, type ContextKeyType } from '../eval/request.js';
import { parsePolicy } from '../policy/parse.js';
import { resourceTypeOfArn } from '../catalog/catalog.js';
import { checkNoNewAccess } from './checks.js';
import { simulateDecision } from './test-support.test.js';
import { accountOfCaller } from './principals.js';

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:Get*', 's3:*Object', 's3:*', 's3:Put?bject'];
const RESOURCES = ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a?', 'arn:aws:s3:::b/ab', '*', 'arn:aws:s3:::c/*', 'arn:aws:s3:::b', 'arn:aws:s3:::b*'];
const CONDITIONS: Record<string, Record<string, unknown>>[] = [
  { StringEquals: { 'aws:PrincipalTag/team': 'ml' } },
  { StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'ML' } },
  { StringLike: { 'aws:PrincipalTag/team': 'm*' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': 'ops' } },
  { StringEqualsIfExists: { 'aws:PrincipalTag/team': 'ml' } },
  { Null: { 'aws:PrincipalTag/team': 'true' } },
  { NumericLessThan: { 's3:max-keys': '10' } },
  { NumericGreaterThanEquals: { 's3:max-keys': '5' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NotIpAddress: { 'aws:SourceIp': '10.1.0.0/16' } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
  { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['a*'] } },
  { Bool: { 'aws:SecureTransport': 'true' } },
];

const statement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  Action: fc.subarray(ACTIONS, { minLength: 1, maxLength: 2 }),
  Resource: fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 }),
  Condition: fc.option(fc.constantFrom(...CONDITIONS), { nil: undefined }),
});
const policy = fc.array(statement, { minLength: 1, maxLength: 3 }).map((st) => JSON.stringify({ Version: '2012-10-17', Statement: st }));

interface Entry {
  key: string;
  type: ContextKeyType;
  values: string[];
}
const entry = (key: string, type: ContextKeyType, choices: string[][]): fc.Arbitrary<Entry | undefined> =>
  fc.option(
    fc.constantFrom(...choices).map((values) => ({ key, type, values })),
    { nil: undefined },
  );
const request = fc.record({
  action: fc.constantFrom('s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject'),
  resource: fc.constantFrom(
    'arn:aws:s3:::b/ab',
    'arn:aws:s3:::b/a1',
    'arn:aws:s3:::b/abc',
    'arn:aws:s3:::c/x',
    'arn:aws:s3:::b',
    'arn:aws:s3:::B/ab',
    'arn:aws:s3:::bx',
  ),
  context: fc.tuple(
    entry('aws:PrincipalTag/team', 'string', [['ml'], ['ML'], ['ops'], ['mx']]),
    entry('s3:max-keys', 'numeric', [['3'], ['5'], ['10'], ['7']]),
    entry('aws:SourceIp', 'ip', [['10.1.2.3'], ['10.2.0.1'], ['192.0.2.1']]),
    entry('aws:TagKeys', 'stringList', [['a'], ['a', 'b'], ['c'], ['a', 'c'], ['ab']]),
    entry('aws:SecureTransport', 'boolean', [['true'], ['false']]),
  ),
});

interface Req {
  readonly action: string;
  readonly resource: string;
  readonly context: readonly (Entry | undefined)[];
}

/** The request space the reasoner decides over: resources fit one of the action's resource types. */
function real(req: Req): boolean {
  return resourceTypeOfArn(req.action, req.resource) !== undefined;
}

function allowed(text: string, req: Req): boolean {
  const p = compilePolicy(parsePolicy(text, { type: 'identity' }).policy!, 'P');
  const context = makeContext(req.context.filter((e): e is Entry => e !== undefined));
  return evaluate({ identity: [p] }, { action: req.action, resource: req.resource, context }).decision === 'allowed';
}

test('PASS is never contradicted by a sampled request; every FAIL witness replays', async () => {
  let decided = 0;
  await fc.assert(
    fc.asyncProperty(policy, policy, fc.array(request, { minLength: 25, maxLength: 25 }), async (a, b, reqs) => {
      const r = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: b, policyType: 'IDENTITY_POLICY' });
      if (r.result === 'PASS') {
        decided++;
        for (const q of reqs.filter(real)) assert.ok(!(allowed(b, q) && !allowed(a, q)), `PASS contradicted by ${JSON.stringify(q)}`);
      } else if (r.result === 'FAIL') {
        decided++;
        assert.equal(simulateDecision(r.counterexample!, b, false), 'allowed');
        assert.notEqual(simulateDecision(r.counterexample!, a, false), 'allowed');
      } else {
        assert.ok((r.unknownReasons ?? []).length > 0);
      }
    }),
    { numRuns: 120 },
  );
  assert.ok(decided >= 100, `decided ${decided} of 120`);
});

test('a policy never grants new access compared to itself', async () => {
  await fc.assert(
    fc.asyncProperty(policy, async (a) => {
      const r = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: a, policyType: 'IDENTITY_POLICY' });
      assert.equal(r.result, 'PASS', JSON.stringify(r));
    }),
    { numRuns: 60 },
  );
});

const PRINCIPALS: unknown[] = [
  '*',
  { AWS: '111122223333' },
  { AWS: 'arn:aws:iam::111122223333:role/Reader' },
  { AWS: 'arn:aws:iam::444455556666:root' },
  { Service: 'sns.amazonaws.com' },
  { AWS: 'arn:aws:iam::111122223333:user/alice' },
];
const resourceStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  Principal: fc.constantFrom(...PRINCIPALS),
  Action: fc.subarray(['s3:GetObject', 's3:PutObject', 's3:*'], { minLength: 1, maxLength: 2 }),
  Resource: fc.subarray(['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a?', '*'], { minLength: 1, maxLength: 2 }),
  Condition: fc.option(
    fc.constantFrom<Record<string, Record<string, unknown>>>(
      { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
      { StringNotEquals: { 'aws:PrincipalAccount': '111122223333' } },
      { Bool: { 'aws:SecureTransport': 'true' } },
    ),
    { nil: undefined },
  ),
});
const resourcePolicy = fc.array(resourceStatement, { minLength: 1, maxLength: 3 }).map((st) => JSON.stringify({ Version: '2012-10-17', Statement: st }));
const CALLERS = [
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws:iam::111122223333:user/bob',
  'arn:aws:sts::111122223333:assumed-role/Reader/s',
  'arn:aws:iam::444455556666:user/x',
  'arn:aws:iam::111122223333:root',
  'anonymous',
  'sns.amazonaws.com',
  'arn:aws:iam::999999999999:user/z',
];
const resourceRequest = fc
  .record({
    CallerArn: fc.constantFrom(...CALLERS),
    ActionNames: fc.constantFrom(['s3:GetObject'], ['s3:PutObject']),
    ResourceArns: fc.constantFrom(['arn:aws:s3:::b/ab'], ['arn:aws:s3:::b/abc'], ['arn:aws:s3:::c/x']),
    ContextEntries: fc.subarray([
      { ContextKeyName: 'aws:PrincipalOrgID', ContextKeyValues: ['o-abc123'], ContextKeyType: 'string' },
      { ContextKeyName: 'aws:PrincipalAccount', ContextKeyValues: ['111122223333'], ContextKeyType: 'string' },
      { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['false'], ContextKeyType: 'boolean' },
    ]),
  })
  .map((r) => {
    // The bucket belongs to an account other than the caller's (cross-account: the resource policy decides).
    const acct = accountOfCaller(r.CallerArn);
    return acct === undefined ? r : { ...r, ResourceOwner: acct === '999988887777' ? '999988887766' : '999988887777' };
  });

test('resource policies: PASS never contradicted by sampled callers; FAIL witnesses replay', async () => {
  await fc.assert(
    fc.asyncProperty(resourcePolicy, resourcePolicy, fc.array(resourceRequest, { minLength: 20, maxLength: 20 }), async (a, b, reqs) => {
      const r = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: b, policyType: 'RESOURCE_POLICY' });
      if (r.result === 'PASS') {
        for (const q of reqs) {
          const more = simulateDecision(q, b, true) === 'allowed' && simulateDecision(q, a, true) !== 'allowed';
          assert.ok(!more, `PASS contradicted by ${JSON.stringify(q)}`);
        }
      } else if (r.result === 'FAIL') {
        assert.equal(simulateDecision(r.counterexample!, b, true), 'allowed');
        assert.notEqual(simulateDecision(r.counterexample!, a, true), 'allowed');
      }
    }),
    { numRuns: 60 },
  );
});
