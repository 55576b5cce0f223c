import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateFromCloudTrail, TrailAggregator } from './cloudtrail.js';
import { actionOfEvent, mapEvent, serviceOfSource } from './cloudtrail-map.js';
import { splitRecords, RecordSplitter } from './cloudtrail-read.js';
import { generalize, matchFormat } from './generalize.js';
import { decide, parseClean, readExample } from './test-support.test.js';

const ROLE = 'arn:aws:iam::111122223333:role/ml-pipeline';
const event = (source: string, name: string, params: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.09',
  eventSource: source,
  eventName: name,
  awsRegion: 'us-east-1',
  recipientAccountId: '111122223333',
  eventType: 'AwsApiCall',
  userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/ml-pipeline/s1', sessionContext: { sessionIssuer: { arn: ROLE } } },
  requestParameters: params,
  ...extra,
});

test('splitter: log files, JSON Lines, arrays, concatenated files', () => {
  const a = event('s3.amazonaws.com', 'GetObject');
  const b = event('kms.amazonaws.com', 'Decrypt');
  const forms = [
    JSON.stringify({ Records: [a, b] }),
    `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`,
    JSON.stringify([a, b]),
    `${JSON.stringify({ Records: [a] })}\n${JSON.stringify({ Records: [b] })}`,
    JSON.stringify({ Other: { Records: 'x' }, Records: [a, b], Tail: [1, { x: '}' }] }),
  ];
  for (const text of forms) {
    const { records, problems } = splitRecords(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      records.map((r) => r['eventName']),
      ['GetObject', 'Decrypt'],
      text.slice(0, 40),
    );
  }
});

test('splitter: any chunking gives the same records (strings with braces and escapes)', () => {
  const tricky = event('s3.amazonaws.com', 'PutObject', { key: 'a}"\\{[', bucketName: 'b' });
  const text = JSON.stringify({ Records: [tricky, event('kms.amazonaws.com', 'Decrypt')] });
  for (const size of [1, 2, 3, 7, 64]) {
    const got: unknown[] = [];
    const s = new RecordSplitter({ record: (r) => got.push(r), problem: (p) => assert.fail(p.message) });
    for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
    s.end();
    assert.deepEqual(got, [tricky, event('kms.amazonaws.com', 'Decrypt')]);
  }
});

test('splitter: bad lines are reported with their line number and skipped', () => {
  const { records, problems } = splitRecords(`${JSON.stringify(event('s3.amazonaws.com', 'GetObject'))}\nnot json\n{"eventName": }\n`);
  assert.equal(records.length, 1);
  assert.deepEqual(
    problems.map((p) => p.line),
    [2, 3],
  );
});

test('event sources and names map to catalog actions', () => {
  assert.equal(serviceOfSource('monitoring.amazonaws.com'), 'cloudwatch');
  assert.equal(serviceOfSource('runtime.sagemaker.amazonaws.com'), 'sagemaker');
  assert.equal(serviceOfSource('nosuchservice.amazonaws.com'), undefined);
  assert.equal(actionOfEvent('s3', 'ListObjectsV2'), 's3:ListBucket');
  assert.equal(actionOfEvent('s3', 'HeadObject'), 's3:GetObject');
  assert.equal(actionOfEvent('s3', 'CompleteMultipartUpload'), 's3:PutObject');
  assert.equal(actionOfEvent('lambda', 'GetFunction20150331v2'), 'lambda:GetFunction');
  assert.equal(actionOfEvent('bedrock', 'Converse'), 'bedrock:InvokeModel');
  assert.equal(actionOfEvent('sts', 'GetCallerIdentity'), null);
  assert.equal(actionOfEvent('sagemaker', 'DescribeTrainingJobV3'), undefined);
});

