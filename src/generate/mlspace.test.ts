import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateMlspaceNotebookPolicy, readMlspaceParams, type MlspaceParams } from './mlspace.js';
import { MANAGED_POLICY_SIZE_LIMIT, policySize } from './policy-doc.js';
import { SourceDoc } from './source.js';
import { decide, parseClean, readExample, requestTags, SEED_POLICIES, type Ctx } from './test-support.test.js';

function params(): MlspaceParams {
  const r = readMlspaceParams(new SourceDoc(readExample('mlspace-params.yaml'), 'mlspace-params.yaml'));
  assert.deepEqual(r.diagnostics, []);
  assert.ok(r.params);
  return r.params;
}

const generated = generateMlspaceNotebookPolicy(params()).policies;
const seed = readFileSync(`${SEED_POLICIES}mlspace-notebook-policy.json`, 'utf8');
/** What AmazonSageMakerFullAccess-style grants add next to the notebook policy. */
const broadSageMaker = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' }] });

const ACCOUNT = '012345678910';
const sm = (type: string, name: string) => `arn:aws:sagemaker:us-east-1:${ACCOUNT}:${type}/${name}`;
const SUBNET = 'subnet-0f9f0555e69d3d687';
const SG = 'sg-0c001c111cbcdcdf6';
const vpc = (subnet = SUBNET): Ctx[] => [
  { key: 'sagemaker:VpcSubnets', values: [subnet], type: 'stringList' },
  { key: 'sagemaker:VpcSecurityGroupIds', values: [SG], type: 'stringList' },
];
const allTags = { user: 'jdoe', project: 'churn', system: 'MLSpace' };

test('every generated document parses cleanly and fits the managed policy quota', () => {
  for (const doc of generated) {
    parseClean(doc);
    assert.ok(policySize(doc) <= MANAGED_POLICY_SIZE_LIMIT, `${policySize(doc)} characters`);
  }
});

test('no statement lists an action twice (the seed listed bedrock:Retrieve* twice)', () => {
  for (const doc of generated) {
    for (const s of doc.Statement) {
      const actions = [s['Action']].flat() as string[];
      assert.equal(new Set(actions.map((a) => a.toLowerCase())).size, actions.length, JSON.stringify(actions));
    }
  }
});

test('CreateTrainingJob without the project tag: the generated policy denies, the seed does not', () => {
  const tags = requestTags({ user: 'jdoe', system: 'MLSpace' });
  const req = [...tags, ...vpc()];
  assert.equal(decide([...generated, broadSageMaker], 'sagemaker:CreateTrainingJob', sm('training-job', 'j1'), req), 'explicitDeny');
  assert.equal(decide([seed, broadSageMaker], 'sagemaker:CreateTrainingJob', sm('training-job', 'j1'), req), 'allowed');
});

test('each required tag is enforced on its own (the seed ANDed them)', () => {
  const arn = sm('endpoint-config', 'c1');
  for (const missing of ['user', 'project', 'system'] as const) {
    const tags = Object.fromEntries(Object.entries(allTags).filter(([k]) => k !== missing));
    assert.equal(decide([...generated, broadSageMaker], 'sagemaker:CreateEndpointConfig', arn, requestTags(tags)), 'explicitDeny', `missing ${missing}`);
  }
  assert.equal(
    decide([...generated, broadSageMaker], 'sagemaker:CreateTransformJob', sm('transform-job', 't'), requestTags({ ...allTags, system: 'other' })),
    'explicitDeny',
  );
  // The seed's AND lets a request with just the user tag through.
  assert.equal(decide([seed, broadSageMaker], 'sagemaker:CreateEndpointConfig', arn, requestTags({ user: 'jdoe' })), 'allowed');
});

test('properly tagged jobs in the installation VPC are allowed; other subnets and missing VPC are denied', () => {
  const tags = requestTags(allTags);
  assert.equal(decide(generated, 'sagemaker:CreateTrainingJob', sm('training-job', 'j1'), [...tags, ...vpc()]), 'allowed');
  assert.equal(decide(generated, 'sagemaker:CreateHyperParameterTuningJob', sm('hyper-parameter-tuning-job', 'h'), [...tags, ...vpc()]), 'allowed');
  assert.equal(
    decide([...generated, broadSageMaker], 'sagemaker:CreateTrainingJob', sm('training-job', 'j1'), [...tags, ...vpc('subnet-11111111111111111')]),
    'explicitDeny',
  );
  assert.equal(decide([...generated, broadSageMaker], 'sagemaker:CreateTrainingJob', sm('training-job', 'j1'), tags), 'explicitDeny');
});

test('CreateEndpointConfig is allowed with tags (seed statement 6 named CreateEndpoint)', () => {
  const tags = requestTags(allTags);
  assert.equal(decide(generated, 'sagemaker:CreateEndpointConfig', sm('endpoint-config', 'c1'), tags), 'allowed');
  assert.equal(decide([seed], 'sagemaker:CreateEndpointConfig', sm('endpoint-config', 'c1'), tags), 'implicitDeny');
  // CreateEndpoint is authorized against the endpoint and its endpoint config: both are covered.
  assert.equal(decide(generated, 'sagemaker:CreateEndpoint', sm('endpoint', 'e1'), tags), 'allowed');
  assert.equal(decide(generated, 'sagemaker:CreateEndpoint', sm('endpoint-config', 'c1'), tags), 'allowed');
  assert.equal(decide(generated, 'sagemaker:CreateEndpoint', sm('endpoint', 'e1'), requestTags({ project: 'p', system: 'MLSpace' })), 'implicitDeny');
});

