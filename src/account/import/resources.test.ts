import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { fixture, tempFile } from '../test-support.test.js';
import { buildBatch, parseFiles } from './index.js';
import type { ImportOptions } from './index.js';

function load(files: readonly string[], options: ImportOptions = {}) {
  const out: Diagnostic[] = [];
  const batch = buildBatch(parseFiles(files, options, out), undefined, out);
  return { out, policies: batch.resourcePolicies };
}

test('get-bucket-policy: the bucket is inferred from the policy resources', () => {
  const { out, policies } = load([fixture('get-bucket-policy.json')]);
  assert.deepEqual(out, []);
  assert.equal(policies[0]?.arn, 'arn:aws:s3:::ml-training-data-111122223333');
  assert.equal(policies[0]?.kind, 's3-bucket');
  assert.equal(policies[0]?.accountId, undefined);
  assert.match(policies[0]?.document ?? '', /aws:SecureTransport/);
  const owned = load([fixture('get-bucket-policy.json')], { accountId: '111122223333' });
  assert.equal(owned.policies[0]?.accountId, '111122223333');
});

test('get-bucket-policy: a legacy bucket name with capitals and underscores is recognised', () => {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::Legacy_Logs_2012/*' }] };
  const { out, policies } = load([tempFile('get-bucket-policy.json', JSON.stringify({ Policy: JSON.stringify(doc) }))]);
  assert.deepEqual(out, []);
  assert.equal(policies[0]?.arn, 'arn:aws:s3:::Legacy_Logs_2012');
});

test('get-key-policy: key id and region from the file name, account from the policy', () => {
  const { out, policies } = load([fixture('get-key-policy.us-east-1.1234abcd-12ab-34cd-56ef-1234567890ab.json')]);
  assert.deepEqual(out, []);
  assert.equal(policies[0]?.arn, 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  assert.equal(policies[0]?.kind, 'kms-key');
  assert.equal(policies[0]?.accountId, '111122223333');
});

test('a policy whose resource cannot be told is an error; --resource-arn fixes it', () => {
  const text = JSON.stringify({
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] }),
    PolicyName: 'default',
  });
  const file = tempFile('key-policy.json', text);
  const bad = load([file]);
  assert.deepEqual(
    bad.out.map((d) => d.code),
    ['RESOURCE_ARN_UNKNOWN'],
  );
  assert.match(bad.out[0]?.message ?? '', /KMS key policy/);
  const arn = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef';
  const good = load([file], { resourceArn: arn });
  assert.deepEqual(good.out, []);
  assert.equal(good.policies[0]?.arn, arn);
  assert.equal(good.policies[0]?.accountId, '123456789012');
});

test('describe-vpc-endpoints: one policy per endpoint, keyed by endpoint ARN', () => {
  const { out, policies } = load([fixture('describe-vpc-endpoints.json')]);
  assert.deepEqual(out, []);
  assert.deepEqual(
    policies.map((p) => p.arn),
    ['arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/vpce-0a1b2c3d4e5f60718', 'arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/vpce-0fedcba9876543210'],
  );
  assert.equal(policies[0]?.kind, 'vpc-endpoint');
  assert.equal(policies[0]?.attributes?.['serviceName'], 'com.amazonaws.us-east-1.s3');
  assert.equal(policies[0]?.attributes?.['vpcEndpointType'], 'Gateway');
});

test('ecr get-repository-policy: region from the file name', () => {
  const { out, policies } = load([fixture('get-repository-policy.us-east-1.json')]);
  assert.deepEqual(out, []);
  assert.equal(policies[0]?.arn, 'arn:aws:ecr:us-east-1:111122223333:repository/ml/training-images');
  assert.equal(policies[0]?.kind, 'ecr-repository');
});

test('unrecognized input and duplicate resource policies are errors', () => {
  const odd = tempFile('odd.json', '{"Something": 1}');
  assert.deepEqual(
    load([odd]).out.map((d) => d.code),
    ['UNKNOWN_INPUT_FORMAT'],
  );
  const dup = load([fixture('get-bucket-policy.json'), fixture('get-bucket-policy.json')]);
  assert.deepEqual(
    dup.out.map((d) => d.code),
    ['DUPLICATE_RESOURCE_POLICY'],
  );
});

const topicDoc = (topic: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SNS:Publish', Resource: topic }],
});

test('get-topic-attributes / get-queue-attributes: the ARN comes from the attributes; no Policy attribute, no policy', () => {
  const topic = 'arn:aws:sns:us-east-1:111122223333:alerts';
  const sns = tempFile(
    'get-topic-attributes.json',
    JSON.stringify({ Attributes: { TopicArn: topic, Owner: '111122223333', Policy: JSON.stringify(topicDoc(topic)) } }),
  );
  const queue = 'arn:aws:sqs:us-east-1:111122223333:jobs';
  const bare = tempFile('get-queue-attributes.json', JSON.stringify({ Attributes: { QueueArn: queue, VisibilityTimeout: '30' } }));
  const { out, policies } = load([sns, bare]);
  assert.deepEqual(out, []);
  assert.deepEqual(
    policies.map((p) => [p.arn, p.accountId]),
    [[topic, '111122223333']],
  );
});

test('lambda get-policy: the function is the one the statements name; several functions is an error', () => {
  const fn = 'arn:aws:lambda:us-east-1:111122223333:function:train';
  const stmt = (r: string) => ({ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: r });
  const one = tempFile('get-policy.json', JSON.stringify({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [stmt(fn)] }), RevisionId: 'r1' }));
  assert.equal(load([one]).policies[0]?.arn, fn);
  const two = tempFile(
    'get-policy.json',
    JSON.stringify({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [stmt(fn), stmt(`${fn}x`)] }), RevisionId: 'r1' }),
  );
  const bad = load([two]);
  assert.deepEqual(bad.policies, []);
  assert.match(bad.out[0]?.message ?? '', /several functions/);
});

test('secretsmanager get-resource-policy: the secret ARN from the output; a secret without a policy imports nothing', () => {
  const secret = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf';
  const doc = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
  };
  const withPolicy = tempFile('get-resource-policy.db.json', JSON.stringify({ ARN: secret, Name: 'db', ResourcePolicy: JSON.stringify(doc) }));
  const without = tempFile('get-resource-policy.dbx.json', JSON.stringify({ ARN: `${secret}x`, Name: 'dbx' }));
  const { out, policies } = load([withPolicy, without]);
  assert.deepEqual(out, []);
  assert.deepEqual(
    policies.map((p) => p.arn),
    [secret],
  );
});
