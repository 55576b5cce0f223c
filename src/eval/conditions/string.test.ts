import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clausesFromBlock, ctx, evaluateBlock } from './clause-builder.js';
import { compileConditions } from './index.js';

const m = (block: Parameters<typeof evaluateBlock>[0], c: Record<string, string | string[]>, v?: string): boolean => evaluateBlock(block, ctx(c), v).matched;

// reference_policies_elements_condition.md: values are case-sensitive for StringEquals.
test('StringEquals / StringEqualsIgnoreCase', () => {
  assert.equal(m({ StringEquals: { 'aws:username': 'johndoe' } }, { 'aws:username': 'johndoe' }), true);
  assert.equal(m({ StringEquals: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JohnDoe' }), false);
  assert.equal(m({ StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JohnDoe' }), true);
  assert.equal(m({ StringEqualsIgnoreCase: { 'aws:username': 'JOHNDOE' } }, { 'aws:username': 'johndoe' }), true);
  assert.equal(m({ StringEquals: { 'aws:username': 'a*' } }, { 'aws:username': 'abc' }), false, 'no wildcards in StringEquals');
  assert.equal(m({ StringEquals: { 'aws:username': 'a*' } }, { 'aws:username': 'a*' }), true);
});

test('values of one key are OR-ed; many values use a set', () => {
  const many = Array.from({ length: 20 }, (_, i) => `u${i}`);
  assert.equal(m({ StringEquals: { 'aws:username': many } }, { 'aws:username': 'u17' }), true);
  assert.equal(m({ StringEquals: { 'aws:username': many } }, { 'aws:username': 'u20' }), false);
  assert.equal(m({ StringEquals: { 'aws:username': ['a', 'b'] } }, { 'aws:username': 'b' }), true);
});

// reference_policies_multi-value-conditions.md: negated operators with several values act as NOR.
test('negated string operators are a NOR over policy values', () => {
  const block = { StringNotEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222'] } };
  assert.equal(m(block, { 'aws:PrincipalAccount': '111111111111' }), false);
  assert.equal(m(block, { 'aws:PrincipalAccount': '333333333333' }), true);
  assert.equal(m({ StringNotEqualsIgnoreCase: { 'aws:username': 'Bob' } }, { 'aws:username': 'BOB' }), false);
  assert.equal(m({ StringNotLike: { 's3:prefix': 'home/*' } }, { 's3:prefix': 'home/x' }), false);
  assert.equal(m({ StringNotLike: { 's3:prefix': 'home/*' } }, { 's3:prefix': 'tmp/x' }), true);
});

test('StringLike wildcards, case-sensitive', () => {
  const block = { StringLike: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };
  assert.equal(m(block, { 'ec2:InstanceType': 't2.micro' }), true);
  assert.equal(m(block, { 'ec2:InstanceType': 'T2.micro' }), false);
  assert.equal(m(block, { 'ec2:InstanceType': 'c5.large' }), false);
  assert.equal(m({ StringLike: { 's3:prefix': '' } }, { 's3:prefix': '' }), true);
  assert.equal(m({ StringLike: { k: 'a?c' } }, { k: 'abc' }), true);
});

// reference_policies_variables.md, "Condition element" and "Policy variables with no value".
test('policy variables in string values', () => {
  const block = { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/*'] } };
  assert.equal(m(block, { 's3:prefix': 'home/bob/x', 'aws:username': 'bob' }), true);
  assert.equal(m(block, { 's3:prefix': 'home/alice/x', 'aws:username': 'bob' }), false);
  const eq = { StringEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } };
  assert.equal(m(eq, { 's3:ExistingObjectTag/Team': 'red', 'aws:PrincipalTag/Team': 'red' }), true);
  assert.equal(m(eq, { 's3:ExistingObjectTag/Team': 'red', 'aws:PrincipalTag/Team': 'blue' }), false);
  const out = evaluateBlock(eq, ctx({ 's3:ExistingObjectTag/Team': 'red' }));
  assert.equal(out.matched, false);
  assert.deepEqual(out.missingKeys, ['aws:PrincipalTag/Team']);
  // Inverted operators match a variable with no value.
  const ne = { StringNotEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } };
  assert.equal(m(ne, { 's3:ExistingObjectTag/Team': 'red' }), true);
  assert.equal(m({ StringEqualsIgnoreCase: { k: 'x-${aws:username}' } }, { k: 'X-BOB', 'aws:username': 'bob' }), true);
});

test('substituted values are literal in StringLike; escapes are literal', () => {
  assert.equal(m({ StringLike: { k: '${aws:PrincipalTag/p}' } }, { k: 'anything', 'aws:PrincipalTag/p': '*' }), false);
  assert.equal(m({ StringLike: { k: '${aws:PrincipalTag/p}' } }, { k: '*', 'aws:PrincipalTag/p': '*' }), true);
  assert.equal(m({ StringLike: { k: 'a${*}' } }, { k: 'a*' }), true);
  assert.equal(m({ StringLike: { k: 'a${*}' } }, { k: 'ab' }), false);
  assert.equal(m({ StringEquals: { k: 'cost${$}' } }, { k: 'cost$' }), true);
});

test('no substitution without Version 2012-10-17', () => {
  const block = { StringEquals: { k: '${aws:username}' } };
  assert.equal(m(block, { k: 'bob', 'aws:username': 'bob' }, '2008-10-17'), false);
  const noVersion = compileConditions(clausesFromBlock(block), undefined);
  assert.equal(noVersion(ctx({ k: '${aws:username}' }), false).matched, true);
  assert.equal(noVersion(ctx({ k: 'bob', 'aws:username': 'bob' }), false).matched, false);
});
