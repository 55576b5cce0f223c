import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, evaluateBlock, requestWith } from './clause-builder.js';

// reference_policies_elements_condition_operators.md, "Condition operator to check existence of condition keys".
test('Null: true = absent, false = present', () => {
  const k = 'aws:TokenIssueTime';
  assert.equal(evaluateBlock({ Null: { [k]: 'true' } }, ctx({})).matched, true);
  assert.equal(evaluateBlock({ Null: { [k]: 'true' } }, ctx({ [k]: '2020-01-01T00:00:00Z' })).matched, false);
  assert.equal(evaluateBlock({ Null: { [k]: 'false' } }, ctx({ [k]: '2020-01-01T00:00:00Z' })).matched, true);
  assert.equal(evaluateBlock({ Null: { [k]: false } }, ctx({})).matched, false);
  assert.equal(evaluateBlock({ Null: { [k]: ['true', 'false'] } }, ctx({})).matched, true);
  assert.equal(evaluateBlock({ Null: { 'AWS:TOKENISSUETIME': 'false' } }, ctx({ [k]: 'x' })).matched, true);
});

test('Null: an empty list is null; errors for bad values and IfExists', () => {
  const empty = requestWith([{ ContextKeyName: 'aws:TagKeys', ContextKeyValues: [], ContextKeyType: 'stringList' }]);
  assert.equal(evaluateBlock({ Null: { 'aws:TagKeys': 'true' } }, empty).matched, true);
  assert.match(evaluateBlock({ Null: { k: 'yes' } }, ctx({})).error ?? '', /true or false/);
  assert.match(evaluateBlock({ NullIfExists: { k: 'true' } }, ctx({})).error ?? '', /IfExists/);
});
