/**
 * Issue 11, "A Deny silently skipped on a bad context value" and "NumericEquals":
 * one value parser per condition type, shared by request validation and the
 * operators (reference_policies_elements_condition_operators.md: IP address,
 * numeric and date condition operators; reference_policies_elements_datatypes.md).
 * An unreadable request value is an input error; inside the evaluator it can only deny.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSimulateInputValue } from './input.js';
import { runSimulation } from './run.js';
import { ctx, evaluateBlock } from '../eval/conditions/clause-builder.js';

const doc = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ALLOW = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };

const BAD: readonly (readonly [string, string, string, unknown])[] = [
  ['ip', 'aws:SourceIp', '10.0.0.256', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }],
  ['ip', 'aws:SourceIp', '10.1.2.3/33', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }],
  ['ip', 'aws:SourceIp', '1:2:3:4:5:6:7:8:9', { IpAddress: { 'aws:SourceIp': '::/0' } }],
  ['numeric', 's3:max-keys', ' 99999', { NumericGreaterThan: { 's3:max-keys': '10' } }],
  ['date', 'aws:CurrentTime', '2030-02-30T00:00:00Z', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }],
  ['date', 'aws:CurrentTime', '2030-06-31', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }],
];

test('issue 11: an unreadable typed context value is an input error, not a skipped Deny', () => {
  for (const [type, key, value, condition] of BAD) {
    const res = readSimulateInputValue({
      PolicyInputList: [doc([ALLOW, { Effect: 'Deny', Action: '*', Resource: '*', Condition: condition }])],
      ActionNames: ['s3:GetObject'],
      ContextEntries: [{ ContextKeyName: key, ContextKeyValues: [value], ContextKeyType: type }],
    });
    assert.equal(res.request, undefined, `${type} ${JSON.stringify(value)} must be rejected`);
    assert.equal(res.errorCode, 'InvalidInput');
  }
});

test('issue 11: inside the evaluator an unreadable request value makes a Deny apply (fails closed)', () => {
  // A string-typed context entry passes input validation; the operator cannot read it.
  for (const [, key, value, condition] of BAD) {
    const res = readSimulateInputValue({
      PolicyInputList: [doc([ALLOW, { Effect: 'Deny', Action: '*', Resource: '*', Condition: condition }])],
      ActionNames: ['s3:GetObject'],
      ContextEntries: [{ ContextKeyName: key, ContextKeyValues: [value], ContextKeyType: 'string' }],
    });
    assert.ok(res.request, JSON.stringify(res.diagnostics));
    const out = runSimulation(res.request);
    assert.equal(out.EvaluationResults[0]!.EvalDecision, 'explicitDeny', `${key}=${JSON.stringify(value)}`);
  }
});

test('issue 11: NumericEquals compares decimals exactly', () => {
  const k = 's3:max-keys';
  assert.equal(evaluateBlock({ NumericEquals: { [k]: '9007199254740992' } }, ctx({ [k]: '9007199254740993' })).matched, false);
  assert.equal(evaluateBlock({ NumericLessThan: { [k]: '9007199254740993' } }, ctx({ [k]: '9007199254740992' })).matched, true);
  assert.equal(evaluateBlock({ NumericEquals: { [k]: '0.1' } }, ctx({ [k]: '0.10000000000000001' })).matched, false);
  assert.equal(evaluateBlock({ NumericEquals: { [k]: '10' } }, ctx({ [k]: '10.000' })).matched, true);
  assert.equal(evaluateBlock({ NumericGreaterThan: { [k]: '1e308' } }, ctx({ [k]: '1e309' })).matched, true);
  assert.equal(evaluateBlock({ NumericEquals: { [k]: '-0' } }, ctx({ [k]: '0' })).matched, true);
});
