import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { fixture, tempFile } from '../test-support.test.js';
import { buildBatch, parseFiles } from './index.js';

function load(files: readonly string[]) {
  const out: Diagnostic[] = [];
  const inputs = parseFiles(files, {}, out);
  const batch = buildBatch(inputs, undefined, out);
  return { out, batch, inputs };
}

test('imports the YAML bundle fixture', () => {
  const { out, batch, inputs } = load([fixture('bundle.yaml')]);
  assert.deepEqual(out, []);
  assert.deepEqual(
    inputs.formats.map((f) => f.format),
    ['bundle'],
  );
  const acct = batch.accounts[0];
  assert.ok(acct);
  assert.equal(acct.id, '444455556666');
  assert.equal(acct.name, 'ml-prod');
  const role = acct.roles[0];
  assert.ok(role);
  assert.equal(role.arn, 'arn:aws:iam::444455556666:role/service-role/ProdNotebookJobRole');
  assert.equal(role.maxSessionDuration, 7200);
  assert.deepEqual(
    role.managedPolicies.map((p) => p.arn),
    ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess', 'arn:aws:iam::444455556666:policy/ml/ModelArtifactsRead'],
  );
  assert.equal(role.permissionsBoundary, 'arn:aws:iam::444455556666:policy/ProdBoundary');
  assert.deepEqual(role.tags, [
    { key: 'team', value: 'ml-platform' },
    { key: 'sagemaker:is-scheduling-notebook-job', value: 'true' },
  ]);
  assert.equal(role.inlinePolicies[0]?.name, 'PassOwnRole');
  const trust = JSON.parse(role.trustPolicy) as { Statement: { Principal: { Service: string[] } }[] };
  assert.deepEqual(trust.Statement[0]?.Principal.Service, ['sagemaker.amazonaws.com', 'events.amazonaws.com']);
  // A document written as a JSON string in YAML is kept as that text.
  assert.match(acct.managedPolicies.find((p) => p.name === 'ModelArtifactsRead')?.document ?? '', /^\{\n {2}"Version"/);
  assert.equal(acct.users[0]?.arn, 'arn:aws:iam::444455556666:user/engineers/bob');
  assert.deepEqual(acct.users[0]?.tags, [{ key: 'cost-center', value: '4242' }]);
  assert.equal(acct.groups[0]?.inlinePolicies[0]?.name, 'AssumeNotebookRole');
  assert.equal(acct.resourcePolicies[0]?.arn, 'arn:aws:s3:::ml-prod-artifacts');
  assert.equal(acct.resourcePolicies[0]?.accountId, '444455556666');
  const awsNames = acct.managedPolicies
    .filter((p) => p.awsManaged)
    .map((p) => p.name)
    .sort();
  assert.deepEqual(awsNames, ['AmazonSageMakerFullAccess', 'AmazonSageMakerReadOnly']);
});

test('bundle organization: nested tree, default FullAWSAccess, RCPFullAWSAccess always attached', () => {
  const org = load([fixture('bundle.yaml')]).batch.organization;
  assert.ok(org);
  assert.equal(org.managementAccountId, '999988887777');
  assert.deepEqual(
    org.ous.map((o) => [o.id, o.parentId]),
    [
      ['ou-a1b2-w0rk10ad', 'r-a1b2'],
      ['ou-a1b2-pr0dpr0d', 'ou-a1b2-w0rk10ad'],
    ],
  );
  const targets = (name: string): readonly string[] => org.policies.find((p) => p.name === name)?.targets ?? [];
  assert.deepEqual([...targets('FullAWSAccess')].sort(), ['444455556666', '999988887777', 'ou-a1b2-pr0dpr0d', 'ou-a1b2-w0rk10ad', 'r-a1b2']);
  assert.deepEqual(targets('DenyLeaveOrg'), ['ou-a1b2-w0rk10ad']);
  assert.deepEqual(targets('ProdDataPerimeter'), ['ou-a1b2-pr0dpr0d']);
  assert.equal(targets('RCPFullAWSAccess').length, 5);
});

test('bundle errors carry YAML line and column', () => {
  const text = [
    'accounts:',
    '  - id: "123456789012"',
    '    roles:',
    '      - name: R',
    '        trustPolicy: {Version: "2012-10-17", Statement: []}',
    '        managedPolicies: [AmazonSageMakerFullAcess]',
    '        maxSesionDuration: 3600',
    'organization:',
    '  root:',
    '    scps: [NoSuchPolicy]',
    '',
  ].join('\n');
  const file = tempFile('b.yaml', text);
  const { out } = load([file]);
  const got = out.filter((d) => d.code !== 'ORG_NO_POLICIES').map((d) => [d.code, d.severity, d.line, d.column]);
  // The root ends up with no SCP at all, which is also flagged.
  assert.ok(out.some((d) => d.code === 'ORG_NO_POLICIES'));
  assert.deepEqual(got, [
    ['BUNDLE_UNKNOWN_KEY', 'warning', 7, 28],
    ['UNKNOWN_AWS_MANAGED_POLICY', 'error', 6, 27],
    ['BUNDLE_UNKNOWN_POLICY', 'error', 10, 12],
  ]);
  assert.match(out[1]?.message ?? '', /role R: managed policy AmazonSageMakerFullAcess/);
});

test('JSON bundles work too, and account ids written as numbers are padded', () => {
  const file = tempFile(
    'b.json',
    JSON.stringify({
      accounts: [{ id: 12345678901, users: [{ name: 'u', groups: ['G'] }], groups: [{ name: 'G', managedPolicies: ['ReadOnlyAccess'] }] }],
    }),
  );
  const { out, batch } = load([file]);
  assert.deepEqual(out, []);
  assert.equal(batch.accounts[0]?.id, '012345678901');
  assert.equal(batch.accounts[0]?.groups[0]?.managedPolicies[0]?.arn, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
});

test('a bundle account and an authorization-details file for the same account merge; duplicates are errors', () => {
  const extra = tempFile(
    'extra.yaml',
    [
      'accounts:',
      '  - id: "111122223333"',
      '    roles:',
      '      - name: NotebookJobExecutionRole',
      '        trustPolicy: {Version: "2012-10-17", Statement: []}',
      '',
    ].join('\n'),
  );
  const { out } = load([fixture('authorization-details.json'), extra]);
  assert.deepEqual(
    out.map((d) => d.code),
    ['DUPLICATE_ENTITY'],
  );
});
