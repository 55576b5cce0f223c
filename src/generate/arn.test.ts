import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ecrRepositoryArn,
  kmsKeyArn,
  parseEcrImage,
  parseS3Uri,
  partitionForRegion,
  s3ListPrefix,
  s3ObjectArn,
  wildcardArnsForAction,
  type S3Location,
} from './arn.js';

const scope = { partition: 'aws', region: 'us-east-1', account: '111122223333' };
const loc = (uri: string): S3Location => {
  const l = parseS3Uri(uri);
  assert.equal(typeof l, 'object', String(l));
  return l as S3Location;
};

test('s3:// URIs: folder, prefix, object, bucket', () => {
  assert.equal(s3ObjectArn(loc('s3://bucket/prefix/'), 'aws'), 'arn:aws:s3:::bucket/prefix/*');
  assert.equal(s3ListPrefix(loc('s3://bucket/prefix/')), 'prefix/*');
  assert.equal(s3ObjectArn(loc('s3://bucket/data/2024*'), 'aws'), 'arn:aws:s3:::bucket/data/2024*');
  assert.equal(s3ObjectArn(loc('s3://bucket/model.tar.gz'), 'aws'), 'arn:aws:s3:::bucket/model.tar.gz');
  assert.equal(s3ListPrefix(loc('s3://bucket/model.tar.gz')), 'model.tar.gz');
  assert.equal(s3ObjectArn(loc('s3://bucket'), 'aws'), 'arn:aws:s3:::bucket/*');
  assert.equal(s3ListPrefix(loc('s3://bucket/')), undefined);
  assert.match(String(parseS3Uri('https://bucket.s3.amazonaws.com/x')), /not an s3:\/\/ URI/);
  assert.match(String(parseS3Uri('s3://Bad_Bucket/x')), /bucket name/);
  assert.match(String(parseS3Uri('s3://bucket/a*/b')), /may only end/);
});

test('ECR repository ARNs carry Region and account (seed 003 left them empty)', () => {
  const uri = parseEcrImage('111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/my-repo:latest', scope);
  assert.deepEqual(uri, { account: '111122223333', region: 'eu-west-1', name: 'team/my-repo' });
  assert.equal(ecrRepositoryArn(uri as never, 'aws'), 'arn:aws:ecr:eu-west-1:111122223333:repository/team/my-repo');
  assert.deepEqual(parseEcrImage('444455556666.dkr.ecr.us-west-2.amazonaws.com/x@sha256:abc', scope), {
    account: '444455556666',
    region: 'us-west-2',
    name: 'x',
  });
  assert.deepEqual(parseEcrImage('my-repo', scope), { account: '111122223333', region: 'us-east-1', name: 'my-repo' });
  assert.deepEqual(parseEcrImage('arn:aws:ecr:us-east-1:111122223333:repository/r', scope), { account: '111122223333', region: 'us-east-1', name: 'r' });
  assert.equal(typeof parseEcrImage('docker.io/library/python:3', scope), 'string');
});

test('KMS keys: ARN or id, never an alias', () => {
  assert.equal(kmsKeyArn('1234abcd-12ab-34cd-56ef-1234567890ab', scope), 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  assert.ok(typeof kmsKeyArn('alias/my-key', scope) === 'object');
  assert.ok(typeof kmsKeyArn('your_KMS_key_ARN', scope) === 'object');
});

test('partitions and wildcard ARNs from the catalog formats', () => {
  assert.equal(partitionForRegion('cn-north-1'), 'aws-cn');
  assert.equal(partitionForRegion('us-gov-west-1'), 'aws-us-gov');
  assert.deepEqual(wildcardArnsForAction('sagemaker:CreateTrainingJob', scope), ['arn:aws:sagemaker:us-east-1:111122223333:training-job/*']);
  assert.deepEqual(wildcardArnsForAction('sagemaker:CreateEndpoint', scope).sort(), [
    'arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/*',
    'arn:aws:sagemaker:us-east-1:111122223333:endpoint/*',
  ]);
  assert.deepEqual(wildcardArnsForAction('ec2:DescribeVpcs', scope), ['*']);
});
