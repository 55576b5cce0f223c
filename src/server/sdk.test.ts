/**
 * The AWS SDK for JavaScript v3 against a started server: IAM (Query protocol)
 * reads, writes and simulations, and Access Analyzer's ValidatePolicy, with
 * AWS's error codes. Static credentials; nothing leaves loopback.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetContextKeysForCustomPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  GetUserCommand,
  GetGroupCommand,
  CreateUserCommand,
  CreateGroupCommand,
  AddUserToGroupCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import {
  AccessAnalyzerClient,
  CheckAccessNotGrantedCommand,
  CheckNoNewAccessCommand,
  CheckNoPublicAccessCommand,
  ValidatePolicyCommand,
} from '@aws-sdk/client-accessanalyzer';
import { ACCOUNT, EXEC_ROLE, JOB_ROLE, startTestServer, type Started } from './test-support.test.js';

let s: Started;
let iam: IAMClient;
let aa: AccessAnalyzerClient;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

before(async () => {
  s = await startTestServer();
  iam = new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  aa = new AccessAnalyzerClient({ endpoint: s.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});
after(async () => {
  iam.destroy();
  aa.destroy();
  await s.stop();
});

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const S3_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }],
});

async function rejects(p: Promise<unknown>, name: string, status: number): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

test('SimulateCustomPolicy: the decision and the matched statement, as the SDK parses them', async () => {
  const r = await iam.send(
    new SimulateCustomPolicyCommand({ PolicyInputList: [S3_READ], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::data/x'] }),
  );
  assert.deepEqual(
    r.EvaluationResults?.map((x) => x.EvalDecision),
    ['allowed', 'implicitDeny'],
  );
  assert.equal(r.EvaluationResults?.[0]?.MatchedStatements?.[0]?.SourcePolicyId, 'PolicyInputList.1');
  assert.equal(r.IsTruncated, false);
  const paged = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [S3_READ], ActionNames: ['s3:GetObject', 's3:PutObject'], MaxItems: 1 }));
  assert.equal(paged.IsTruncated, true);
  const next = await iam.send(
    new SimulateCustomPolicyCommand({ PolicyInputList: [S3_READ], ActionNames: ['s3:GetObject', 's3:PutObject'], MaxItems: 1, Marker: paged.Marker! }),
  );
  assert.equal(next.EvaluationResults?.[0]?.EvalActionName, 's3:PutObject');
  await rejects(
    iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{"Version":"2012-10-17","Statement":['], ActionNames: ['s3:GetObject'] })),
    'MalformedPolicyDocumentException',
    400,
  );
  await rejects(iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [S3_READ], ActionNames: ['not-an-action'] })), 'InvalidInputException', 400);
});

test('SimulatePrincipalPolicy and GetContextKeysForCustomPolicy over the model', async () => {
  const r = await iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: EXEC_ROLE,
      ActionNames: ['iam:PassRole'],
      ResourceArns: [JOB_ROLE],
      ContextEntries: [{ ContextKeyName: 'iam:PassedToService', ContextKeyValues: ['sagemaker.amazonaws.com'], ContextKeyType: 'string' }],
    }),
  );
  assert.equal(r.EvaluationResults?.[0]?.EvalDecision, 'allowed');
  await rejects(
    iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/Nobody`, ActionNames: ['s3:GetObject'] })),
    'NoSuchEntityException',
    404,
  );
  const keys = await iam.send(
    new GetContextKeysForCustomPolicyCommand({
      PolicyInputList: [
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: '*',
              Resource: '*',
              Condition: { StringEquals: { 'aws:RequestTag/team': 'a' }, Bool: { 'aws:SecureTransport': 'true' } },
            },
          ],
        }),
      ],
    }),
  );
  assert.deepEqual(keys.ContextKeyNames, ['aws:RequestTag/team', 'aws:SecureTransport']);
});

test('reads: roles, users, policies, attachments, authorization details; pagination followed by the SDK paginator', async () => {
  const role = await iam.send(new GetRoleCommand({ RoleName: 'NotebookJobExecutionRole' }));
  assert.equal(role.Role?.Arn, JOB_ROLE);
  assert.equal(JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).Version, '2012-10-17');
  const names: string[] = [];
  for await (const page of paginateListRoles({ client: iam, pageSize: 1 }, {})) names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
  const all = await iam.send(new ListRolesCommand({}));
  assert.deepEqual(
    names,
    all.Roles?.map((r) => r.RoleName),
  );
  assert.ok(names.length >= 2);
  const users = await iam.send(new ListUsersCommand({}));
  const user = await iam.send(new GetUserCommand({ UserName: users.Users![0]!.UserName! }));
  assert.equal(user.User?.Arn, users.Users![0]!.Arn);
  const policies = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
  const first = policies.Policies![0]!;
  assert.ok((first.AttachmentCount ?? 0) > 0);
  const got = await iam.send(new GetPolicyCommand({ PolicyArn: first.Arn! }));
  const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: first.Arn!, VersionId: got.Policy!.DefaultVersionId! }));
  assert.equal(version.PolicyVersion?.IsDefaultVersion, true);
  const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: first.Arn! }));
  assert.equal((entities.PolicyRoles ?? []).length + (entities.PolicyUsers ?? []).length + (entities.PolicyGroups ?? []).length, first.AttachmentCount);
  const gaad = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
  assert.equal(gaad.RoleDetailList?.length, all.Roles?.length);
  await rejects(iam.send(new GetRoleCommand({ RoleName: 'Nobody' })), 'NoSuchEntityException', 404);
  await rejects(iam.send(new GetGroupCommand({ GroupName: 'Nobody' })), 'NoSuchEntityException', 404);
});

test('writes: create a role, give it policies, and the decisions follow', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'SdkRole', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'team', Value: 'ml' }] }));
  await rejects(iam.send(new CreateRoleCommand({ RoleName: 'sdkrole', AssumeRolePolicyDocument: TRUST })), 'EntityAlreadyExistsException', 409);
  await iam.send(new PutRolePolicyCommand({ RoleName: 'SdkRole', PolicyName: 'read', PolicyDocument: S3_READ }));
  const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'SdkRole', PolicyName: 'read' }));
  assert.equal(decodeURIComponent(inline.PolicyDocument ?? ''), S3_READ);
  assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'SdkRole' }))).PolicyNames, ['read']);
  const arn = `arn:aws:iam::${ACCOUNT}:role/SdkRole`;
  const decide = async (action: string): Promise<string | undefined> =>
    (await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: [action], ResourceArns: ['arn:aws:s3:::data/k'] })))
      .EvaluationResults?.[0]?.EvalDecision;
  assert.equal(await decide('s3:GetObject'), 'allowed');
  assert.equal(await decide('s3:PutObject'), 'implicitDeny');
  const put = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] });
  const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'SdkPut', PolicyDocument: put }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'SdkRole', PolicyArn: created.Policy!.Arn! }));
  assert.equal(await decide('s3:PutObject'), 'allowed');
  const v2 = await iam.send(
    new CreatePolicyVersionCommand({ PolicyArn: created.Policy!.Arn!, PolicyDocument: put.replace('"Allow"', '"Deny"'), SetAsDefault: true }),
  );
  assert.equal(v2.PolicyVersion?.VersionId, 'v2');
  assert.equal(await decide('s3:PutObject'), 'explicitDeny');
  assert.equal((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'SdkRole' }))).AttachedPolicies?.[0]?.PolicyName, 'SdkPut');
  await iam.send(new TagRoleCommand({ RoleName: 'SdkRole', Tags: [{ Key: 'stage', Value: 'dev' }] }));
  assert.deepEqual(
    (await iam.send(new GetRoleCommand({ RoleName: 'SdkRole' }))).Role?.Tags?.map((t) => t.Key),
    ['team', 'stage'],
  );
  await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'SdkRole' })), 'DeleteConflictException', 409);
  await iam.send(new DetachRolePolicyCommand({ RoleName: 'SdkRole', PolicyArn: created.Policy!.Arn! }));
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'SdkRole', PolicyName: 'read' }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'SdkRole' }));
  await rejects(iam.send(new GetRoleCommand({ RoleName: 'SdkRole' })), 'NoSuchEntityException', 404);
});

test('writes are validated as IAM validates them', async () => {
  await rejects(
    iam.send(
      new CreateRoleCommand({
        RoleName: 'Bad',
        AssumeRolePolicyDocument:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}',
      }),
    ),
    'MalformedPolicyDocumentException',
    400,
  );
  await rejects(iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: TRUST })), 'ValidationError', 400);
  const big = JSON.stringify({
    Version: '2012-10-17',
    Statement: Array.from({ length: 80 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-number-${i}/*` })),
  });
  await rejects(iam.send(new CreatePolicyCommand({ PolicyName: 'TooBig', PolicyDocument: big })), 'LimitExceededException', 409);
  await rejects(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Nobody', PolicyDocument: TRUST })), 'NoSuchEntityException', 404);
  await iam.send(new CreateUserCommand({ UserName: 'sdk-user' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'sdk-group' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'sdk-group', UserName: 'sdk-user' }));
  assert.deepEqual(
    (await iam.send(new GetGroupCommand({ GroupName: 'sdk-group' }))).Users?.map((u) => u.UserName),
    ['sdk-user'],
  );
});

test('Access Analyzer ValidatePolicy: findings in the API shape; bad requests are ValidationException', async () => {
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] }, null, 2);
  const r = await aa.send(new ValidatePolicyCommand({ policyDocument: doc, policyType: 'IDENTITY_POLICY' }));
  const codes = r.findings?.map((f) => f.issueCode) ?? [];
  assert.ok(codes.includes('PASS_ROLE_WITH_STAR_IN_RESOURCE'), codes.join(','));
  const f = r.findings!.find((x) => x.issueCode === 'PASS_ROLE_WITH_STAR_IN_RESOURCE')!;
  assert.equal(f.findingType, 'SECURITY_WARNING');
  const span = f.locations?.[0]?.span;
  assert.ok(span?.start && span.end);
  assert.equal(doc.charAt(span.start.offset!), doc.split('\n')[span.start.line! - 1]![span.start.column!]);
  await assert.rejects(
    aa.send(new ValidatePolicyCommand({ policyDocument: doc, policyType: 'NOT_A_TYPE' as never })),
    (e: Error) => e.name === 'ValidationException',
  );
});

test("Access Analyzer custom checks: the SDK gets src/reason's answers", async () => {
  const narrow = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }] });
  const wide = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Wide', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::data/*' }] });
  const same = await aa.send(new CheckNoNewAccessCommand({ existingPolicyDocument: wide, newPolicyDocument: narrow, policyType: 'IDENTITY_POLICY' }));
  assert.equal(same.result, 'PASS');
  const more = await aa.send(new CheckNoNewAccessCommand({ existingPolicyDocument: narrow, newPolicyDocument: wide, policyType: 'IDENTITY_POLICY' }));
  assert.equal(more.result, 'FAIL');
  assert.equal(more.reasons?.[0]?.statementId, 'Wide');
  const granted = await aa.send(
    new CheckAccessNotGrantedCommand({ policyDocument: wide, access: [{ actions: ['s3:GetObject'] }], policyType: 'IDENTITY_POLICY' }),
  );
  assert.equal(granted.result, 'FAIL');
  const notGranted = await aa.send(
    new CheckAccessNotGrantedCommand({ policyDocument: wide, access: [{ actions: ['s3:DeleteObject'] }], policyType: 'IDENTITY_POLICY' }),
  );
  assert.equal(notGranted.result, 'PASS');
  const bucket = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }],
  });
  const pub = await aa.send(new CheckNoPublicAccessCommand({ policyDocument: bucket, resourceType: 'AWS::S3::Bucket' }));
  assert.equal(pub.result, 'FAIL');
  await assert.rejects(
    aa.send(new CheckNoNewAccessCommand({ existingPolicyDocument: '{', newPolicyDocument: narrow, policyType: 'IDENTITY_POLICY' })),
    (e: Error) => e.name === 'ValidationException',
  );
});
