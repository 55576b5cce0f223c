import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicy } from './lint.js';
import { applySuppressions, fileGlob, readSuppressionConfig } from './suppress.js';

const POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObject'], Resource: 'arn:aws:s3:::b/*' },
    ],
  },
  null,
  2,
);

test('suppress by code, by file glob and by path prefix', () => {
  const findings = lintPolicy(POLICY, { type: 'identity', file: 'policies/team/a.json' });
  assert.deepEqual(findings.map((f) => f.issueCode).sort(), ['PASS_ROLE_WITH_STAR_IN_RESOURCE', 'REDUNDANT_ACTION']);
  assert.equal(applySuppressions(findings, [{ issueCode: 'REDUNDANT_ACTION' }]).length, 1);
  assert.equal(applySuppressions(findings, [{ issueCode: 'REDUNDANT_ACTION', file: 'policies/**/*.json' }]).length, 1);
  assert.equal(applySuppressions(findings, [{ issueCode: 'REDUNDANT_ACTION', file: 'other/*.json' }]).length, 2);
  assert.equal(applySuppressions(findings, [{ issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', path: 'Statement[0]' }]).length, 1);
  assert.equal(applySuppressions(findings, [{ issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', path: 'Statement[1]' }]).length, 2);
  assert.equal(applySuppressions(findings, [{ issueCode: 'REDUNDANT_ACTION', path: 'Statement[1].Action[1]' }]).length, 1);
});

test('file globs', () => {
  assert.ok(fileGlob('**/*.json').test('a/b/c.json'));
  assert.ok(fileGlob('*.json').test('c.json'));
  assert.ok(!fileGlob('*.json').test('a/c.json'));
  assert.ok(fileGlob('a/?.json').test('a/b.json'));
});

test('config validation', () => {
  assert.deepEqual(readSuppressionConfig({ suppress: [{ issueCode: 'X', path: 'Statement[0]' }] }).config, {
    suppress: [{ issueCode: 'X', path: 'Statement[0]' }],
  });
  assert.equal(readSuppressionConfig({ suppress: [{ code: 'X' }] }).config, undefined);
  assert.equal(readSuppressionConfig([]).config, undefined);
  assert.equal(readSuppressionConfig({ ignore: [] }).config, undefined);
});
