import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { postJson, startTestServer, type Started } from '../test-support.test.js';

const FIX = fileURLToPath(new URL('../../../../test/fixtures/explain/', import.meta.url));
let s: Started;

/** The value at a path of property names and indexes in a JSON value. */
function at(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const k of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}
before(async () => {
  s = await startTestServer({}, [`${FIX}iam.yaml`, `${FIX}org-and-resources.yaml`]);
});
after(async () => {
  await s.stop();
});

const ROLE_SESSION = 'arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker';
const ECR = `User: ${ROLE_SESSION} is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:111122223333:repository/notebook-runtime because no identity-based policy allows the ecr:BatchGetImage action`;

test('POST /v1/explain: a message explained as the CLI explains it, with the verified fix and its AWS CLI command', async () => {
  const r = await postJson(s.url, '/v1/explain', { message: ECR });
  assert.equal(r.status, 200);
  const e = at(r.json, 'explanations', 0);
  assert.equal(at(e, 'agrees'), true);
  assert.equal(at(e, 'aws', 'layer'), 'identity');
  assert.equal(at(e, 'aws', 'kind'), 'implicit');
  assert.equal(at(e, 'iamsim', 'decision'), 'implicitDeny');
  assert.equal(at(e, 'fix', 'verified'), true);
  assert.match(String(at(e, 'fix', 'patch', 'policies', 0, 'command')), /^aws iam put-role-policy --role-name NotebookJobRole/);
  assert.equal(r.json['exitCode'], 0);
});

test('POST /v1/explain: AWS blames an SCP the model has; the same call with a context the SCP allows disagrees', async () => {
  const msg = `User: ${ROLE_SESSION} is not authorized to perform: sagemaker:CreateTrainingJob on resource: arn:aws:sagemaker:eu-west-1:111122223333:training-job/x with an explicit deny in a service control policy`;
  const agree = await postJson(s.url, '/v1/explain', { message: msg, patch: false });
  assert.equal(at(agree.json, 'explanations', 0, 'agrees'), true);
  const other = await postJson(s.url, '/v1/explain', { message: msg, region: 'us-east-1', patch: false });
  assert.equal(at(other.json, 'explanations', 0, 'agrees'), false);
  assert.equal(at(other.json, 'explanations', 0, 'iamsim', 'decision'), 'allowed');
  assert.equal(other.json['exitCode'], 1);
});

test('POST /v1/explain: CloudTrail records and decoded messages; unreadable reports are problems with their line', async () => {
  const rec = {
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', arn: ROLE_SESSION, accountId: '111122223333' },
    eventSource: 'ecr.amazonaws.com',
    eventName: 'BatchGetImage',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    errorCode: 'AccessDeniedException',
    errorMessage: ECR,
    requestParameters: { repositoryName: 'notebook-runtime', imageIds: [{ imageTag: 'latest' }] },
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
  const ct = await postJson(s.url, '/v1/explain', { cloudtrail: { Records: [rec, { ...rec, errorCode: undefined, errorMessage: undefined }] }, patch: false });
  assert.equal(at(ct.json, 'explanations', 'length'), 1);
  assert.equal(ct.json['skipped'], 1);
  assert.deepEqual(at(ct.json, 'explanations', 0, 'request', 'context', 'aws:SourceIp'), ['203.0.113.10']);
  const decoded = await postJson(s.url, '/v1/explain', {
    decoded: {
      allowed: false,
      explicitDeny: false,
      matchedStatements: { items: [] },
      failures: { items: [] },
      context: {
        principal: { arn: ROLE_SESSION },
        action: 'ecr:BatchGetImage',
        resource: 'arn:aws:ecr:us-east-1:111122223333:repository/notebook-runtime',
        conditions: { items: [] },
      },
    },
    patch: false,
  });
  assert.equal(at(decoded.json, 'explanations', 0, 'aws', 'kind'), 'implicit');
  const bad = await postJson(s.url, '/v1/explain', { message: `${ECR}\nnot a message` });
  assert.equal(at(bad.json, 'problems', 0, 'line'), 2);
  assert.equal(at(bad.json, 'problems', 'length'), 1);
  assert.equal(bad.json['exitCode'], 2);
});

test('POST /v1/explain: bad bodies are 400s naming the problem', async () => {
  for (const body of [
    {},
    { message: '' },
    { message: ECR, cloudtrail: [] },
    { cloudtrail: 'x' },
    { message: ECR, principal: 7 },
    { message: ECR, context: 'x' },
  ]) {
    const r = await postJson(s.url, '/v1/explain', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(at(r.json, 'error', 'code'), 'InvalidRequest');
  }
  const many = await postJson(s.url, '/v1/explain', { message: Array(101).fill(ECR).join('\n') });
  assert.equal(many.status, 400);
  const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(doc.paths['/v1/explain']);
});
