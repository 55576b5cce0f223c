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
  assert.ok(fileGlob('**/*.json')('a/b/c.json'));
  assert.ok(fileGlob('**/*.json')('c.json'));
  assert.ok(fileGlob('*.json')('c.json'));
  assert.ok(fileGlob('*.json')('.hidden.json'));
  assert.ok(!fileGlob('*.json')('a/c.json'));
  assert.ok(fileGlob('a/?.json')('a/b.json'));
  assert.ok(!fileGlob('a/?.json')('a/bc.json'));
  assert.ok(!fileGlob('a?b.json')('a/b.json'));
});

// `**/` once became `.*`, so a suppression for one file name also silenced every
// name ending with it: each look-alike below must keep its findings.
test('a ** glob matches whole folders only, never look-alike names', () => {
  const prod = fileGlob('policies/**/prod.json');
  for (const f of ['policies/prod.json', 'policies/a/prod.json', 'policies/a/b/prod.json']) assert.ok(prod(f), f);
  for (const f of [
    'policies/nonprod.json',
    'policies/a/nonprod.json',
    'policies/a/b-prod.json',
    'policiesX/prod.json',
    'policies-old/a/prod.json',
    'other/policies/prod.json',
    'policies/prod.json.bak',
    'policies/prod.jsonx',
    'policies/a/prod.json/x.json',
  ]) {
    assert.ok(!prod(f), f);
  }
  const anywhere = fileGlob('**/prod.json');
  assert.ok(anywhere('prod.json') && anywhere('a/b/prod.json'));
  assert.ok(!anywhere('nonprod.json') && !anywhere('a/nonprod.json') && !anywhere('a/b.prod.json'));
  const under = fileGlob('policies/**');
  assert.ok(under('policies/a') && under('policies/a/b.json'));
  assert.ok(!under('policies2/a.json') && !under('policiesa'));
  assert.ok(!fileGlob('policies/*/prod.json')('policies/a/b/prod.json'));
  assert.ok(!fileGlob('policies/prod.json')('policies/nonprod.json'), 'a plain path is matched exactly');
});

test('a suppression for policies/**/prod.json leaves policies/nonprod.json reported', () => {
  const rule = [{ issueCode: 'REDUNDANT_ACTION', file: 'policies/**/prod.json' }];
  for (const file of ['policies/nonprod.json', 'policies/team/nonprod.json', 'policies/team/prod.json.orig']) {
    const findings = lintPolicy(POLICY, { type: 'identity', file });
    assert.equal(applySuppressions(findings, rule).length, 2, file);
  }
  for (const file of ['policies/prod.json', 'policies/team/prod.json']) {
    const findings = lintPolicy(POLICY, { type: 'identity', file });
    assert.equal(applySuppressions(findings, rule).length, 1, file);
  }
});

test('config validation', () => {
  assert.deepEqual(readSuppressionConfig({ suppress: [{ issueCode: 'X', path: 'Statement[0]' }] }).config, {
    suppress: [{ issueCode: 'X', path: 'Statement[0]' }],
  });
  assert.equal(readSuppressionConfig({ suppress: [{ code: 'X' }] }).config, undefined);
  assert.equal(readSuppressionConfig([]).config, undefined);
  assert.equal(readSuppressionConfig({ ignore: [] }).config, undefined);
});
