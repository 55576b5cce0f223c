import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateFromCloudTrail } from './cloudtrail.js';
import { headerCompanions, mapEvent } from './cloudtrail-map.js';

const base = {
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/Alice', accountId: '111122223333' },
  awsRegion: 'us-east-1',
  eventType: 'AwsApiCall',
  recipientAccountId: '111122223333',
};

test('request headers: the action named as the call plus the header words, on the same resource types', () => {
  assert.deepEqual(headerCompanions('s3:PutObject', { 'x-amz-acl': 'bucket-owner-full-control' }), ['s3:PutObjectAcl']);
  assert.deepEqual(headerCompanions('s3:PutObject', { 'x-amz-grant-read': 'id=abc' }), ['s3:PutObjectAcl']);
  assert.deepEqual(headerCompanions('s3:PutObject', { 'x-amz-object-lock-legal-hold': 'ON' }), ['s3:PutObjectLegalHold']);
  assert.deepEqual(headerCompanions('s3:PutObject', { 'x-amz-storage-class': 'STANDARD_IA', 'x-amz-server-side-encryption': 'aws:kms' }), []);
  assert.deepEqual(headerCompanions('s3:PutObject', { key: 'a', acl: 'private' }), []);
  assert.deepEqual(headerCompanions('s3:CreateBucket', { 'x-amz-acl': 'private' }), []);
});

test('a bare `name` parameter is read only when one placeholder of the action ends with Name', () => {
  const trail = mapEvent({ ...base, eventSource: 'cloudtrail.amazonaws.com', eventName: 'StartLogging', requestParameters: { name: 'myTrail' } });
  assert.equal(trail.kind === 'call' ? trail.call.resources[0]?.arn : '', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail');
  // glue:GetTable: DatabaseName and TableName both end with Name; `name` is not taken for either.
  const table = mapEvent({ ...base, eventSource: 'glue.amazonaws.com', eventName: 'GetTable', requestParameters: { databaseName: 'db1', name: 't1' } });
  assert.ok(table.kind === 'call');
  const arns = table.kind === 'call' ? table.call.resources.map((r) => r.arn) : [];
  assert.ok(!arns.some((a) => a.endsWith('/t1') && !a.includes('db1/')), arns.join(' '));
  assert.ok(arns.includes('arn:aws:glue:us-east-1:111122223333:database/db1'), arns.join(' '));
});

test('an IAM path parameter goes into the ARN of a path-qualified name', () => {
  const m = mapEvent({ ...base, eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: { userName: 'Bob', path: '/division_abc/' } });
  assert.equal(m.kind === 'call' ? m.call.resources[0]?.arn : '', 'arn:aws:iam::111122223333:user/division_abc/Bob');
});

test('events that name no resource are reported with their lines, names and ids, never silently widened', () => {
  const recs = [1, 2, 3].map((i) =>
    JSON.stringify({ ...base, eventSource: 'iam.amazonaws.com', eventName: 'AddUserToGroup', eventID: `id-${i}`, requestParameters: {} }),
  );
  const r = generateFromCloudTrail(recs.join('\n'), { resources: 'exact' }, 'trail.jsonl');
  const d = r.diagnostics.find((x) => x.code === 'CLOUDTRAIL_RESOURCE_NOT_IN_EVENT');
  assert.ok(d);
  assert.match(d.message, /^3 iam:AddUserToGroup event\(s\) name no group/);
  assert.match(d.message, /trail\.jsonl:1 AddUserToGroup id-1; trail\.jsonl:2 AddUserToGroup id-2; trail\.jsonl:3 AddUserToGroup id-3/);
  assert.equal(r.policy?.Statement[0]?.Resource, 'arn:aws:iam::111122223333:group/*');
});