test('resources: listed ARNs, ARNs built from request parameters, an object is not a bucket', () => {
  const m = mapEvent(
    event(
      's3.amazonaws.com',
      'GetObject',
      { bucketName: 'b', key: 'd/x.csv' },
      {
        resources: [
          { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::b/d/x.csv' },
          { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b' },
        ],
      },
    ),
  );
  assert.equal(m.kind, 'call');
  if (m.kind !== 'call') return;
  assert.deepEqual(
    m.call.resources.map((r) => r.arn),
    ['arn:aws:s3:::b/d/x.csv'],
  );
  const list = mapEvent(event('s3.amazonaws.com', 'ListObjects', { bucketName: 'b', prefix: 'd/' }));
  assert.ok(list.kind === 'call' && list.call.resources[0]?.arn === 'arn:aws:s3:::b');
  const job = mapEvent(event('sagemaker.amazonaws.com', 'DescribeTrainingJob', { trainingJobName: 'j-1' }));
  assert.ok(job.kind === 'call' && job.call.resources[0]?.arn === 'arn:aws:sagemaker:us-east-1:111122223333:training-job/j-1');
  const create = mapEvent(event('sagemaker.amazonaws.com', 'CreateTrainingJob', { trainingJobName: 'j-1', roleArn: 'arn:aws:iam::111122223333:role/exec' }));
  assert.ok(create.kind === 'call');
  if (create.kind === 'call') {
    assert.deepEqual(create.call.passedRoles, ['arn:aws:iam::111122223333:role/exec']);
    assert.equal(create.call.passedTo, 'sagemaker.amazonaws.com');
  }
});

test('generalization: exact, wildcard (varying part), placeholder', () => {
  const fmt = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
  assert.deepEqual(matchFormat(fmt, 'arn:aws:s3:::b/x/y.csv'), { Partition: 'aws', BucketName: 'b', ObjectName: 'x/y.csv' });
  assert.equal(matchFormat('arn:${Partition}:s3:::${BucketName}', 'arn:aws:s3:::b/x'), undefined);
  const objs = ['a/b/1.csv', 'a/b/c/2.csv'].map((k) => ({ arn: `arn:aws:s3:::bkt/${k}`, format: fmt, service: 's3', resourceType: 'object', resolved: true }));
  assert.deepEqual(generalize(objs, 'exact'), ['arn:aws:s3:::bkt/a/b/1.csv', 'arn:aws:s3:::bkt/a/b/c/2.csv']);
  assert.deepEqual(generalize(objs, 'wildcard'), ['arn:aws:s3:::bkt/a/b/*']);
  assert.deepEqual(generalize(objs, 'placeholder'), ['arn:aws:s3:::bkt/a/b/${ObjectName}']);
  const key = [
    {
      arn: 'arn:aws:kms:us-east-1:111122223333:key/k1',
      format: 'arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}',
      service: 'kms',
      resourceType: 'key',
      resolved: true,
    },
  ];
  assert.deepEqual(generalize(key, 'wildcard'), ['arn:aws:kms:us-east-1:111122223333:key/k1']);
  assert.deepEqual(generalize(key, 'placeholder'), ['arn:aws:kms:${Region}:${Account}:key/k1']);
});

test('the example trail: what the pipeline role used, denied and unknown events reported', () => {
  const r = generateFromCloudTrail(readExample('cloudtrail/training-pipeline.json'), { principal: ROLE }, 'training-pipeline.json');
  assert.ok(r.policy);
  parseClean(r.policy);
  assert.equal(r.stats.denied, 1);
  assert.deepEqual(r.stats.unknown, { 'sagemaker.amazonaws.com DescribeTrainingJobV3': 1 });
  assert.ok(r.diagnostics.some((d) => d.code === 'CLOUDTRAIL_UNKNOWN_EVENT' && d.severity === 'warning'));
  const p = [r.policy];
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::ml-data-111122223333/datasets/churn/test/part-9.csv'), 'allowed');
  assert.equal(decide(p, 's3:GetObject', 'arn:aws:s3:::ml-data-111122223333/other/x'), 'implicitDeny');
  assert.equal(decide(p, 's3:DeleteObject', 'arn:aws:s3:::ml-data-111122223333/datasets/churn/train/part-0001.csv'), 'implicitDeny');
  assert.equal(decide(p, 'sagemaker:CreateTrainingJob', 'arn:aws:sagemaker:us-east-1:111122223333:training-job/next-run'), 'allowed');
  const pass = (role: string, service: string) => decide(p, 'iam:PassRole', role, [{ key: 'iam:PassedToService', values: [service] }]);
  assert.equal(pass('arn:aws:iam::111122223333:role/ml/tuning-role', 'sagemaker.amazonaws.com'), 'allowed');
  assert.equal(pass('arn:aws:iam::111122223333:role/ml/tuning-role', 'lambda.amazonaws.com'), 'implicitDeny');
  assert.equal(pass('arn:aws:iam::111122223333:role/admin', 'sagemaker.amazonaws.com'), 'implicitDeny');
  // Alice's DescribeTrainingJob is not the pipeline's.
  assert.equal(r.stats.otherPrincipals, 2);
});

test('--include-denied grants the denied call too; output is deterministic', () => {
  const text = readExample('cloudtrail/training-pipeline.json');
  const r = generateFromCloudTrail(text, { principal: ROLE, includeDenied: true });
  assert.ok(r.policy);
  assert.equal(decide([r.policy], 's3:DeleteObject', 'arn:aws:s3:::ml-data-111122223333/datasets/churn/train/part-0001.csv'), 'allowed');
  const again = generateFromCloudTrail(text, { principal: ROLE, includeDenied: true });
  assert.equal(JSON.stringify(again.policy), JSON.stringify(r.policy));
});

test('several files into one aggregator; no usable events is an error', () => {
  const agg = new TrailAggregator({ resources: 'exact' });
  agg.splitter('a.jsonl').push(readExample('cloudtrail/notebook-activity.jsonl'));
  agg.splitter('b.json').push(readExample('cloudtrail/training-pipeline.json'));
  const r = agg.finish();
  assert.ok(r.diagnostics.some((d) => d.code === 'CLOUDTRAIL_MANY_PRINCIPALS'));
  assert.ok(r.policy);
  const empty = generateFromCloudTrail(JSON.stringify({ Records: [event('sts.amazonaws.com', 'GetCallerIdentity')] }));
  assert.equal(empty.policy, undefined);
  assert.ok(empty.diagnostics.some((d) => d.code === 'CLOUDTRAIL_NO_ACTIVITY' && d.severity === 'error'));
});
