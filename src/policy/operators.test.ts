import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONDITION_OPERATORS, formatOperator, parseConditionOperator } from './operators.js';

test('every base operator parses as itself, with and without IfExists (except Null)', () => {
  for (const op of Object.keys(CONDITION_OPERATORS)) {
    const plain = parseConditionOperator(op);
    assert.ok(plain.ok, op);
    assert.equal(plain.op.baseOperator, op);
    assert.equal(plain.op.ifExists, false);
    const ifExists = parseConditionOperator(`${op}IfExists`);
    assert.equal(ifExists.ok, op !== 'Null', `${op}IfExists`);
  }
  assert.equal(Object.keys(CONDITION_OPERATORS).length, 27);
});

test('set qualifiers and IfExists are split off', () => {
  const r = parseConditionOperator('ForAllValues:NumericLessThanIfExists');
  assert.ok(r.ok);
  assert.deepEqual(r.op, { baseOperator: 'NumericLessThan', family: 'Numeric', ifExists: true, caseMismatch: false, setQualifier: 'ForAllValues' });
  assert.equal(formatOperator(r.op), 'ForAllValues:NumericLessThanIfExists');
});

test('case differences are accepted but flagged', () => {
  const r = parseConditionOperator('forallvalues:stringequalsifexists');
  assert.ok(r.ok);
  assert.equal(r.op.caseMismatch, true);
  assert.equal(formatOperator(r.op), 'ForAllValues:StringEqualsIfExists');
});

test('unknown operators, qualifiers and NullIfExists are rejected with a reason', () => {
  for (const bad of ['StringEqual', 'ForSomeValues:StringEquals', 'NullIfExists', 'IfExists', '', 'ForAnyValue:', 'String:Equals']) {
    const r = parseConditionOperator(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.ok(r.reason.length > 0);
  }
});
