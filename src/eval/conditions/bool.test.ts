import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, evaluateBlock } from './clause-builder.js';

const m = (block: Parameters<typeof evaluateBlock>[0], c: Record<string, string>): boolean => evaluateBlock(block, ctx(c)).matched;

// reference_policies_elements_condition_operators.md, "Boolean condition operators".
test('Bool compares true/false case-insensitively', () => {
  const k = 'aws:SecureTransport';
  assert.equal(m({ Bool: { [k]: 'false' } }, { [k]: 'false' }), true);
  assert.equal(m({ Bool: { [k]: 'false' } }, { [k]: 'true' }), false);
  assert.equal(m({ Bool: { [k]: 'FALSE' } }, { [k]: 'False' }), true);
  assert.equal(m({ Bool: { [k]: true } }, { [k]: 'TRUE' }), true);
  assert.equal(m({ Bool: { [k]: 'true' } }, { [k]: 'yes' }), false);
  assert.equal(m({ Bool: { [k]: 'true' } }, {}), false);
  assert.equal(m({ BoolIfExists: { [k]: 'true' } }, {}), true);
  assert.match(evaluateBlock({ Bool: { [k]: 'maybe' } }, ctx({})).error ?? '', /true or false/);
});

test('Bool accepts a policy variable', () => {
  assert.equal(
    m({ Bool: { 'aws:MultiFactorAuthPresent': '${aws:PrincipalTag/mfa}' } }, { 'aws:MultiFactorAuthPresent': 'true', 'aws:PrincipalTag/mfa': 'True' }),
    true,
  );
  assert.equal(m({ Bool: { 'aws:MultiFactorAuthPresent': '${aws:PrincipalTag/mfa}' } }, { 'aws:MultiFactorAuthPresent': 'true' }), false);
});
