import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Policy } from '../policy/model.js';
import { parsePolicy } from '../policy/parse.js';
import { finishStatements, packDocuments, policySize, prune, toDocument, toPolicy, type GenStatement } from './policy-doc.js';

const allow = (actions: string[], resources: string[], extra: Partial<GenStatement> = {}): GenStatement => ({ effect: 'Allow', actions, resources, ...extra });

test('canonical action names, duplicates removed, lists sorted', () => {
  const [s] = finishStatements([allow(['S3:getobject', 's3:GetObject', 'kms:decrypt'], ['b', 'a', 'a'])]);
  assert.deepEqual(s?.actions, ['kms:Decrypt', 's3:GetObject']);
  assert.deepEqual(s?.resources, ['a', 'b']);
});

test('actions with identical resources merge; then resources with identical actions', () => {
  const out = finishStatements([
    allow(['s3:GetObject'], ['arn:aws:s3:::b/x/*']),
    allow(['s3:PutObject'], ['arn:aws:s3:::b/x/*']),
    allow(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::c/*']),
  ]);
  assert.equal(out.length, 1);
  assert.deepEqual(out[0]?.resources, ['arn:aws:s3:::b/x/*', 'arn:aws:s3:::c/*']);
});

test('different conditions never merge', () => {
  const out = finishStatements([
    allow(['s3:ListBucket'], ['arn:aws:s3:::a'], { conditions: { StringLike: { 's3:prefix': ['x/*'] } } }),
    allow(['s3:ListBucket'], ['arn:aws:s3:::b'], { conditions: { StringLike: { 's3:prefix': ['y/*'] } } }),
  ]);
  assert.equal(out.length, 2);
});

test('cross merge only when no added resource fits an action', () => {
  const tags = { Null: { 'aws:RequestTag/user': ['false'] } };
  const merged = finishStatements([
    allow(['sagemaker:CreateEndpointConfig'], ['arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/*'], {
      sid: 'CreateTaggedEndpointConfig',
      conditions: tags,
    }),
    allow(['sagemaker:CreateTransformJob'], ['arn:aws:sagemaker:us-east-1:111122223333:transform-job/*'], {
      sid: 'CreateTaggedTransformJob',
      conditions: tags,
    }),
  ]);
  assert.equal(merged.length, 1);
  assert.equal(merged[0]?.sid, 'CreateTagged');
  // CreateEndpoint is authorized against endpoint-config too: merging would grant it on every config.
  const kept = finishStatements([
    allow(['sagemaker:CreateEndpoint'], ['arn:aws:sagemaker:us-east-1:111122223333:endpoint/*']),
    allow(['sagemaker:CreateEndpointConfig'], ['arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/*']),
  ]);
  assert.equal(kept.length, 2);
});

test('prune drops entries covered by a * pattern', () => {
  assert.deepEqual(prune(['arn:aws:s3:::b/x/y', 'arn:aws:s3:::b/*', 'arn:aws:s3:::c']), ['arn:aws:s3:::b/*', 'arn:aws:s3:::c']);
  assert.deepEqual(prune(['arn:aws:s3:::b', '*']), ['*']);
});

test('prune: `?` is a wildcard, and a pattern is dropped only when another contains it', () => {
  assert.deepEqual(prune(['arn:aws:s3:::b/a?', 'arn:aws:s3:::b/ab']), ['arn:aws:s3:::b/a?']);
  // `b/?` does not contain `b/*` although it matches the text "b/*".
  assert.deepEqual(prune(['arn:aws:s3:::b/?', 'arn:aws:s3:::b/*']), ['arn:aws:s3:::b/*']);
  assert.deepEqual(prune(['arn:aws:s3:::B/*', 'arn:aws:s3:::b/x']), ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/x'], 'case-sensitive');
});

test('duplicate Sids get a number', () => {
  const out = finishStatements([
    allow(['s3:ListBucket'], ['arn:aws:s3:::a'], { sid: 'List', conditions: { StringLike: { 's3:prefix': ['a/*'] } } }),
    allow(['s3:ListBucket'], ['arn:aws:s3:::b'], { sid: 'List', conditions: { StringLike: { 's3:prefix': ['b/*'] } } }),
  ]);
  assert.deepEqual(
    out.map((s) => s.sid),
    ['List', 'List2'],
  );
});

test('toDocument: one value as a string, element order as printPolicy', () => {
  const doc = toDocument([allow(['s3:GetObject'], ['arn:aws:s3:::b/*'], { sid: 'S', conditions: { Bool: { 'aws:SecureTransport': ['true'] } } })]);
  assert.equal(
    JSON.stringify(doc),
    '{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}',
  );
});

test('packDocuments keeps each document under the limit', () => {
  const many = Array.from({ length: 40 }, (_, i) => allow([`s3:GetObject`], [`arn:aws:s3:::bucket-${i}/${'k'.repeat(100)}/*`], { sid: `S${i}` }));
  const docs = packDocuments(many, 2000);
  assert.ok(docs.length > 1);
  for (const d of docs) assert.ok(policySize(d) <= 2000);
  assert.equal(
    docs.reduce((n, d) => n + d.Statement.length, 0),
    40,
  );
});

test('toPolicy gives the one policy model: parsing the printed document yields the same statements', () => {
  const statements: GenStatement[] = [
    allow(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::b/*'], {
      sid: 'Objects',
      conditions: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*', 'b'] }, Bool: { 'aws:SecureTransport': ['true'] } },
    }),
    { effect: 'Deny', actions: ['iam:PassRole'], resources: ['*'] },
  ];
  const model = toPolicy(statements);
  const printed = JSON.stringify(toDocument(statements));
  const parsed = parsePolicy(printed, { type: 'identity', name: 'generated' });
  assert.ok(parsed.policy);
  const strip = (p: Policy) =>
    p.statements.map((s) => ({
      sid: s.sid,
      effect: s.effect,
      action: s.action?.values,
      resource: s.resource?.values,
      conditions: s.conditions.map((c) => [c.operator, c.baseOperator, c.setQualifier, c.ifExists, c.key, c.values]),
    }));
  assert.deepEqual(strip(model), strip(parsed.policy));
  const trust = toPolicy([{ effect: 'Allow', principal: { Service: ['sagemaker.amazonaws.com'] }, actions: ['sts:AssumeRole'] }]);
  assert.equal(trust.type, 'trust');
  assert.deepEqual(toDocument([{ effect: 'Allow', principal: { Service: ['sagemaker.amazonaws.com'] }, actions: ['sts:AssumeRole'] }]).Statement, [
    { Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ]);
});
