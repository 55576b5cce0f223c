/**
 * Runs the store's migrations (../migrations.ts, one list for both backends)
 * on PostgreSQL. The applied version lives in `iamsim_schema_version`; each
 * step runs in its own transaction under an advisory lock, so replicas
 * starting together migrate once.
 */
import type { PoolClient } from 'pg';
import { DIALECTS, latestVersion, migrationsFor, type DialectStep } from '../migrations.js';

/** PostgreSQL's steps, numbered as it records them (its step 1 is the schema of the list's step 4). */
export const PG_MIGRATIONS: readonly DialectStep[] = migrationsFor('postgres');

export const PG_LATEST_SCHEMA_VERSION = latestVersion('postgres');

const VERSION_TABLE = DIALECTS.postgres.versionTable;

/** Key of the advisory lock held while migrating (any constant unique to iamsim). */
const MIGRATION_LOCK = 7_315_901_422;

export async function pgSchemaVersion(client: PoolClient): Promise<number> {
  const t = await client.query<{ t: string | null }>(`SELECT to_regclass('${VERSION_TABLE}')::text AS t`);
  if (t.rows[0]?.t === null || t.rows[0] === undefined) return 0;
  const r = await client.query<{ v: number | null }>(`SELECT MAX(version) AS v FROM ${VERSION_TABLE}`);
  return r.rows[0]?.v ?? 0;
}

/**
 * Brings the database to `target` (default: latest) and returns its version.
 * Throws when the database is newer than this program knows.
 */
export async function pgMigrate(client: PoolClient, target: number = PG_LATEST_SCHEMA_VERSION): Promise<number> {
  for (const m of PG_MIGRATIONS) {
    if (m.version > target) break;
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      const from = await pgSchemaVersion(client);
      if (from > PG_LATEST_SCHEMA_VERSION) {
        throw new Error(`database schema version ${from} is newer than this iamsim supports (${PG_LATEST_SCHEMA_VERSION}); upgrade iamsim`);
      }
      if (m.version > from) {
        await client.query(m.sql);
        await client.query(`INSERT INTO ${VERSION_TABLE} (version) VALUES ($1)`, [m.version]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
  return pgSchemaVersion(client);
}
