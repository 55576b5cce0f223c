import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, clausesFromBlock, ctx, evaluateBlock, requestWith, splitOperator } from './clause-builder.js';
import { compileConditions } from './index.js';

const m = (block: Parameters<typeof evaluateBlock>[0], c: Record<string, string | string[]>): boolean => evaluateBlock(block, ctx(c)).matched;

test('splitOperator', () => {
  assert.deepEqual(splitOperator('ForAnyValue:StringLikeIfExists'), { setQualifier: 'ForAnyValue', baseOperator: 'StringLike', ifExists: true });
  assert.deepEqual(splitOperator('StringEquals'), { baseOperator: 'StringEquals', ifExists: false });
});

// reference_policies_multi-value-conditions.md: operators AND, keys AND, values OR.
test('AND across operators and keys, OR across values', () => {
  const block = {
    StringEqualsIgnoreCase: { 'aws:PrincipalTag/department': ['finance', 'hr', 'legal'], 'aws:PrincipalTag/role': ['audit', 'security'] },
    StringEquals: { 'aws:PrincipalAccount': '123456789012' },
  };
  const base = { 'aws:PrincipalTag/department': 'HR', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalAccount': '123456789012' };
  assert.equal(m(block, base), true);
  assert.equal(m(block, { ...base, 'aws:PrincipalTag/role': 'dev' }), false);
  assert.equal(m(block, { ...base, 'aws:PrincipalAccount': '1' }), false);
});

// reference_policies_elements_condition_operators.md, "Important" note and "...IfExists".
test('absent key: false, negated true, IfExists true', () => {
  assert.equal(m({ StringEquals: { k: 'a' } }, {}), false);
  assert.equal(m({ StringNotEquals: { k: 'a' } }, {}), true);
  assert.equal(m({ StringNotLike: { k: 'a*' } }, {}), true);
  assert.equal(m({ NumericNotEquals: { k: '1' } }, {}), true);
  assert.equal(m({ NotIpAddress: { k: '10.0.0.0/8' } }, {}), true);
  assert.equal(m({ StringLikeIfExists: { k: 'a*' } }, {}), true);
  assert.equal(m({ StringLikeIfExists: { k: 'a*' } }, { k: 'b' }), false);
  assert.equal(m({ StringNotEqualsIfExists: { k: 'a' } }, {}), true);
  assert.equal(m({ StringNotEqualsIfExists: { k: 'a' } }, { k: 'a' }), false);
  assert.equal(m({ NumericLessThanIfExists: { k: '5' } }, { k: '3' }), true);
});

test('condition key names are case-insensitive', () => {
  assert.equal(m({ IpAddress: { 'aws:SourceIP': '10.0.0.0/8' } }, { 'AWS:sourceip': '10.1.1.1' }), true);
});

// reference_policies_multi-value-conditions.md, evaluation logic tables.
test('ForAllValues / ForAnyValue', () => {
  const all = { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['PostDateTime', 'Message', 'Tags'] } };
  assert.equal(m(all, { 'dynamodb:Attributes': ['PostDateTime', 'Message'] }), true);
  assert.equal(m(all, { 'dynamodb:Attributes': ['PostDateTime', 'UserName'] }), false);
  assert.equal(m(all, {}), true, 'vacuously true when absent');
  assert.equal(m(all, { 'dynamodb:Attributes': [] }), true, 'vacuously true when empty');
  const any = { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } };
  assert.equal(m(any, { 'dynamodb:Attributes': ['UserName', 'Message', 'PostDateTime'] }), true);
  assert.equal(m(any, { 'dynamodb:Attributes': ['UserName'] }), false);
  assert.equal(m(any, {}), false);
  assert.equal(m(any, { 'dynamodb:Attributes': [] }), false);
  assert.equal(m({ 'ForAnyValue:StringEqualsIfExists': { k: 'a' } }, {}), true);
});

// Documented example: Deny with ForAllValues:StringNotLike on aws:TagKeys "key1*".
test('negated operators under set qualifiers apply per request value', () => {
  const b = { 'ForAllValues:StringNotLike': { 'aws:TagKeys': 'key1*' } };
  assert.equal(m(b, { 'aws:TagKeys': ['key1:legal'] }), false);
  assert.equal(m(b, { 'aws:TagKeys': ['key1:hr', 'key1:personnel'] }), false);
  assert.equal(m(b, { 'aws:TagKeys': ['key2:audit'] }), true);
  assert.equal(m(b, {}), true);
  assert.equal(m(b, { 'aws:TagKeys': ['key1:hr', 'key2:audit'] }), false);
  const any = { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } };
  assert.equal(m(any, { 'aws:TagKeys': ['a', 'b'] }), false);
  assert.equal(m(any, { 'aws:TagKeys': ['a', 'c'] }), true);
  assert.equal(m(any, {}), false);
});

