import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileResourcePattern } from './resource.js';
import { ctx } from '../conditions/clause-builder.js';

const V = '2012-10-17';
const NO = ctx({});

// reference_policies_elements_resource.md, "Using wildcards in resource ARNs".
test('documented S3 wildcard expansion', () => {
  const m = compileResourcePattern('arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*', V);
  const yes = [
    'DOC-EXAMPLE-BUCKET/1/test/object.jpg',
    'DOC-EXAMPLE-BUCKET/1/2/test/object.jpg',
    'DOC-EXAMPLE-BUCKET/1/2/test/3/object.jpg',
    'DOC-EXAMPLE-BUCKET/1/2/3/test/4/object.jpg',
    'DOC-EXAMPLE-BUCKET/1///test///object.jpg',
    'DOC-EXAMPLE-BUCKET/1/test/.jpg',
    'DOC-EXAMPLE-BUCKET//test/object.jpg',
    'DOC-EXAMPLE-BUCKET/1/test/',
  ];
  const no = ['DOC-EXAMPLE-BUCKET/1-test/object.jpg', 'DOC-EXAMPLE-BUCKET/test/object.jpg', 'DOC-EXAMPLE-BUCKET/1/2/test.jpg'];
  for (const k of yes) assert.equal(m(`arn:aws:s3:::${k}`, NO, undefined), true, k);
  for (const k of no) assert.equal(m(`arn:aws:s3:::${k}`, NO, undefined), false, k);
});

test('resource matching is case-sensitive; * matches everything', () => {
  assert.equal(compileResourcePattern('arn:aws:s3:::bucket/*', V)('arn:aws:s3:::Bucket/x', NO, undefined), false);
  assert.equal(compileResourcePattern('*', V)('arn:aws:s3:::b', NO, undefined), true);
  assert.equal(compileResourcePattern('*', V)('*', NO, undefined), true);
  assert.equal(compileResourcePattern('arn:aws:s3:::b', V)('*', NO, undefined), false);
  assert.equal(compileResourcePattern('arn:aws:ec2:*:*:instance/*', V)('arn:aws:ec2:us-east-1:123456789012:instance/i-1', NO, undefined), true);
});

// reference_policies_variables.md.
test('variables in the resource segment', () => {
  const m = compileResourcePattern('arn:aws:s3:::mybucket/${aws:username}/*', V);
  const bob = ctx({ 'aws:username': 'bob' });
  assert.equal(m('arn:aws:s3:::mybucket/bob/file', bob, undefined), true);
  assert.equal(m('arn:aws:s3:::mybucket/alice/file', bob, undefined), false);
  const missing: string[] = [];
  assert.equal(m('arn:aws:s3:::mybucket/bob/file', NO, missing), false);
  assert.deepEqual(missing, ['aws:username']);
  // Key names are case-insensitive.
  assert.equal(compileResourcePattern('arn:aws:s3:::mybucket/${AWS:UserName}/*', V)('arn:aws:s3:::mybucket/bob/x', bob, undefined), true);
});

test('substituted values are literal, escapes are literal characters', () => {
  const m = compileResourcePattern('arn:aws:s3:::b/${aws:PrincipalTag/team}/x', V);
  const star = ctx({ 'aws:PrincipalTag/team': '*' });
  assert.equal(m('arn:aws:s3:::b/*/x', star, undefined), true);
  assert.equal(m('arn:aws:s3:::b/red/x', star, undefined), false);
  const e = compileResourcePattern('arn:aws:s3:::b/${*}${?}${$}', V);
  assert.equal(e('arn:aws:s3:::b/*?$', NO, undefined), true);
  assert.equal(e('arn:aws:s3:::b/ab$', NO, undefined), false);
});

test('defaults apply when the key is absent', () => {
  const m = compileResourcePattern("arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}", V);
  const missing: string[] = [];
  assert.equal(m('arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide', NO, missing), true);
  assert.deepEqual(missing, []);
  assert.equal(m('arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow', ctx({ 'aws:PrincipalTag/team': 'yellow' }), undefined), true);
});

test('no substitution without Version 2012-10-17', () => {
  for (const version of [undefined, '2008-10-17']) {
    const m = compileResourcePattern('arn:aws:s3:::b/${aws:username}', version);
    assert.equal(m('arn:aws:s3:::b/bob', ctx({ 'aws:username': 'bob' }), undefined), false);
    assert.equal(m('arn:aws:s3:::b/${aws:username}', NO, undefined), true);
  }
});

test('variables before the fifth colon stay literal; multivalued keys are not variables', () => {
  const m = compileResourcePattern('arn:aws:sqs:us-east-2:${aws:PrincipalAccount}:q', V);
  assert.equal(m('arn:aws:sqs:us-east-2:123456789012:q', ctx({ 'aws:PrincipalAccount': '123456789012' }), undefined), false);
  const mv = compileResourcePattern('arn:aws:s3:::b/${aws:TagKeys}', V);
  assert.equal(mv('arn:aws:s3:::b/a', ctx({ 'aws:TagKeys': ['a'] }), undefined), false);
});
