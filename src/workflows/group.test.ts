import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupFixes } from './group.js';
import type { Fix } from './types.js';

const add = (action: string, resource = '*'): Fix => ({
  layer: 'resource',
  target: 'arn:aws:kms:us-east-1:1:key/k',
  policyName: 'key',
  kind: 'add-statement',
  statement: { Sid: `S${action}`, Effect: 'Allow', Principal: { AWS: 'r' }, Action: action, Resource: resource },
  change: `let r call ${action}`,
});
const addValue = (value: string): Fix => ({
  layer: 'identity',
  target: 'arn:aws:iam::1:policy/P',
  policyName: 'P',
  kind: 'modify-statement',
  statementIndex: 0,
  statement: { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringLike: { 'iam:PassedToService': ['a', value] } } },
  patches: [{ op: 'add-values', path: ['Condition', 'StringLike', 'iam:PassedToService'], value: [value] }],
  change: `its condition does not list ${value}: add it.`,
});

test('statements added to one policy for several steps, differing only in Action, become one statement', () => {
  const g = groupFixes([
    { step: 'a', fix: add('kms:Decrypt') },
    { step: 'b', fix: add('kms:Encrypt') },
    { step: 'c', fix: add('kms:Decrypt') },
  ]);
  assert.equal(g.length, 1);
  assert.deepEqual(g[0]?.steps, ['a', 'b', 'c']);
  assert.deepEqual(g[0]?.fix.statement['Action'], ['kms:Decrypt', 'kms:Encrypt']);
  assert.equal(g[0]?.fix.statement['Sid'], 'PreflightKmsAccess');
  assert.equal(g[0]?.fix.change, 'let r call kms:Decrypt, kms:Encrypt');
});

test('statements with other resources stay apart (a merge must not grant an action on another resource)', () => {
  assert.equal(
    groupFixes([
      { step: 'a', fix: add('kms:Decrypt', 'x') },
      { step: 'b', fix: add('kms:Encrypt', 'y') },
    ]).length,
    2,
  );
});

test('values added to one list of one statement are one edit', () => {
  const g = groupFixes([
    { step: 'a', fix: addValue('events.amazonaws.com') },
    { step: 'b', fix: addValue('sagemaker.amazonaws.com') },
  ]);
  assert.equal(g.length, 1);
  assert.deepEqual(g[0]?.fix.patches?.[0]?.value, ['events.amazonaws.com', 'sagemaker.amazonaws.com']);
  assert.equal(g[0]?.fix.change, 'its condition does not list events.amazonaws.com, sagemaker.amazonaws.com: add it.');
});
