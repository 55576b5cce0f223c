/**
 * Forward-only schema migrations of the PostgreSQL store. The applied version
 * lives in `iamsim_schema_version`; each step runs in its own transaction
 * under an advisory lock, so replicas starting together migrate once.
 * Append new steps at the end; never edit a released one.
 */
import type { PoolClient } from 'pg';

export interface PgMigration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'accounts, IAM entities, managed and resource policies, organization, store version counter',
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT,
        sources TEXT NOT NULL,
        imported_at TEXT NOT NULL
      );
      CREATE TABLE principals (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('user', 'group', 'role')),
        name TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX principals_by_name ON principals (account_id, kind, name);
      CREATE TABLE managed_policies (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        arn TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, arn)
      );
      CREATE TABLE resource_policies (
        arn TEXT PRIMARY KEY,
        account_id TEXT,
        service TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX resource_policies_by_account ON resource_policies (account_id);
      CREATE TABLE organization (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        org_id TEXT,
        management_account_id TEXT,
        root_id TEXT NOT NULL,
        root_name TEXT NOT NULL,
        root_arn TEXT,
        enabled_policy_types TEXT NOT NULL,
        imported_at TEXT NOT NULL
      );
      CREATE TABLE org_nodes (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('ou', 'account')),
        parent_id TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE org_policies (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('SCP', 'RCP')),
        name TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE TABLE org_attachments (
        policy_id TEXT NOT NULL REFERENCES org_policies(id) ON DELETE CASCADE,
        target_id TEXT NOT NULL,
        PRIMARY KEY (policy_id, target_id)
      );
      CREATE INDEX org_attachments_by_target ON org_attachments (target_id);
      CREATE TABLE store_version (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        version BIGINT NOT NULL
      );
      INSERT INTO store_version (singleton, version) VALUES (1, 0);
    `,
  },
  {
    version: 2,
    description: 'instance profiles, OIDC and SAML providers (iam_resources)',
    sql: `
      CREATE TABLE iam_resources (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('instance-profile', 'oidc-provider', 'saml-provider')),
        arn TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, arn)
      );
    `,
  },
];

export const PG_LATEST_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]?.version ?? 0;

/** Key of the advisory lock held while migrating (any constant unique to iamsim). */
const MIGRATION_LOCK = 7_315_901_422;

export async function pgSchemaVersion(client: PoolClient): Promise<number> {
  const t = await client.query<{ t: string | null }>("SELECT to_regclass('iamsim_schema_version')::text AS t");
  if (t.rows[0]?.t === null || t.rows[0] === undefined) return 0;
  const r = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM iamsim_schema_version');
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
      await client.query('CREATE TABLE IF NOT EXISTS iamsim_schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const from = await pgSchemaVersion(client);
      if (from > PG_LATEST_SCHEMA_VERSION) {
        throw new Error(`database schema version ${from} is newer than this iamsim supports (${PG_LATEST_SCHEMA_VERSION}); upgrade iamsim`);
      }
      if (m.version > from) {
        await client.query(m.sql);
        await client.query('INSERT INTO iamsim_schema_version (version) VALUES ($1)', [m.version]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
  return pgSchemaVersion(client);
}
