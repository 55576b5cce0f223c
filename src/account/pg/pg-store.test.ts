/**
 * What is specific to the PostgreSQL backend: migrations (the one list's
 * steps in PostgreSQL's dialect, giving the same tables as SQLite's; once,
 * under an advisory lock, refusing a newer schema), and change notifications that
 * survive the loss of the LISTEN connection.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { StoreNotFoundError } from '../async-store.js';
import { openAsyncStore } from '../open-store.js';
import { emptyAccount } from '../store-suite.test.js';
import BetterSqlite3 from 'better-sqlite3';
import { DIALECTS, LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, migrationsFor } from '../migrations.js';
import { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS } from './migrations.js';
import { createPgTestDatabase, pgServerUrl, PG_SKIP_MESSAGE } from './test-support.test.js';
import type { PgTestDatabase } from './test-support.test.js';

const server = pgServerUrl();
const skip = server === undefined && PG_SKIP_MESSAGE;
const dbs: PgTestDatabase[] = [];
after(async () => {
  for (const d of dbs) await d.drop();
});

async function fresh(): Promise<PgTestDatabase> {
  const db = await createPgTestDatabase(server as string);
  dbs.push(db);
  return db;
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

test('migrations: versions are increasing from 1', () => {
  assert.deepEqual(
    PG_MIGRATIONS.map((m) => m.version),
    PG_MIGRATIONS.map((_, i) => i + 1),
  );
  assert.equal(PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS.length);
});

test("one migration list: every step has SQL for both dialects past PostgreSQL's start, numbered as each records it", () => {
  assert.deepEqual(
    MIGRATIONS.map((m) => m.version),
    MIGRATIONS.map((_, i) => i + 1),
  );
  assert.equal(LATEST_SCHEMA_VERSION, MIGRATIONS.length);
  assert.equal(PG_LATEST_SCHEMA_VERSION, LATEST_SCHEMA_VERSION - DIALECTS.postgres.offset);
  assert.equal(migrationsFor('sqlite').length, MIGRATIONS.length);
  for (const m of MIGRATIONS.filter((x) => x.version > DIALECTS.postgres.offset)) {
    assert.ok(typeof m.sql === 'string' || (m.sql.sqlite !== undefined && m.sql.postgres !== undefined), `step ${m.version} needs SQL for both dialects`);
  }
});

test('postgres and SQLite migrated to the latest step have the same tables and columns', { skip }, async () => {
  const db = await fresh();
  await (await openAsyncStore(db.url)).close();
  const pgColumns = await sql<{ t: string; c: string }>(
    db.url,
    "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> $1",
    [DIALECTS.postgres.versionTable],
  );
  const lite = new BetterSqlite3(':memory:');
  migrate(lite);
  const tables = (
    lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> ?").all(DIALECTS.sqlite.versionTable) as { name: string }[]
  ).map((r) => r.name);
  const liteColumns = tables.flatMap((t) => (lite.pragma(`table_info(${t})`) as { name: string }[]).map((c) => `${t}.${c.name}`));
  lite.close();
  assert.deepEqual(pgColumns.map((r) => `${r.t}.${r.c}`).sort(), liteColumns.sort());
});

test('postgres: replicas opening a fresh database together migrate it once', { skip }, async () => {
  const db = await fresh();
  const stores = await Promise.all([1, 2, 3].map(() => openAsyncStore(db.url)));
  try {
    const rows = await sql<{ version: number }>(db.url, 'SELECT version FROM iamsim_schema_version ORDER BY version');
    assert.deepEqual(
      rows.map((r) => r.version),
      PG_MIGRATIONS.map((m) => m.version),
    );
    for (const s of stores) assert.equal(await s.version(), 0);
  } finally {
    for (const s of stores) await s.close();
  }
});

test('postgres: create:false refuses a database without iamsim tables; a newer schema is refused', { skip }, async () => {
  const db = await fresh();
  await assert.rejects(openAsyncStore(db.url, { create: false }), StoreNotFoundError);
  assert.deepEqual(await sql(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'accounts'"), [], 'nothing was created');
  await (await openAsyncStore(db.url)).close();
  await (await openAsyncStore(db.url, { create: false })).close();
  await sql(db.url, 'INSERT INTO iamsim_schema_version (version) VALUES ($1)', [PG_LATEST_SCHEMA_VERSION + 1]);
  await assert.rejects(openAsyncStore(db.url), /database schema version \d+ is newer than this iamsim supports/);
});

test('postgres: changes still arrive after the LISTEN connection is cut', { skip }, async () => {
  const db = await fresh();
  const errors: unknown[] = [];
  // A poll interval far beyond the test: only LISTEN (and its catch-up on reconnect) can report the write.
  const reader = await openAsyncStore(db.url, { pollMs: 600_000, onError: (e) => errors.push(e) });
  const writer = await openAsyncStore(db.url);
  try {
    const seen: number[] = [];
    let wake: () => void = () => undefined;
    const off = reader.onChange((v) => {
      seen.push(v);
      wake();
    }, 0);
    const next = (): Promise<void> =>
      new Promise((resolve) => {
        wake = resolve;
      });
    let arrived = next();
    await writer.importAccount(emptyAccount('111111111111'));
    await arrived;
    // Cut the listening session, write while it is down, and expect the write to be reported on reconnect.
    const cut = await sql(db.url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'iamsim-listen' AND datname = $1", [
      db.name,
    ]);
    assert.equal(cut.length, 1, 'one listening session');
    arrived = next();
    await writer.importAccount(emptyAccount('222222222222'));
    await arrived;
    assert.deepEqual(seen, [1, 2]);
    assert.ok(errors.length > 0, 'the lost connection was reported to onError');
    off();
  } finally {
    await reader.close();
    await writer.close();
  }
});
