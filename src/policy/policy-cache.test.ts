/** The parsed-policy cache: a text is parsed once whatever name (list position) it comes under. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PolicyTextCache } from './policy-cache.js';
import { parsePolicy } from './parse.js';

const TEXT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
});

test('a text under another name is the first parse relabelled: same statements, its own name', () => {
  const cache = new PolicyTextCache(4, 16);
  const a = cache.parse(TEXT, 'identity', 'PolicyInputList.1', false);
  const b = cache.parse(TEXT, 'identity', 'PolicyInputList.7', false);
  assert.equal(a.policy?.name, 'PolicyInputList.1');
  assert.equal(b.policy?.name, 'PolicyInputList.7');
  assert.equal(b.policy?.statements, a.policy?.statements);
  // Everything but the name is what a fresh parse under that name gives.
  const fresh = parsePolicy(TEXT, { type: 'identity', name: 'PolicyInputList.7' });
  assert.deepEqual(JSON.parse(JSON.stringify(b)), JSON.parse(JSON.stringify(fresh)));
  // Asked again under either name: the same result object.
  assert.equal(cache.parse(TEXT, 'identity', 'PolicyInputList.7', false), b);
  assert.equal(cache.parse(TEXT, 'identity', 'PolicyInputList.1', false), a);
});

test('type, leniency and file are never shared: each parses on its own', () => {
  const cache = new PolicyTextCache(4, 16);
  const identity = cache.parse(TEXT, 'identity', 'p', false);
  const resource = cache.parse(TEXT, 'resource', 'p', false);
  assert.notEqual(resource.policy?.statements, identity.policy?.statements);
  assert.equal(resource.policy?.type, 'resource');
  // A resource policy needs a Principal: its diagnostics differ from the identity parse's.
  assert.notDeepEqual(
    resource.diagnostics.map((d) => d.code),
    identity.diagnostics.map((d) => d.code),
  );
  const inFile = cache.parse(TEXT, 'identity', 'p', false, 'a.json');
  assert.notEqual(inFile.policy?.statements, identity.policy?.statements);
  assert.equal(cache.parse(TEXT, 'identity', 'q', true).policy?.statements === identity.policy?.statements, false);
});

test('a text that does not parse gives the same errors under every name', () => {
  const cache = new PolicyTextCache(4, 16);
  const bad = TEXT.replace('"Allow"', '"Perhaps"');
  const a = cache.parse(bad, 'identity', 'PolicyInputList.1', false);
  const b = cache.parse(bad, 'identity', 'PolicyInputList.2', false);
  assert.ok(a.diagnostics.some((d) => d.severity === 'error'));
  assert.deepEqual(b.diagnostics, a.diagnostics);
  assert.equal(b.policy === undefined ? undefined : b.policy.name, a.policy === undefined ? undefined : 'PolicyInputList.2');
});
