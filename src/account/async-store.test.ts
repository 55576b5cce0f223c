/**
 * The shared store suite against both backends (PostgreSQL in a database of
 * its own, created and dropped here), plus what is specific to each one.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isPostgresUrl, redactUrl } from './async-store.js';
import { openAsyncStore } from './open-store.js';
import { createPgTestDatabase, pgServerUrl, PG_SKIP_MESSAGE } from './pg/test-support.test.js';
import type { PgTestDatabase } from './pg/test-support.test.js';
import { openStore } from './store.js';
import { emptyAccount, storeSuite } from './store-suite.test.js';
import { tempDir } from './test-support.test.js';

test('backend choice by URL prefix; passwords never shown', () => {
  for (const u of ['postgres://h/db', 'postgresql://u:p@h:5432/db', 'POSTGRES://h']) assert.equal(isPostgresUrl(u), true, u);
  for (const p of ['.iamsim/iamsim.db', ':memory:', 'file:x.db', 'postgres.db', '/tmp/postgres://x']) assert.equal(isPostgresUrl(p), false, p);
  assert.equal(redactUrl('postgres://iam:s3cret@db.local:5432/iamsim'), 'postgres://iam:***@db.local:5432/iamsim');
  assert.equal(redactUrl('postgres://db.local/iamsim'), 'postgres://db.local/iamsim');
});

// SQLite: a fresh file per test.
storeSuite('sqlite', async () => join(tempDir(), 'iamsim.db'));

test('sqlite: the CLI store and the async store share the database and its version', async () => {
  const path = join(tempDir(), 'shared.db');
  const s = await openAsyncStore(path);
  assert.equal(s.kind, 'sqlite');
  const since = await s.version();
  const seen = new Promise<number>((resolve) => {
    const off = s.onChange((v) => {
      off();
      resolve(v);
    });
  });
  const sync = openStore(path);
  sync.importAccount(emptyAccount('123456789012'));
  const v = sync.version();
  sync.close();
  assert.ok(v > since);
  assert.equal(await seen, v);
  assert.deepEqual(
    (await s.listAccounts()).map((a) => a.id),
    ['123456789012'],
  );
  await s.close();
});

const server = pgServerUrl();
if (server === undefined) {
  test('postgres: store suite', { skip: PG_SKIP_MESSAGE }, () => undefined);
} else {
  // One database per test, so the tests of this file never see each other's data.
  const dbs: PgTestDatabase[] = [];
  after(async () => {
    for (const d of dbs) await d.drop();
  });
  storeSuite('postgres', async () => {
    const db = await createPgTestDatabase(server);
    dbs.push(db);
    return db.url;
  });
}
