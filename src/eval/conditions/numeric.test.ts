import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, evaluateBlock } from './clause-builder.js';
import { parseNumber } from './numeric.js';

const m = (block: Parameters<typeof evaluateBlock>[0], c: Record<string, string>): boolean => evaluateBlock(block, ctx(c)).matched;

test('parseNumber accepts integers and decimals only', () => {
  assert.equal(parseNumber('10'), 10);
  assert.equal(parseNumber('-1.5'), -1.5);
  assert.equal(parseNumber('.5'), 0.5);
  assert.equal(parseNumber('1e3'), 1000);
  for (const bad of ['', ' 1', '1 ', '0x10', 'Infinity', 'NaN', '1,000', 'ten', '1_0']) assert.ok(Number.isNaN(parseNumber(bad)), bad);
});

// reference_policies_elements_condition_operators.md, "Numeric condition operators".
test('numeric comparisons', () => {
  const k = 's3:max-keys';
  assert.equal(m({ NumericLessThanEquals: { [k]: '10' } }, { [k]: '10' }), true);
  assert.equal(m({ NumericLessThanEquals: { [k]: '10' } }, { [k]: '11' }), false);
  assert.equal(m({ NumericLessThan: { [k]: '10' } }, { [k]: '10' }), false);
  assert.equal(m({ NumericGreaterThan: { [k]: '10' } }, { [k]: '10.5' }), true);
  assert.equal(m({ NumericGreaterThanEquals: { [k]: '10' } }, { [k]: '9.99' }), false);
  assert.equal(m({ NumericEquals: { [k]: '10' } }, { [k]: '10.0' }), true);
  assert.equal(m({ NumericNotEquals: { [k]: ['1', '2'] } }, { [k]: '2' }), false);
  assert.equal(m({ NumericNotEquals: { [k]: ['1', '2'] } }, { [k]: '3' }), true);
});

test('unparsable request value does not match; unparsable policy value is an error', () => {
  assert.equal(m({ NumericEquals: { k: '1' } }, { k: 'one' }), false);
  const out = evaluateBlock({ NumericEquals: { k: 'one' } }, ctx({ k: '1' }));
  assert.equal(out.matched, false);
  assert.match(out.error ?? '', /not a number/);
  // No policy variables with Numeric operators.
  assert.ok(evaluateBlock({ NumericEquals: { k: '${aws:x}' } }, ctx({ k: '1', 'aws:x': '1' })).error);
});