test('set qualifier on a single-valued key treats it as a one-element set', () => {
  assert.equal(m({ 'ForAnyValue:StringEquals': { 'aws:username': 'bob' } }, { 'aws:username': 'bob' }), true);
  assert.equal(m({ 'ForAllValues:StringEquals': { 'aws:username': 'bob' } }, { 'aws:username': 'eve' }), false);
});

// reference_policies_single-vs-multi-valued-condition-keys.md: multivalued keys require a set operator.
test('no qualifier with a multivalued key of several values never matches', () => {
  assert.equal(m({ StringEquals: { 'aws:CalledVia': 'athena.amazonaws.com' } }, { 'aws:CalledVia': ['athena.amazonaws.com', 'glue.amazonaws.com'] }), false);
  assert.equal(m({ StringNotEquals: { 'aws:CalledVia': 'x' } }, { 'aws:CalledVia': ['a', 'b'] }), false);
  assert.equal(m({ StringEquals: { 'aws:CalledVia': 'athena.amazonaws.com' } }, { 'aws:CalledVia': ['athena.amazonaws.com'] }), true);
  assert.equal(m({ StringEquals: { 'aws:TagKeys': 'x' } }, { 'aws:TagKeys': [] }), false);
  assert.equal(m({ StringNotEquals: { 'aws:TagKeys': 'x' } }, { 'aws:TagKeys': [] }), true);
});

test('missing keys: as written, deduplicated, collected past a failing clause', () => {
  const block = {
    StringEquals: { 'aws:PrincipalTag/Team': 'red', 'AWS:PrincipalTag/team': 'red' },
    StringLike: { 's3:prefix': 'home/${aws:username}/*' },
    NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
  };
  const out = evaluateBlock(block, ctx({ 's3:prefix': 'x' }));
  assert.equal(out.matched, false);
  assert.deepEqual(out.missingKeys, ['aws:PrincipalTag/Team', 'aws:username', 'aws:MultiFactorAuthAge']);
  const withDefault = evaluateBlock({ StringEquals: { k: "${aws:PrincipalTag/x, 'd'}" } }, ctx({ k: 'd' }));
  assert.deepEqual(withDefault, { ...withDefault, matched: true, missingKeys: [] });
  // IfExists and Null still report the absent key.
  assert.deepEqual(evaluateBlock({ StringEqualsIfExists: { k: 'a' }, Null: { j: 'true' } }, ctx({})).missingKeys, ['k', 'j']);
});

test('errors: unknown operator, fail closed, reported first', () => {
  const out = evaluateBlock({ StringEquals: { k: 'a' }, StringEqualz: { k: 'a' } }, ctx({ k: 'a' }));
  assert.equal(out.matched, false);
  assert.match(out.error ?? '', /unknown condition operator/);
  assert.equal(out.clauses?.[1]?.error, out.error);
});

test('explain: one outcome per clause with an explanation', () => {
  const compiled = compileConditions(
    clausesFromBlock({ StringEquals: { 'aws:username': 'bob' }, 'ForAllValues:StringLike': { 'aws:TagKeys': 'team*' } }),
    '2012-10-17',
  );
  const out = compiled(ctx({ 'aws:TagKeys': ['team', 'cost'] }), true);
  assert.equal(out.matched, false);
  assert.equal(out.clauses?.length, 2);
  assert.deepEqual(out.clauses?.[0]?.missingKeys, ['aws:username']);
  assert.match(out.clauses?.[0]?.explanation ?? '', /absent/);
  assert.match(out.clauses?.[1]?.explanation ?? '', /"team" matches/);
  assert.equal(out.clauses?.[1]?.matched, false);
});

test('fast path returns shared outcomes (no allocation)', () => {
  const compiled = compileConditions([clause('StringEquals', 'k', 'a')], '2012-10-17');
  const req = ctx({ k: 'a' });
  assert.equal(compiled(req, false), compiled(req, false));
  const other = ctx({ k: 'b' });
  assert.equal(compiled(other, false), compiled(other, false));
  assert.equal(compileConditions([], undefined)(req, false).matched, true);
});

test('typed context entries work with every family', () => {
  const req = requestWith([
    { ContextKeyName: 'aws:MultiFactorAuthAge', ContextKeyValues: ['100'], ContextKeyType: 'numeric' },
    { ContextKeyName: 'aws:SecureTransport', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
    { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1'], ContextKeyType: 'ip' },
    { ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2024-01-01T00:00:00Z'], ContextKeyType: 'date' },
  ]);
  const block = {
    NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
    Bool: { 'aws:SecureTransport': true },
    IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
    DateGreaterThan: { 'aws:CurrentTime': '2023-01-01' },
  };
  assert.equal(evaluateBlock(block, req).matched, true);
});
