/**
 * A writer killed in the middle of an import loses nothing: a child process
 * imports a large batch and is SIGKILLed once its transaction is seen writing
 * (PostgreSQL: it holds a lock on the principals table; SQLite: it holds the
 * write lock). The store keeps its previous contents and version, and the
 * next write goes through.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { openAsyncStore } from './open-store.js';
import type { AsyncStore } from './async-store.js';
import { createPgTestDatabase, pgServerUrl, PG_SKIP_MESSAGE, withParams } from './pg/test-support.test.js';
import type { PgTestDatabase } from './pg/test-support.test.js';
import { batchOf, emptyAccount } from './store-suite.test.js';
import { fixture, tempDir } from './test-support.test.js';

const STORE_MODULE = new URL('./open-store.js', import.meta.url).href;

/** The child: imports `count` accounts of 20 roles each in one batch, printing "committed" if it ever commits. */
const CHILD = `
import { openAsyncStore } from ${JSON.stringify(STORE_MODULE)};
const count = Number(process.env.COUNT);
const store = await openAsyncStore(process.env.STORE);
const role = (id, n) => ({ arn: 'arn:aws:iam::' + id + ':role/R' + n, name: 'R' + n, path: '/', trustPolicy: '{}',
  inlinePolicies: [{ name: 'p', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' }],
  managedPolicies: [], tags: [], maxSessionDuration: 3600 });
const accounts = Array.from({ length: count }, (_, i) => {
  const id = String(100000000000 + i);
  return { id, users: [], groups: [], roles: Array.from({ length: 20 }, (_, n) => role(id, n)), managedPolicies: [], resourcePolicies: [], sources: ['big'] };
});
process.stdout.write('start\\n');
await store.importBatch({ accounts, resourcePolicies: [] });
process.stdout.write('committed\\n');
await store.close();
`;

function startWriter(store: string, count: number): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...process.env, STORE: store, COUNT: String(count) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, output: () => out };
}

/** Polls `midWrite` until it holds, then SIGKILLs the writer; fails if the writer finished first. */
async function killMidWrite(w: { child: ChildProcess; output: () => string }, midWrite: () => Promise<boolean>): Promise<void> {
  const exited = new Promise<void>((resolve) => w.child.on('exit', () => resolve()));
  for (let i = 0; i < 6000; i++) {
    if (w.child.exitCode !== null) assert.fail(`writer exited before it could be killed: ${w.output()}`);
    if (await midWrite()) break;
    await sleep(2);
  }
  w.child.kill('SIGKILL');
  await exited;
  assert.equal(w.child.signalCode, 'SIGKILL');
  assert.doesNotMatch(w.output(), /committed/);
}

async function snapshot(s: AsyncStore): Promise<string> {
  return JSON.stringify(await s.loadAll());
}

async function checkNothingLost(store: AsyncStore, before: string, version: number): Promise<void> {
  assert.equal(await snapshot(store), before, 'the killed import left no trace');
  assert.equal(await store.version(), version);
  // The killed writer's locks are gone: the next write commits.
  await store.importAccount(emptyAccount('123456789012'));
  assert.ok((await store.version()) > version);
  assert.deepEqual(
    (await store.listAccounts()).map((a) => a.id),
    ['123456789012', '444455556666'],
  );
}

const server = pgServerUrl();
const dbs: PgTestDatabase[] = [];
after(async () => {
  for (const d of dbs) await d.drop();
});

test('postgres: a writer killed mid-import loses nothing', { skip: server === undefined && PG_SKIP_MESSAGE, timeout: 60_000 }, async () => {
  const db = await createPgTestDatabase(server as string);
  dbs.push(db);
  const store = await openAsyncStore(db.url);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    await store.importBatch(batchOf([fixture('bundle.yaml')]));
    const before = await snapshot(store);
    const version = await store.version();
    const app = `iamsim-killed-${process.pid}`;
    const w = startWriter(withParams(db.url, { application_name: app }), 400);
    await killMidWrite(
      w,
      async () =>
        (
          await admin.query(
            `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE a.application_name = $1 AND l.relation = 'principals'::regclass`,
            [app],
          )
        ).rowCount !== 0,
    );
    await checkNothingLost(store, before, version);
  } finally {
    await admin.end();
    await store.close();
  }
});

test('sqlite: a writer killed mid-import loses nothing', { timeout: 60_000 }, async () => {
  const path = join(tempDir(), 'killed.db');
  const store = await openAsyncStore(path);
  const probe = new BetterSqlite3(path, { timeout: 0 });
  try {
    await store.importBatch(batchOf([fixture('bundle.yaml')]));
    const before = await snapshot(store);
    const version = await store.version();
    const w = startWriter(path, 3000);
    // The writer holds SQLite's write lock when BEGIN IMMEDIATE here fails with SQLITE_BUSY.
    await killMidWrite(w, async () => {
      try {
        probe.exec('BEGIN IMMEDIATE; ROLLBACK');
        return false;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
        return true;
      }
    });
    await checkNothingLost(store, before, version);
  } finally {
    probe.close();
    await store.close();
  }
});
