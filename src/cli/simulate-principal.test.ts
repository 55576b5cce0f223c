import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountCommand } from './account.js';
import { simulatePrincipalPolicyCommand } from './simulate-principal.js';
import type { EvaluationResult, SimulateResponse } from '../simulate/run.js';
import { fakeIo } from '../../test/support/cli.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/accounts/', import.meta.url));
const fx = (n: string): string => join(FIXTURES, n);
const ORG = readdirSync(fx('org')).map((f) => fx(`org/${f}`));
const AUTH = fx('authorization-details.json');
const KEY_FILE = fx('get-key-policy.us-east-1.1234abcd-12ab-34cd-56ef-1234567890ab.json');
const A = 'arn:aws:iam::111122223333';
const ALICE = `${A}:user/alice`;
const JOB_ROLE = `${A}:role/NotebookJobExecutionRole`;
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

async function sim(argv: string[]): Promise<{ code: number; out: string; err: string; results: EvaluationResult[] }> {
  const f = fakeIo();
  const code = await simulatePrincipalPolicyCommand(argv, f.io);
  let results: EvaluationResult[] = [];
  if (code === 0 && f.out().startsWith('{')) results = [...(JSON.parse(f.out()) as SimulateResponse).EvaluationResults];
  return { code, out: f.out(), err: f.err(), results };
}

const ids = (r: EvaluationResult | undefined): string[][] => (r?.MatchedStatements ?? []).map((m) => [m.SourcePolicyId, m.SourcePolicyType]);

test("a user: its own and its groups' policies, cited by name and AWS type", async () => {
  const r = await sim([
    '--policy-source-arn',
    ALICE,
    '--action-names',
    'sagemaker:CreatePresignedDomainUrl',
    'sagemaker:ListModels',
    'iam:ChangePassword',
    '--resource-arns',
    'arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-abc123example/alice',
    '--account',
    AUTH,
  ]);
  assert.equal(r.code, 0, r.err);
  const [presigned, list, password] = r.results;
  assert.equal(presigned?.EvalDecision, 'allowed');
  assert.deepEqual(ids(presigned), [['StudioPresignedUrl', 'group']]);
  assert.equal(list?.EvalDecision, 'allowed');
  assert.deepEqual(ids(list), [['AmazonSageMakerReadOnly', 'aws-managed']]);
  assert.equal(password?.EvalDecision, 'implicitDeny');
  assert.equal(password?.ResourceSpecificResults?.length, 1);
  const own = await sim(['--policy-source-arn', ALICE, '--action-names', 'iam:ChangePassword', '--resource-arns', ALICE, '--account', AUTH]);
  assert.deepEqual(ids(own.results[0]), [['ChangeOwnPassword', 'user']]);
});

