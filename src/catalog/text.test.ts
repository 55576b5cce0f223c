import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, nearest } from './text.js';

test('editDistance', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('CreateEndpiont', 'createendpoint'), 1, 'transposition, case-insensitive');
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abcdef', 'uvwxyz', 2), 3, 'capped at limit + 1');
});

test('nearest', () => {
  assert.deepEqual(nearest('sagemkr', ['s3', 'sagemaker', 'sagemaker-geospatial'], 3), ['sagemaker']);
  assert.deepEqual(nearest('xyz', ['abcdefgh'], 3), []);
  assert.deepEqual(nearest('CreateEndp', ['CreateEndpoint', 'DeleteThing'], 3), ['CreateEndpoint']);
});
