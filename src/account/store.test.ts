import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { buildBatch, importFiles, parseFiles } from './import/index.js';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations.js';
import type { Account, Organization } from './model.js';
import { DEFAULT_DB_PATH, openStore } from './store.js';
import type { SqliteStore as Store } from './store.js';
import { sqliteAsyncStore } from './sqlite-async-store.js';
import { fixture, tempDir, tempFile } from './test-support.test.js';

const ORG_FILES = readdirSync(fixture('org')).map((f) => fixture(`org/${f}`));
const ALL = [
  fixture('authorization-details.json'),
  fixture('authorization-details-raw-api.json'),
  fixture('get-bucket-policy.json'),
  fixture('get-key-policy.us-east-1.1234abcd-12ab-34cd-56ef-1234567890ab.json'),
  fixture('describe-vpc-endpoints.json'),
  fixture('get-repository-policy.us-east-1.json'),
  ...ORG_FILES,
];

function batchOf(files: readonly string[]) {
  const out: Diagnostic[] = [];
  const batch = buildBatch(parseFiles(files, {}, out), undefined, out);
  assert.deepEqual(out, []);
  return batch;
}

function sortAccount(a: Account): Account {
  const by = <T extends { arn: string }>(l: readonly T[]): T[] => [...l].sort((x, y) => x.arn.localeCompare(y.arn));
  return {
    ...a,
    users: by(a.users),
    groups: by(a.groups),
    roles: by(a.roles),
    managedPolicies: by(a.managedPolicies),
    resourcePolicies: by(a.resourcePolicies),
  };
}

function sortOrg(o: Organization): Organization {
  return {
    ...o,
    ous: [...o.ous].sort((a, b) => a.id.localeCompare(b.id)),
    accounts: [...o.accounts].sort((a, b) => a.id.localeCompare(b.id)),
    policies: [...o.policies].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

test('default path is .iamsim/iamsim.db', () => {
  assert.equal(DEFAULT_DB_PATH, '.iamsim/iamsim.db');
});

test('round trip: what is imported is what comes back, across reopen', () => {
  const path = join(tempDir(), 'nested', 'dir', 'iamsim.db');
  const batch = batchOf([fixture('bundle.yaml')]);
  let store = openStore(path);
  store.importBatch(batch);
  store.close();
  store = openStore(path);
  assert.equal(store.schemaVersion(), LATEST_SCHEMA_VERSION);
  const original = batch.accounts[0];
  assert.ok(original);
  const back = store.getAccount(original.id);
  assert.ok(back);
  assert.deepEqual(sortAccount(back), sortAccount(JSON.parse(JSON.stringify(original)) as Account));
  assert.ok(batch.organization);
  assert.deepEqual(sortOrg(store.getOrganization() as Organization), sortOrg(batch.organization));
  assert.equal(store.getAccount('000000000000'), undefined);
  store.close();
});

test('several accounts, resource policies and one organization at once', async () => {
  const store = openStore(join(tempDir(), 'db.sqlite'));
  const r = await importFiles(ALL, sqliteAsyncStore(store));
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.accounts, ['111122223333', '555566667777']);
  assert.equal(r.organization, true);
  const list = store.listAccounts();
  assert.deepEqual(
    list.map((a) => [a.id, a.users, a.groups, a.roles]),
    [
      ['111122223333', 1, 1, 2],
      ['555566667777', 0, 0, 1],
    ],
  );
  assert.equal(store.listResourcePolicies().length, 5);
  assert.equal(store.getResourcePolicy('arn:aws:s3:::ml-training-data-111122223333')?.kind, 's3-bucket');
  // A later import of one more account keeps the others.
  const r2 = await importFiles([fixture('bundle.yaml')], sqliteAsyncStore(store));
  assert.equal(r2.ok, true);
  assert.deepEqual(
    store.listAccounts().map((a) => a.id),
    ['111122223333', '444455556666', '555566667777'],
  );
  store.close();
});

test('re-importing an account replaces its entities', () => {
  const store = openStore(':memory:');
  const batch = batchOf([fixture('authorization-details.json')]);
  store.importBatch(batch);
  const a = batch.accounts[0] as Account;
  store.importAccount({ ...a, roles: a.roles.slice(0, 1), users: [] });
  const back = store.getAccount(a.id);
  assert.equal(back?.roles.length, 1);
  assert.equal(back?.users.length, 0);
  store.close();
});

function snapshot(store: Store): string {
  return JSON.stringify({ all: store.loadAll(), list: store.listAccounts().map((a) => ({ ...a, importedAt: '' })) });
}

test('a write failing midway leaves the previous state intact', async () => {
  const store = openStore(':memory:');
  assert.equal((await importFiles([fixture('authorization-details.json'), ...ORG_FILES], sqliteAsyncStore(store))).ok, true);
  const before = snapshot(store);
  const a = batchOf([fixture('authorization-details.json')]).accounts[0] as Account;
  const b = batchOf([fixture('bundle.yaml')]).accounts[0] as Account;
  const role = b.roles[0];
  assert.ok(role);
  // The first account is rewritten, then the second one violates the primary key.
  const broken = { ...b, roles: [role, role] };
  assert.throws(() => store.importBatch({ accounts: [{ ...a, users: [] }, broken], resourcePolicies: [] }), /UNIQUE constraint failed/);
  assert.equal(snapshot(store), before);
  store.close();
});

test('an interrupted importFiles reports a diagnostic and changes nothing', async () => {
  const store = openStore(':memory:');
  assert.equal((await importFiles([fixture('authorization-details.json')], sqliteAsyncStore(store))).ok, true);
  const before = snapshot(store);
  const crashing: Store = {
    ...store,
    importBatch: (batch) => {
      store.importBatch(batch);
      throw new Error('disk I/O error');
    },
  };
  const r = await importFiles([fixture('bundle.yaml'), fixture('describe-vpc-endpoints.json')], sqliteAsyncStore(crashing));
  assert.equal(r.ok, false);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => d.code),
    ['STORE_WRITE_FAILED'],
  );
  assert.match(errors[0]?.message ?? '', /nothing was changed: disk I\/O error/);
  assert.equal(snapshot(store), before);
  store.close();
});