test('a role: iam:PassRole with iam:PassedToService via --context-entries shorthand; boundary detail', async () => {
  const base = ['--policy-source-arn', JOB_ROLE, '--action-names', 'iam:PassRole', '--resource-arns', JOB_ROLE, '--account', AUTH];
  const ok = await sim([...base, '--context-entries', 'ContextKeyName=iam:PassedToService,ContextKeyValues=sagemaker.amazonaws.com,ContextKeyType=string']);
  assert.equal(ok.results[0]?.EvalDecision, 'allowed');
  assert.deepEqual(
    ids(ok.results[0]).map((x) => x.join(':')),
    ['NotebookJobPermissions:role', 'AmazonSageMakerFullAccess:aws-managed', 'MLPermissionsBoundary:none'],
  );
  assert.deepEqual(ok.results[0]?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
  const glue = await sim([
    ...base,
    '--context-entries',
    '[{"ContextKeyName":"iam:PassedToService","ContextKeyValues":["glue.amazonaws.com"],"ContextKeyType":"string"}]',
  ]);
  assert.equal(glue.results[0]?.EvalDecision, 'implicitDeny');
  const none = await sim(base);
  assert.equal(none.results[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(none.results[0]?.MissingContextValues, ['iam:PassedToService']);
});

test("--permissions-boundary-policy-input-list replaces the entity's boundary; --policy-input-list adds policies", async () => {
  const base = ['--policy-source-arn', JOB_ROLE, '--action-names', 'sagemaker:CreateTrainingJob', '--account', AUTH];
  assert.equal((await sim(base)).results[0]?.EvalDecision, 'allowed');
  const narrowed = await sim([
    ...base,
    '--permissions-boundary-policy-input-list',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
  ]);
  assert.equal(narrowed.results[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(narrowed.results[0]?.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
  const extra = await sim([
    '--policy-source-arn',
    ALICE,
    '--action-names',
    's3:GetObject',
    '--account',
    AUTH,
    '--policy-input-list',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
  ]);
  assert.deepEqual(ids(extra.results[0]), [['PolicyInputList.1', 'none']]);
});

test('the modelled resource policy (KMS key policy), and --resource-policy overriding it', async () => {
  const base = ['--policy-source-arn', JOB_ROLE, '--action-names', 'kms:Decrypt', '--resource-arns', KEY, '--account', AUTH, KEY_FILE];
  const via = await sim([
    ...base,
    '--context-entries',
    'ContextKeyName=kms:ViaService,ContextKeyValues=sagemaker.us-east-1.amazonaws.com,ContextKeyType=string',
  ]);
  assert.equal(via.results[0]?.EvalDecision, 'allowed', via.out);
  assert.ok(ids(via.results[0]).some(([id, type]) => id === 'ResourcePolicy' && type === 'resource'));
  const direct = await sim(base);
  assert.equal(direct.results[0]?.EvalDecision, 'implicitDeny');
  assert.deepEqual(direct.results[0]?.MissingContextValues, ['kms:ViaService']);
  const denied = await sim([
    ...base,
    '--resource-policy',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*"}]}',
  ]);
  assert.equal(denied.results[0]?.EvalDecision, 'explicitDeny');
  assert.deepEqual(ids(denied.results[0]), [['ResourcePolicy', 'resource']]);
});

test('a group: its policies are evaluated without a caller', async () => {
  const r = await sim([
    '--policy-source-arn',
    `${A}:group/DataScientists`,
    '--action-names',
    'sagemaker:ListModels',
    'sagemaker:CreatePresignedDomainUrl',
    '--resource-arns',
    'arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-abc123example/alice',
    '--account',
    AUTH,
  ]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(ids(r.results[0]), [['AmazonSageMakerReadOnly', 'aws-managed']]);
  assert.deepEqual(ids(r.results[1]), [['StudioPresignedUrl', 'group']]);
});

test("SCPs on the account's path; --derive-context supplies aws:RequestedRegion", async () => {
  const base = [
    '--policy-source-arn',
    JOB_ROLE,
    '--action-names',
    'sagemaker:CreateTrainingJob',
    '--resource-arns',
    'arn:aws:sagemaker:us-east-1:111122223333:training-job/t1',
    '--account',
    AUTH,
    ...ORG,
  ];
  const plain = await sim(base);
  // DenyOutsideUsEast1 (StringNotEquals on aws:RequestedRegion) applies when the key is absent.
  assert.equal(plain.results[0]?.EvalDecision, 'explicitDeny');
  assert.deepEqual(plain.results[0]?.OrganizationsDecisionDetail, { AllowedByOrganizations: false });
  assert.deepEqual(ids(plain.results[0]), [['DenyLeaveOrgAndRegions', 'none']]);
  const derived = await sim([...base, '--derive-context']);
  assert.equal(derived.results[0]?.EvalDecision, 'allowed');
  assert.deepEqual(derived.results[0]?.OrganizationsDecisionDetail, { AllowedByOrganizations: true });
});

test('--db, --cli-input-json, --caller-arn and text output', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'iamsim-spp-')), 'x.db');
  const f = fakeIo();
  assert.equal(await accountCommand(['import', AUTH, '--db', db], f.io), 0);
  const input = join(mkdtempSync(join(tmpdir(), 'iamsim-spp-')), 'req.json');
  writeFileSync(input, JSON.stringify({ PolicySourceArn: ALICE, ActionNames: ['sagemaker:ListModels'] }));
  const r = await sim(['--cli-input-json', `file://${input}`, '--db', db]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.results[0]?.EvalDecision, 'allowed');
  // Bob calling with alice's policies: a resource policy naming alice no longer matches.
  const rp =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"*"}]}';
  const asAlice = await sim([
    '--policy-source-arn',
    ALICE,
    '--action-names',
    's3:GetObject',
    '--resource-arns',
    'arn:aws:s3:::b/k',
    '--resource-policy',
    rp,
    '--db',
    db,
  ]);
  assert.equal(asAlice.results[0]?.EvalDecision, 'allowed');
  const asBob = await sim([
    '--policy-source-arn',
    ALICE,
    '--caller-arn',
    `${A}:user/bob`,
    '--action-names',
    's3:GetObject',
    '--resource-arns',
    'arn:aws:s3:::b/k',
    '--resource-policy',
    rp,
    '--db',
    db,
  ]);
  assert.equal(asBob.results[0]?.EvalDecision, 'implicitDeny');
  const text = await sim(['--policy-source-arn', ALICE, '--action-names', 'sagemaker:ListModels', '--db', db, '--format', 'text']);
  assert.equal(text.code, 0);
  assert.match(text.out, /^sagemaker:ListModels on \*: ALLOWED$/m);
  assert.match(text.out, /Allow +statement #1 in AmazonSageMakerReadOnly/);
});

test('errors: unknown principal, missing source, bad file, missing db, bad action', async () => {
  const unknown = await sim(['--policy-source-arn', `${A}:user/nobody`, '--action-names', 's3:GetObject', '--account', AUTH]);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.err,
    /--policy-source-arn:1:1: error UNKNOWN_PRINCIPAL: arn:aws:iam::111122223333:user\/nobody is not a user, group or role in the model \(accounts loaded: 111122223333\)/,
  );
  const noSource = await sim(['--action-names', 's3:GetObject', '--account', AUTH]);
  assert.equal(noSource.code, 2);
  assert.match(noSource.err, /--policy-source-arn is required/);
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-spp-'));
  const badFile = await sim(['--policy-source-arn', ALICE, '--action-names', 's3:GetObject', '--account', join(dir, 'missing.json')]);
  assert.equal(badFile.code, 2);
  assert.match(badFile.err, /missing\.json:1:1: error FILE_UNREADABLE: /);
  const noDb = await sim(['--policy-source-arn', ALICE, '--action-names', 's3:GetObject', '--db', join(dir, 'none.db')]);
  assert.equal(noDb.code, 2);
  assert.match(noDb.err, /none\.db:1:1: error DB_NOT_FOUND: /);
  const badAction = await sim(['--policy-source-arn', ALICE, '--action-names', 's3:GetObjekt', '--account', AUTH]);
  assert.equal(badAction.code, 2);
  assert.match(badAction.err, /--action-names\[0\]:1:1: error INVALID_INPUT: unknown action "s3:GetObjekt"; did you mean "s3:GetObject"/);
  const session = await sim(['--policy-source-arn', ALICE, '--action-names', 's3:GetObject', '--account', AUTH, '--session-policy-input-list', '{}']);
  assert.equal(session.code, 2);
  assert.match((await sim(['--bogus'])).err, /unknown option --bogus/);
  assert.match((await sim(['--help'])).out, /simulate-principal-policy/);
});
