import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, evaluateBlock } from './clause-builder.js';
import { parseDecimal } from './numeric.js';

const m = (block: Parameters<typeof evaluateBlock>[0], c: Record<string, string>): boolean => evaluateBlock(block, ctx(c)).matched;

test('parseDecimal accepts integers and decimals only, normalised exactly', () => {
  assert.deepEqual(parseDecimal('10'), { neg: false, digits: '1', exp: 2 });
  assert.deepEqual(parseDecimal('-1.5'), { neg: true, digits: '15', exp: 1 });
  assert.deepEqual(parseDecimal('.5'), { neg: false, digits: '5', exp: 0 });
  assert.deepEqual(parseDecimal('1e3'), parseDecimal('1000.00'));
  assert.deepEqual(parseDecimal('-0.0'), { neg: false, digits: '', exp: 0 });
  for (const bad of ['', '.', ' 1', '1 ', '0x10', 'Infinity', 'NaN', '1,000', 'ten', '1_0', '1e', 'e5']) assert.equal(parseDecimal(bad), undefined, bad);
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

test('unparsable request value is an error (the engine denies); unparsable policy value is an error', () => {
  const bad = evaluateBlock({ NumericEquals: { k: '1' } }, ctx({ k: 'one' }));
  assert.equal(bad.matched, false);
  assert.match(bad.error ?? '', /"one" is not a valid Numeric value/);
  const out = evaluateBlock({ NumericEquals: { k: 'one' } }, ctx({ k: '1' }));
  assert.equal(out.matched, false);
  assert.match(out.error ?? '', /not a number/);
  // No policy variables with Numeric operators.
  assert.ok(evaluateBlock({ NumericEquals: { k: '${aws:x}' } }, ctx({ k: '1', 'aws:x': '1' })).error);
});
