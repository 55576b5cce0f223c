import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree } from 'jsonc-parser';
import type { JsonPath } from '../diagnostics/diagnostic.js';
import { locateInStrictJson } from './locate.js';
import { partAt, type SpanPart } from './source.js';

const TEXT = `{"Version":"2012-10-17" ,
\t"Statement" : [ {"Sid":"a\\"b\\\\","Action":["s3:Get*" ,"s3:\\"x"],"Resource":"*"},
  {"Effect":"Deny","Condition":{"NumericLessThan":{"s3:max-keys":-1.5e3},"Bool":{"aws:SecureTransport":false}},"Action":[]},
  {"we\\"ird":null,"x":{"y":[[1,[2]],{"z":true}]}}
 ] }`;

const PATHS: readonly JsonPath[] = [
  [],
  ['Version'],
  ['Statement'],
  ['Statement', 0],
  ['Statement', 0, 'Sid'],
  ['Statement', 0, 'Action', 1],
  ['Statement', 1, 'Condition', 'NumericLessThan', 's3:max-keys'],
  ['Statement', 1, 'Condition', 'Bool', 'aws:SecureTransport'],
  ['Statement', 1, 'Action'],
  ['Statement', 2, 'we"ird'],
  ['Statement', 2, 'x', 'y', 0, 1, 0],
  ['Statement', 2, 'x', 'y', 1, 'z'],
];

test('locateInStrictJson finds the ranges of jsonc-parser tree nodes, for every part', () => {
  const root = parseTree(TEXT);
  assert.ok(root);
  for (const path of PATHS) {
    for (const part of ['value', 'key', 'property'] as SpanPart[]) {
      const node = partAt(root, path, part);
      assert.ok(node, `${path.join('.')} in the tree`);
      assert.deepEqual(locateInStrictJson(TEXT, path, part), { offset: node.offset, length: node.length }, `${path.join('.')} ${part}`);
    }
  }
});

test('locateInStrictJson: a path that is not in the text has no range', () => {
  for (const path of [['Nope'], ['Statement', 3], ['Version', 0], ['Statement', 1, 'Action', 0], ['Statement', 'x']] as JsonPath[]) {
    assert.equal(locateInStrictJson(TEXT, path, 'value'), undefined, path.join('.'));
  }
});
