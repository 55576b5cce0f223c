import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateExecutionRole } from './execution-role.js';
import { readExecutionRoleSpec, type ExecutionRoleSpec } from './execution-spec.js';
import { decide, readExample, requestTags } from './test-support.test.js';
import { compilePolicy } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { makeContext } from '../eval/request.js';
import { parsePolicy } from '../policy/parse.js';

function spec(name: string): ExecutionRoleSpec {
  const r = readExecutionRoleSpec(readExample(name), name);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.ok(r.spec);
  return r.spec;
}

test('CreateTrainingJob role reads the input path and nothing else', () => {
  const { permissions } = generateExecutionRole(spec('training-job.yaml'));
  assert.equal(decide([permissions], 's3:GetObject', 'arn:aws:s3:::inputbucket/train/part-1.csv'), 'allowed');
  assert.equal(decide([permissions], 's3:GetObject', 'arn:aws:s3:::inputbucket/secret/keys.csv'), 'implicitDeny');
  assert.equal(decide([permissions], 's3:GetObject', 'arn:aws:s3:::outputbucket/path/model.tar.gz'), 'implicitDeny');
  assert.equal(decide([permissions], 's3:PutObject', 'arn:aws:s3:::outputbucket/path/model.tar.gz'), 'allowed');
  assert.equal(decide([permissions], 's3:PutObject', 'arn:aws:s3:::inputbucket/train/x'), 'implicitDeny');
});

test('ListBucket only on the input bucket, only under the input prefixes', () => {
  const { permissions } = generateExecutionRole(spec('training-job.yaml'));
  const list = (bucket: string, prefix: string) => decide([permissions], 's3:ListBucket', `arn:aws:s3:::${bucket}`, [{ key: 's3:prefix', values: [prefix] }]);
  assert.equal(list('inputbucket', 'train/'), 'allowed');
  assert.equal(list('inputbucket', 'validation/2024/'), 'allowed');
  assert.equal(list('inputbucket', 'secret/'), 'implicitDeny');
  assert.equal(list('outputbucket', 'path/'), 'implicitDeny');
});

