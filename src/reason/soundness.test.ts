/**
 * Never a wrong PASS, over the evaluator's whole value space: policies and
 * requests are drawn from Unicode strings with case-mapping characters,
 * epoch dates (fractions, years past 9999), CIDR-shaped and IPv4-mapped IP
 * values, decimals with exponents, and every principal form (accounts, user /
 * role / session ARNs, CloudFront OAIs, canonical users, services, web-identity
 * providers, anonymous). A PASS is never contradicted by a sampled request
 * under `iamsim simulate`; every FAIL's counterexample replays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkNoNewAccess } from './checks.js';
import { assertAnswerHolds } from './test-support.test.js';

const STR = fc
  .array(fc.constantFrom('k', 'K', '\u212a', 'a', 'A', '\u212b', 'å', 'Å', 'ǅ', 'ǆ', 'x', '*', '?'), { minLength: 1, maxLength: 3 })
  .map((a) => a.join(''));
const DATE = fc.constantFrom(
  '2024-01-01T00:00:00Z',
  '1704067200',
  '1704067200.0005',
  '1704067200.001',
  '253402300800',
  '253402300799.5',
  '2024-01-01T00:00:00.001Z',
  '9'.repeat(30),
);
const IP = fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '10.1.2.3', '::ffff:10.0.0.0/104', '2001:db8::/32', '0.0.0.0/0', '192.0.2.7', '::ffff:10.1.2.3');
const NUM = fc.constantFrom('5', '5.5', '1e1', '-0', '10', '0.00001');

const condition = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('StringEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotEquals'),
      fc.array(STR, { minLength: 1, maxLength: 2 }),
    )
    .map(([op, v]) => ({ [op]: { 'aws:PrincipalTag/team': v } })),
  fc.tuple(fc.constantFrom('DateLessThan', 'DateGreaterThan', 'DateEquals', 'DateNotEquals'), DATE).map(([op, v]) => ({ [op]: { 'aws:CurrentTime': v } })),
  fc.tuple(fc.constantFrom('IpAddress', 'NotIpAddress'), fc.array(IP, { minLength: 1, maxLength: 2 })).map(([op, v]) => ({ [op]: { 'aws:SourceIp': v } })),
  fc.tuple(fc.constantFrom('NumericLessThan', 'NumericEquals', 'NumericGreaterThanEquals'), NUM).map(([op, v]) => ({ [op]: { 's3:max-keys': v } })),
);

const identityStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  Action: fc.constantFrom('s3:GetObject', 's3:*'),
  Resource: fc.constantFrom('*', 'arn:aws:s3:::b/*'),
  Condition: condition,
});
const identityPolicy = fc.array(identityStatement, { minLength: 1, maxLength: 3 }).map((st) => JSON.stringify({ Version: '2012-10-17', Statement: st }));

const entries = fc.tuple(
  fc.option(
    STR.map((v) => ({ ContextKeyName: 'aws:PrincipalTag/team', ContextKeyValues: [v.replace(/[*?]/g, 'x')], ContextKeyType: 'string' })),
    { nil: undefined },
  ),
  fc.option(
    DATE.map((v) => ({ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: [v], ContextKeyType: 'date' })),
    { nil: undefined },
  ),
  fc.option(
    IP.map((v) => ({ ContextKeyName: 'aws:SourceIp', ContextKeyValues: [v], ContextKeyType: 'ip' })),
    { nil: undefined },
  ),
  fc.option(
    NUM.map((v) => ({ ContextKeyName: 's3:max-keys', ContextKeyValues: [v], ContextKeyType: 'numeric' })),
    { nil: undefined },
  ),
);
const identityRequest = entries.map((e) => ({
  ActionNames: ['s3:GetObject'],
  ResourceArns: ['arn:aws:s3:::b/k'],
  ContextEntries: e.filter((x) => x !== undefined),
}));

test('identity policies over the whole value space: no PASS contradicted, every FAIL replays', async () => {
  let pass = 0;
  await fc.assert(
    fc.asyncProperty(identityPolicy, identityPolicy, fc.array(identityRequest, { minLength: 30, maxLength: 30 }), async (a, b, reqs) => {
      const r = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: b, policyType: 'IDENTITY_POLICY' });
      if (r.result === 'PASS') pass++;
      assertAnswerHolds(r, a, b, reqs, false);
    }),
    { numRuns: 150 },
  );
  assert.ok(pass > 5, `${pass} PASS answers were tested`);
});

const OAI = 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL';
const CU = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const PRINCIPALS: unknown[] = [
  '*',
  { AWS: '444455556666' },
  { AWS: 'arn:aws:iam::111122223333:root' },
  { AWS: 'arn:aws:iam::111122223333:role/Reader' },
  { AWS: 'arn:aws:iam::111122223333:user/alice' },
  { AWS: OAI },
  { CanonicalUser: CU },
  { Service: 'cloudfront.amazonaws.com' },
  { Federated: 'cognito-identity.amazonaws.com' },
];
const CALLERS = [
  'arn:aws:iam::444455556666:user/bob',
  'arn:aws:iam::444455556666:root',
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws:sts::111122223333:assumed-role/Reader/s',
  'arn:aws:iam::210987654321:user/other',
  OAI,
  'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1OTHER',
  CU,
  'cloudfront.amazonaws.com',
  'cognito-identity.amazonaws.com',
  'anonymous',
];
const resourceStatement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  Principal: fc.constantFrom(...PRINCIPALS),
  Action: fc.constantFrom('s3:GetObject', 's3:*'),
  Resource: fc.constantFrom('arn:aws:s3:::b/*', '*'),
  Condition: fc.option(condition, { nil: undefined }),
});
const resourcePolicy = fc.array(resourceStatement, { minLength: 1, maxLength: 3 }).map((st) => JSON.stringify({ Version: '2012-10-17', Statement: st }));
// The bucket's ARN names no account: the request space is callers of other accounts (docs/reason.md).
const resourceRequest = fc.tuple(fc.constantFrom(...CALLERS), entries, fc.constant('999988887777')).map(([caller, e, owner]) => ({
  CallerArn: caller,
  ActionNames: ['s3:GetObject'],
  ResourceArns: ['arn:aws:s3:::b/k'],
  ResourceOwner: owner,
  ContextEntries: e.filter((x) => x !== undefined),
}));

test('resource policies with every principal form: no PASS contradicted, every FAIL replays', async () => {
  await fc.assert(
    fc.asyncProperty(resourcePolicy, resourcePolicy, fc.array(resourceRequest, { minLength: 30, maxLength: 30 }), async (a, b, reqs) => {
      const r = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: b, policyType: 'RESOURCE_POLICY' });
      assertAnswerHolds(r, a, b, reqs, true);
    }),
    { numRuns: 120 },
  );
});
