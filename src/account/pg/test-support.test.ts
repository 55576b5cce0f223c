/**
 * PostgreSQL for the store tests: each call creates a fresh database on the
 * server named by IAMSIM_TEST_PG_URL (so parallel runs never share state or
 * NOTIFY channels) and drops it afterwards. Without that variable the tests
 * are skipped with a message, except in CI (CI set), where they fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface PgTestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export const PG_SKIP_MESSAGE = 'IAMSIM_TEST_PG_URL is not set (start one: eval "$(IAMSIM_TEST_PG_PORT=54340 bash scripts/start-test-postgres.sh)")';

/** The server URL, or undefined (skip) locally; throws in CI, where PostgreSQL is required. */
export function pgServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env['IAMSIM_TEST_PG_URL'];
  if (url !== undefined && url !== '') return url;
  if (env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false') {
    throw new Error('IAMSIM_TEST_PG_URL must be set in CI: the PostgreSQL store tests cannot be skipped there');
  }
  return undefined;
}

async function admin<T>(server: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A URL naming a database created for this call; `drop` removes it (closing leftover sessions). */
export async function createPgTestDatabase(server: string): Promise<PgTestDatabase> {
  const name = `iamsim_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(server, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () =>
      admin(server, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

/** The URL with extra query parameters (e.g. application_name, to find a session in pg_stat_activity). */
export function withParams(url: string, params: Readonly<Record<string, string>>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

test('pgServerUrl: required in CI, optional elsewhere', () => {
  assert.equal(pgServerUrl({ IAMSIM_TEST_PG_URL: 'postgres://x@127.0.0.1:1/db' }), 'postgres://x@127.0.0.1:1/db');
  assert.equal(pgServerUrl({}), undefined);
  assert.throws(() => pgServerUrl({ CI: 'true' }), /must be set in CI/);
});

test('withParams adds query parameters', () => {
  assert.equal(withParams('postgres://u@h:5/d', { application_name: 'a b' }), 'postgres://u@h:5/d?application_name=a+b');
});