test('ECR pulls on the image repository with Region and account; logs and metrics on *', () => {
  const { permissions } = generateExecutionRole(spec('training-job.yaml'));
  assert.equal(decide([permissions], 'ecr:BatchGetImage', 'arn:aws:ecr:us-east-1:111122223333:repository/my-repo'), 'allowed');
  assert.equal(decide([permissions], 'ecr:BatchGetImage', 'arn:aws:ecr:us-east-1:111122223333:repository/other'), 'implicitDeny');
  assert.equal(decide([permissions], 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/sagemaker/TrainingJobs:log-stream:x'), 'allowed');
  assert.equal(decide([permissions], 'cloudwatch:PutMetricData', '*'), 'allowed');
});

test('no VPC, no KMS keys: no ec2 or kms actions at all', () => {
  const { permissions } = generateExecutionRole(spec('training-job.yaml'));
  const actions = permissions.Statement.flatMap((s) => [s['Action']].flat() as string[]);
  assert.ok(!actions.some((a) => a.startsWith('ec2:') || a.startsWith('kms:')), actions.join(','));
});

test('with a VPC: ENIs only in the given subnets and security groups', () => {
  const { permissions } = generateExecutionRole(spec('hpo-vpc-kms.yaml'));
  const eni = 'arn:aws:ec2:eu-west-1:111122223333:network-interface/eni-0123456789abcdef0';
  assert.equal(decide([permissions], 'ec2:CreateNetworkInterface', eni), 'allowed');
  assert.equal(decide([permissions], 'ec2:CreateNetworkInterface', 'arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0f9f0555e69d3d687'), 'allowed');
  assert.equal(decide([permissions], 'ec2:CreateNetworkInterface', 'arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-99999999999999999'), 'implicitDeny');
  assert.equal(decide([permissions], 'ec2:DescribeVpcs', '*'), 'allowed');
});

test('with keys: Decrypt/Encrypt on the data key, CreateGrant on the volume key for AWS resources only', () => {
  const { permissions } = generateExecutionRole(spec('hpo-vpc-kms.yaml'));
  const data = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const volume = 'arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321';
  assert.equal(decide([permissions], 'kms:Decrypt', data), 'allowed');
  assert.equal(decide([permissions], 'kms:Decrypt', volume), 'implicitDeny');
  assert.equal(decide([permissions], 'kms:CreateGrant', volume, [{ key: 'kms:GrantIsForAWSResource', values: ['true'], type: 'boolean' }]), 'allowed');
  assert.equal(decide([permissions], 'kms:CreateGrant', volume, [{ key: 'kms:GrantIsForAWSResource', values: ['false'], type: 'boolean' }]), 'implicitDeny');
});

test('CreateModel: reads the model data, lists nothing, writes nothing', () => {
  const { permissions } = generateExecutionRole(spec('model.json'));
  const model = 'arn:aws:s3:::ml-artifacts-111122223333/tuning/best/output/model.tar.gz';
  assert.equal(decide([permissions], 's3:GetObject', model), 'allowed');
  assert.equal(decide([permissions], 's3:GetObject', `${model}.bak`), 'implicitDeny');
  assert.equal(decide([permissions], 's3:ListBucket', 'arn:aws:s3:::ml-artifacts-111122223333'), 'implicitDeny');
});

test('caller: PassRole of this role to SageMaker only, creation only with the spec tags', () => {
  const r = generateExecutionRole(spec('training-job.yaml'));
  const pass = (service: string, role = r.roleArn) => decide([r.caller], 'iam:PassRole', role, [{ key: 'iam:PassedToService', values: [service] }]);
  assert.equal(pass('sagemaker.amazonaws.com'), 'allowed');
  assert.equal(pass('lambda.amazonaws.com'), 'implicitDeny');
  assert.equal(pass('sagemaker.amazonaws.com', 'arn:aws:iam::111122223333:role/admin'), 'implicitDeny');
  const job = 'arn:aws:sagemaker:us-east-1:111122223333:training-job/run-1';
  assert.equal(decide([r.caller], 'sagemaker:CreateTrainingJob', job, requestTags({ project: 'churn' })), 'allowed');
  assert.equal(decide([r.caller], 'sagemaker:CreateTrainingJob', job, requestTags({ project: 'other' })), 'implicitDeny');
  assert.equal(decide([r.caller], 'sagemaker:CreateTrainingJob', job), 'implicitDeny');
});

test('caller with a VPC: jobs must run in the given subnets', () => {
  const r = generateExecutionRole(spec('hpo-vpc-kms.yaml'));
  const job = 'arn:aws:sagemaker:eu-west-1:111122223333:training-job/run-1';
  const vpc = (subnets: string[]) => [
    { key: 'sagemaker:VpcSubnets', values: subnets, type: 'stringList' as const },
    { key: 'sagemaker:VpcSecurityGroupIds', values: ['sg-0c001c111cbcdcdf6'], type: 'stringList' as const },
  ];
  assert.equal(decide([r.caller], 'sagemaker:CreateTrainingJob', job, vpc(['subnet-0f9f0555e69d3d687'])), 'allowed');
  assert.equal(decide([r.caller], 'sagemaker:CreateTrainingJob', job, vpc(['subnet-0f9f0555e69d3d687', 'subnet-11111111111111111'])), 'implicitDeny');
  assert.equal(decide([r.caller], 'sagemaker:CreateTrainingJob', job), 'implicitDeny');
});

test('trust policy lets SageMaker assume the role (with aws:SourceAccount when asked)', () => {
  const r = generateExecutionRole(spec('hpo-vpc-kms.yaml'));
  const { policy } = parsePolicy(JSON.stringify(r.trust), { type: 'trust', name: 'trust' });
  assert.ok(policy);
  const resource = compilePolicy(policy, 'ResourcePolicy');
  const assume = (account: string) =>
    evaluate(
      { identity: [], resource, resourceOwnerAccount: '111122223333' },
      {
        principal: 'sagemaker.amazonaws.com',
        action: 'sts:AssumeRole',
        resource: r.roleArn,
        context: makeContext([{ key: 'aws:SourceAccount', type: 'string', values: [account] }]),
      },
    ).decision;
  assert.equal(assume('111122223333'), 'allowed');
  assert.equal(assume('999999999999'), 'implicitDeny');
});

test('spec errors carry file, line and column (YAML)', () => {
  const text =
    'roleName: r\naccount: "111122223333"\nregion: us-east-1\napis: [CreateTrainingJob, CreateTrainingJobs]\ns3:\n  inputs: [https://x/y]\n  output: []\n';
  const { spec: s, diagnostics } = readExecutionRoleSpec(text, 'bad.yaml');
  assert.equal(s, undefined);
  const byCode = diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
  assert.ok(
    byCode.some((m) => m.startsWith('bad.yaml:4:27 SPEC_INVALID unsupported API "CreateTrainingJobs"')),
    byCode.join('\n'),
  );
  assert.ok(
    byCode.some((m) => m.startsWith('bad.yaml:6:12 SPEC_INVALID not an s3:// URI')),
    byCode.join('\n'),
  );
  assert.ok(
    byCode.some((m) => m.startsWith('bad.yaml:7:3 SPEC_UNKNOWN_FIELD unknown field "output"')),
    byCode.join('\n'),
  );
});

test('spec errors in JSON: positions, unused entries, syntax errors', () => {
  const json =
    '{\n  "roleName": "r",\n  "account": 111122223333,\n  "region": "us-east-1",\n  "apis": ["CreateModel"],\n  "kms": {"volumeKeys": ["alias/x"]}\n}\n';
  const r = readExecutionRoleSpec(json, 'bad.json');
  const msgs = r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`);
  assert.ok(
    msgs.some((m) => m.startsWith('6:26 error "alias/x" is an alias')),
    msgs.join('\n'),
  );
  const unused = readExecutionRoleSpec(json.replace('alias/x', '1234abcd-12ab-34cd-56ef-1234567890ab'), 'ok.json');
  assert.ok(unused.spec, 'an unused key is a warning, not an error');
  assert.deepEqual(
    unused.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`),
    ['6:10 warning SPEC_UNUSED'],
  );
  const syntax = readExecutionRoleSpec('{"roleName": "r",, }', 'x.json');
  assert.equal(syntax.diagnostics[0]?.code, 'SPEC_SYNTAX');
  assert.equal(syntax.diagnostics[0]?.line, 1);
});

test('missing required fields are reported, unknown top-level fields suggest the right name', () => {
  const r = readExecutionRoleSpec('RoleName: r\nregion: us-east-1\n', 'x.yaml');
  const msgs = r.diagnostics.map((d) => d.message);
  assert.ok(msgs.includes('unknown field "RoleName" (did you mean "roleName"?)'), msgs.join('\n'));
  assert.ok(msgs.includes('missing required field "account"'));
  assert.ok(msgs.some((m) => m.startsWith('missing required field "apis"')));
});