test('managing existing resources checks the resource tags (seed statement 9 checked request tags)', () => {
  const resourceTags = (t: Record<string, string>): Ctx[] => Object.entries(t).map(([k, v]) => ({ key: `aws:ResourceTag/${k}`, values: [v] }));
  assert.equal(decide(generated, 'sagemaker:DescribeTrainingJob', sm('training-job', 'j1'), resourceTags(allTags)), 'allowed');
  assert.equal(decide(generated, 'sagemaker:DescribeTrainingJob', sm('training-job', 'j1')), 'implicitDeny');
  assert.equal(decide(generated, 'sagemaker:InvokeEndpoint', sm('endpoint', 'e1'), resourceTags({ user: 'u', project: 'p', system: 'mlspace' })), 'allowed');
  // The seed demanded request tags that a Describe call never carries.
  assert.equal(decide([seed], 'sagemaker:DescribeTrainingJob', sm('training-job', 'j1'), resourceTags(allTags)), 'implicitDeny');
});

test('Bedrock: on Bedrock ARNs, tags enforced where the context can carry them', () => {
  const agent = `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/AGENT12345`;
  const model = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';
  const resourceTags = Object.entries(allTags).map(([k, v]) => ({ key: `aws:ResourceTag/${k}`, values: [v] }));
  assert.equal(decide(generated, 'bedrock:GetAgent', agent, resourceTags), 'allowed');
  assert.equal(decide(generated, 'bedrock:GetAgent', agent), 'implicitDeny');
  assert.equal(decide(generated, 'bedrock:CreateAgent', '*', requestTags(allTags)), 'allowed');
  assert.equal(decide(generated, 'bedrock:CreateAgent', '*', requestTags({ user: 'u' })), 'implicitDeny');
  // Foundation models cannot be tagged: invoking them is not tag-conditioned.
  assert.equal(decide(generated, 'bedrock:InvokeModel', model), 'allowed');
  assert.equal(decide(generated, 'bedrock:ListFoundationModels', '*'), 'allowed');
  // The seed allowed Bedrock on a SageMaker ARN only when tags were absent.
  assert.equal(decide(generated, 'bedrock:InvokeModel', `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/x`), 'implicitDeny');
  assert.equal(decide([seed], 'bedrock:InvokeModel', model), 'implicitDeny');
});

test('S3: config and examples readable, data bucket only under global-read-only/', () => {
  assert.equal(decide(generated, 's3:GetObject', `arn:aws:s3:::mlspace-config-${ACCOUNT}/app.json`), 'allowed');
  assert.equal(decide(generated, 's3:GetObject', `arn:aws:s3:::mlspace-data-${ACCOUNT}/global-read-only/x.csv`), 'allowed');
  assert.equal(decide(generated, 's3:GetObject', `arn:aws:s3:::mlspace-data-${ACCOUNT}/private/jdoe/x.csv`), 'implicitDeny');
  const list = (prefix: string) => decide(generated, 's3:ListBucket', `arn:aws:s3:::mlspace-data-${ACCOUNT}`, [{ key: 's3:prefix', values: [prefix] }]);
  assert.equal(list('global-read-only/'), 'allowed');
  assert.equal(list('private/'), 'implicitDeny');
});

test('parameters: --set style strings, defaults, and errors with positions', () => {
  const ok = readMlspaceParams(
    new SourceDoc(
      JSON.stringify({
        region: 'eu-west-1',
        account: '111122223333',
        subnets: 'subnet-0f9f0555e69d3d687, subnet-06cbb3ec6591a31ad',
        securityGroups: SG,
        bedrock: 'false',
      }),
      '--set',
    ),
  );
  assert.ok(ok.params);
  assert.deepEqual(ok.params.subnets, ['subnet-0f9f0555e69d3d687', 'subnet-06cbb3ec6591a31ad']);
  assert.equal(ok.params.dataBucket, 'mlspace-data-111122223333');
  assert.equal(ok.params.bedrock, false);
  assert.equal(
    generateMlspaceNotebookPolicy(ok.params).statements.some((s) => s.actions.some((a) => a.startsWith('bedrock:'))),
    false,
  );
  const bad = readMlspaceParams(new SourceDoc('region: us-east-1\naccount: "12"\nsubnets: [subnet-xyz]\nsecurityGroup: sg-1\n', 'p.yaml'));
  assert.equal(bad.params, undefined);
  const msgs = bad.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
  assert.ok(msgs.includes('2:10 account must be a 12-digit account ID'), msgs.join('\n'));
  assert.ok(msgs.includes('3:11 not a subnet ID: "subnet-xyz"'), msgs.join('\n'));
  assert.ok(
    msgs.some((m) => m.startsWith('4:1 unknown field "securityGroup"')),
    msgs.join('\n'),
  );
});
