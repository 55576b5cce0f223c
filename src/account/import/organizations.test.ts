import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { fixture, tempFile } from '../test-support.test.js';
import { buildBatch, parseFiles } from './index.js';
import type { ImportOptions } from './index.js';
import { idFromFileName } from './organizations.js';

const ORG_FILES = readdirSync(fixture('org')).map((f) => fixture(`org/${f}`));

function load(files: readonly string[], options: ImportOptions = {}) {
  const out: Diagnostic[] = [];
  const batch = buildBatch(parseFiles(files, options, out), undefined, out);
  return { out, batch };
}

test('assembles the organization from aws organizations outputs', () => {
  const { out, batch } = load(ORG_FILES);
  assert.deepEqual(out, []);
  const org = batch.organization;
  assert.ok(org);
  assert.equal(org.id, 'o-exampleorg1');
  assert.equal(org.managementAccountId, '999988887777');
  assert.equal(org.root.id, 'r-a1b2');
  assert.deepEqual(org.enabledPolicyTypes, ['SCP', 'RCP']);
  assert.deepEqual(
    org.ous.map((o) => [o.id, o.name, o.parentId]),
    [['ou-a1b2-f00dcafe', 'MachineLearning', 'r-a1b2']],
  );
  assert.deepEqual(org.accounts.map((a) => [a.id, a.parentId]).sort(), [
    ['111122223333', 'ou-a1b2-f00dcafe'],
    ['999988887777', 'r-a1b2'],
  ]);
  const byName = new Map(org.policies.map((p) => [p.name, p]));
  assert.deepEqual(byName.get('DenyLeaveOrgAndRegions')?.targets, ['ou-a1b2-f00dcafe']);
  assert.match(byName.get('DenyLeaveOrgAndRegions')?.content ?? '', /organizations:LeaveOrganization/);
  assert.equal(byName.get('DataPerimeter')?.type, 'RCP');
  // FullAWSAccess content is built in (no describe-policy needed for AWS managed SCPs).
  assert.match(byName.get('FullAWSAccess')?.content ?? '', /"Action":"\*"/);
  assert.equal(byName.get('FullAWSAccess')?.targets.length, 4);
});

test('the management account comes from the root ARN even without describe-organization', () => {
  const files = ORG_FILES.filter((f) => !f.includes('describe-organization'));
  const { batch } = load(files);
  assert.equal(batch.organization?.managementAccountId, '999988887777');
});

test('an attached policy without content is an error pointing at describe-policy', () => {
  const files = ORG_FILES.filter((f) => !f.includes('describe-policy.p-denyleave1'));
  const { out } = load(files);
  assert.deepEqual(
    out.map((d) => d.code),
    ['ORG_POLICY_CONTENT_MISSING'],
  );
  assert.match(out[0]?.message ?? '', /describe-policy --policy-id p-denyleave1/);
});

test('a list whose parent cannot be told is an error; the option supplies it', () => {
  const text = JSON.stringify({ OrganizationalUnits: [{ Id: 'ou-a1b2-f00dcafe', Name: 'ML' }] });
  const file = tempFile('ous.json', text);
  const bad = load([file]);
  assert.deepEqual(
    bad.out.map((d) => d.code),
    ['ORG_PARENT_UNKNOWN'],
  );
  const withOpt = load([file, fixture('org/list-roots.json')], { parentId: 'r-a1b2' });
  assert.deepEqual(
    withOpt.out.filter((d) => d.severity === 'error'),
    [],
  );
  assert.equal(withOpt.batch.organization?.ous[0]?.parentId, 'r-a1b2');
  // No attachments were imported: each node is flagged, without failing the import.
  assert.ok(withOpt.out.some((d) => d.code === 'ORG_NO_POLICIES' && d.severity === 'warning'));
});

test('fragments without a root, or nodes under an unknown parent, are errors', () => {
  const acct = fixture('org/list-accounts-for-parent.ou-a1b2-f00dcafe.json');
  assert.deepEqual(
    load([acct]).out.map((d) => d.code),
    ['ORG_ROOT_MISSING'],
  );
  const r = load([acct, fixture('org/list-roots.json')]);
  assert.ok(r.out.some((d) => d.code === 'ORG_PARENT_NOT_FOUND'));
});

test('ids are read from file names without false matches', () => {
  assert.equal(idFromFileName('/x/list-accounts-for-parent.r-a1b2.json', false), 'r-a1b2');
  assert.equal(idFromFileName('list-accounts-for-parent.json', false), undefined);
  assert.equal(idFromFileName('ous_ou-a1b2-f00dcafe.json', false), 'ou-a1b2-f00dcafe');
  assert.equal(idFromFileName('list-policies-for-target.111122223333.scp.json', true), '111122223333');
  assert.equal(idFromFileName('list-policies-for-target.111122223333.scp.json', false), undefined);
});

test("an Organizations output is read as AWS's model types it: a wrong type is an error at its line, the other entries are kept", () => {
  const text = JSON.stringify(
    {
      Accounts: [
        { Id: '111122223333', Name: 'ml', Status: 'ACTIVE' },
        { Id: '444455556666', Name: ['not', 'a', 'string'] },
        'not an account',
        { Name: 'no id' },
      ],
    },
    null,
    2,
  );
  const file = tempFile('list-accounts-for-parent.ou-a1b2-f00dcafe.json', text);
  const out: Diagnostic[] = [];
  const inputs = parseFiles([file], {}, out);
  const lines = text.split('\n');
  const lineOf = (line: string): number => lines.findIndex((l) => l.trim() === line) + 1;
  assert.deepEqual(
    out.map((d) => [d.code, d.message, d.line]),
    [
      ['FIELD_TYPE', 'Name must be a string', lineOf('"Name": [')],
      ['FIELD_TYPE', 'Accounts[2] must be an object', lineOf('"not an account",')],
      ['MISSING_FIELD', 'missing required field Id', lineOf('"Name": "no id"') - 1],
    ],
  );
  const fragment = inputs.fragments.find((f) => f.fragment.kind === 'accounts')?.fragment;
  assert.deepEqual(fragment?.kind === 'accounts' ? fragment.accounts.map((a) => [a.id, a.name ?? null]) : undefined, [
    ['111122223333', 'ml'],
    ['444455556666', null],
  ]);
});
