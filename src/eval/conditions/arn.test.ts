import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, evaluateBlock } from './clause-builder.js';

const m = (block: Parameters<typeof evaluateBlock>[0], c: Record<string, string>): boolean => evaluateBlock(block, ctx(c)).matched;

// reference_policies_elements_condition_operators.md, "ARN condition operators".
test('ArnLike is component-wise where StringLike is not', () => {
  const pattern = 'arn:aws:someservice:*:111122223333:finance/*';
  const value = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
  assert.equal(m({ StringLike: { 'aws:SourceArn': pattern } }, { 'aws:SourceArn': value }), true);
  assert.equal(m({ ArnLike: { 'aws:SourceArn': pattern } }, { 'aws:SourceArn': value }), false);
  assert.equal(m({ ArnEquals: { 'aws:SourceArn': pattern } }, { 'aws:SourceArn': value }), false);
});

test('ArnEquals = ArnLike; ArnNotEquals = ArnNotLike', () => {
  const k = 'aws:SourceArn';
  const v = 'arn:aws:sns:us-east-1:123456789012:my-topic';
  for (const op of ['ArnEquals', 'ArnLike']) {
    assert.equal(m({ [op]: { [k]: 'arn:aws:sns:*:123456789012:my-*' } }, { [k]: v }), true);
    assert.equal(m({ [op]: { [k]: 'arn:aws:sns:*:123456789012:My-*' } }, { [k]: v }), false);
  }
  for (const op of ['ArnNotEquals', 'ArnNotLike']) {
    assert.equal(m({ [op]: { [k]: 'arn:aws:sns:*:123456789012:*' } }, { [k]: v }), false);
    assert.equal(m({ [op]: { [k]: 'arn:aws:sns:*:999999999999:*' } }, { [k]: v }), true);
    assert.equal(m({ [op]: { [k]: 'arn:aws:sns:*:999999999999:*' } }, {}), true, 'absent key');
  }
});

test('ARN operators accept policy variables', () => {
  const block = { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:ResourceAccount}:role/*' } };
  assert.equal(m(block, { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/x', 'aws:ResourceAccount': '123456789012' }), true);
  assert.equal(m(block, { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/x', 'aws:ResourceAccount': '999999999999' }), false);
  const out = evaluateBlock(block, ctx({ 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/x' }));
  assert.equal(out.matched, false);
  assert.deepEqual(out.missingKeys, ['aws:ResourceAccount']);
});