test('input errors in any file mean nothing is written', async () => {
  const store = openStore(':memory:');
  const bad = tempFile(
    'bad.yaml',
    'accounts:\n  - id: "123456789012"\n    roles:\n      - name: R\n        trustPolicy: {}\n        managedPolicies: [NoSuchAwsPolicy]\n',
  );
  const r = await importFiles([fixture('authorization-details.json'), bad], sqliteAsyncStore(store));
  assert.equal(r.ok, false);
  assert.deepEqual(r.accounts, []);
  assert.deepEqual(store.listAccounts(), []);
  store.close();
});

test('remove deletes an account and the resource policies it owns', async () => {
  const store = openStore(':memory:');
  assert.equal((await importFiles(ALL, sqliteAsyncStore(store))).ok, true);
  assert.equal(store.removeAccount('111122223333'), true);
  assert.equal(store.removeAccount('111122223333'), false);
  assert.deepEqual(
    store.listAccounts().map((a) => a.id),
    ['555566667777'],
  );
  // The bucket policy had no known owner, so it stays.
  assert.deepEqual(
    store.listResourcePolicies().map((p) => p.arn),
    ['arn:aws:s3:::ml-training-data-111122223333'],
  );
  assert.ok(store.getOrganization());
  assert.equal(store.removeOrganization(), true);
  assert.equal(store.getOrganization(), undefined);
  store.close();
});

test('a version-1 database migrates forward, keeping and backfilling data', async () => {
  const path = join(tempDir(), 'v1.db');
  const db = new BetterSqlite3(path);
  assert.equal(migrate(db, 1), 1);
  db.prepare('INSERT INTO accounts (id, name, sources, imported_at) VALUES (?, ?, ?, ?)').run('123456789012', 'old', '["old.json"]', '2024-01-01T00:00:00Z');
  const role = {
    arn: 'arn:aws:iam::123456789012:role/R',
    name: 'R',
    path: '/',
    trustPolicy: '{}',
    inlinePolicies: [],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
  };
  db.prepare('INSERT INTO principals (arn, account_id, kind, name, data) VALUES (?, ?, ?, ?, ?)').run(
    role.arn,
    '123456789012',
    'role',
    'R',
    JSON.stringify(role),
  );
  const rp = { arn: 'arn:aws:kms:us-east-1:123456789012:key/k', service: 'kms', kind: 'kms-key', accountId: '123456789012', document: '{}' };
  db.prepare('INSERT INTO resource_policies (arn, account_id, service, data) VALUES (?, ?, ?, ?)').run(rp.arn, rp.accountId, rp.service, JSON.stringify(rp));
  db.close();

  const store = openStore(path);
  assert.equal(store.schemaVersion(), LATEST_SCHEMA_VERSION);
  assert.equal(store.getAccount('123456789012')?.roles[0]?.name, 'R');
  assert.equal(store.getOrganization(), undefined);
  assert.equal((await importFiles(ORG_FILES, sqliteAsyncStore(store))).ok, true);
  store.close();

  const check = new BetterSqlite3(path, { readonly: true });
  const versions = check.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[];
  assert.deepEqual(
    versions.map((v) => v.version),
    [1, 2, 3, 4, 5, 6],
  );
  assert.deepEqual(check.prepare('SELECT kind FROM resource_policies').get(), { kind: 'kms-key' });
  check.close();
});

test('a database newer than this program is refused', () => {
  const path = join(tempDir(), 'future.db');
  const db = new BetterSqlite3(path);
  migrate(db);
  db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'later');
  db.close();
  assert.throws(() => openStore(path), /newer than this iamsim/);
});
