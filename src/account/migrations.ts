/**
 * Forward-only schema migrations of the embedded SQLite store. The applied
 * version lives in `schema_version`; each step runs in its own transaction.
 * Append new steps at the end; never edit a released one.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, IAM entities, managed policies, resource policies',
    up: (db) => {
      db.exec(`
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
          data TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    description: 'organization: root, OUs, accounts, SCP/RCP policies and attachments',
    up: (db) => {
      db.exec(`
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
      `);
    },
  },
  {
    version: 3,
    description: 'resource kind column (backfilled) and lookup indexes',
    up: (db) => {
      db.exec(`
        ALTER TABLE resource_policies ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
        UPDATE resource_policies SET kind = COALESCE(json_extract(data, '$.kind'), 'other');
        CREATE INDEX principals_by_name ON principals (account_id, kind, name);
        CREATE INDEX resource_policies_by_account ON resource_policies (account_id);
        CREATE INDEX org_attachments_by_target ON org_attachments (target_id);
      `);
    },
  },
  {
    version: 4,
    description: 'store version counter, bumped in every write transaction (replicas reload on change)',
    up: (db) => {
      db.exec(`
        CREATE TABLE store_version (
          singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
          version INTEGER NOT NULL
        );
        INSERT INTO store_version (singleton, version) VALUES (1, 0);
      `);
    },
  },
  {
    version: 5,
    description: 'instance profiles, OIDC and SAML providers (iam_resources)',
    up: (db) => {
      db.exec(`
        CREATE TABLE iam_resources (
          account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('instance-profile', 'oidc-provider', 'saml-provider')),
          arn TEXT NOT NULL,
          data TEXT NOT NULL,
          PRIMARY KEY (account_id, arn)
        );
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function currentVersion(db: Database): number {
  const exists = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!exists) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

/**
 * Brings the database to `target` (default: latest). Throws an Error when the
 * database is newer than this program knows (never migrates backwards).
 */
export function migrate(db: Database, target: number = LATEST_SCHEMA_VERSION): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)');
  const from = currentVersion(db);
  if (from > LATEST_SCHEMA_VERSION) {
    throw new Error(`database schema version ${from} is newer than this iamsim (${LATEST_SCHEMA_VERSION}); upgrade iamsim`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(m.version, new Date().toISOString());
    })();
  }
  return currentVersion(db);
}
