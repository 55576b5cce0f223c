import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctx, evaluateBlock } from './clause-builder.js';
import { canonicalBase64 } from './binary.js';

test('canonicalBase64 validates and pads', () => {
  assert.equal(canonicalBase64('QmluYXJ5VmFsdWVJbkJhc2U2NA=='), 'QmluYXJ5VmFsdWVJbkJhc2U2NA==');
  assert.equal(canonicalBase64('QmluYXJ5VmFsdWVJbkJhc2U2NA'), 'QmluYXJ5VmFsdWVJbkJhc2U2NA==');
  assert.equal(canonicalBase64('not base64!'), undefined);
  assert.equal(canonicalBase64('abcde'), undefined);
});

// reference_policies_elements_condition_operators.md, "Binary condition operators".
test('BinaryEquals compares bytes', () => {
  const block = { BinaryEquals: { key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } };
  assert.equal(evaluateBlock(block, ctx({ key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' })).matched, true);
  assert.equal(evaluateBlock(block, ctx({ key: 'QmluYXJ5VmFsdWVJbkJhc2U2NA' })).matched, true);
  assert.equal(evaluateBlock(block, ctx({ key: 'QmluYXJ5' })).matched, false);
  assert.equal(evaluateBlock(block, ctx({ key: '%%%' })).matched, false);
  assert.match(evaluateBlock({ BinaryEquals: { key: '%%%' } }, ctx({})).error ?? '', /base64/);
});
