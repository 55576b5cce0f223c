/**
 * Forward-only schema migrations of the store, one list for both backends:
 * each step gives its SQL per dialect (`sql`: the same text in both; or
 * `sqlite`/`postgres`), and DIALECTS says where each dialect records its
 * version and where its history starts. The PostgreSQL store was released
 * with the schema of step 4 (steps 1–3 are SQLite's history, folded into
 * PostgreSQL's first step), and it records step N as N − 3: its databases
 * made so far say 1 and stay valid. The runners are `migrate` here (SQLite,
 * each step in its own transaction) and pg/migrations.ts (PostgreSQL, under
 * an advisory lock). Append new steps at the end, with SQL for both
 * dialects; never edit a released one.
 */
import type { Database } from 'better-sqlite3';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  readonly version: number;
  readonly description: string;
  /** The step's SQL: one text for both dialects, or each dialect's own (absent: the step does nothing there). */
  readonly sql: string | { readonly sqlite?: string; readonly postgres?: string };
}

export interface DialectInfo {
  /** The table recording the applied versions (one row per step: version, applied_at). */
  readonly versionTable: string;
  /** What this dialect records for step `version` is `version - offset` (steps at or below the offset have no SQL there). */
  readonly offset: number;
}

export const DIALECTS: Readonly<Record<Dialect, DialectInfo>> = {
  sqlite: { versionTable: 'schema_version', offset: 0 },
  postgres: { versionTable: 'iamsim_schema_version', offset: 3 },
};

/** One dialect's step as its runner applies it: the version it records and the SQL. */
export interface DialectStep {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/*
 * Table texts that both dialects state alike (SQLite in its steps 1–3,
 * PostgreSQL in its first step). Released steps must keep their text: edit
 * none of these; a change is a new step.
 */
const ACCOUNTS = `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    name TEXT,
    sources TEXT NOT NULL,
    imported_at TEXT NOT NULL
  );`;
const PRINCIPALS = `
  CREATE TABLE principals (
    arn TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('user', 'group', 'role')),
    name TEXT NOT NULL,
    data TEXT NOT NULL
  );`;
const MANAGED_POLICIES = `
  CREATE TABLE managed_policies (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    arn TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (account_id, arn)
  );`;
const ORGANIZATION = `
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
  );`;
const LOOKUP_INDEXES = `
  CREATE INDEX principals_by_name ON principals (account_id, kind, name);
  CREATE INDEX resource_policies_by_account ON resource_policies (account_id);
  CREATE INDEX org_attachments_by_target ON org_attachments (target_id);`;
/** The store version counter; `type` is the dialect's integer type (SQLite INTEGER is 64-bit, PostgreSQL needs BIGINT). */
const storeVersion = (type: string): string => `
  CREATE TABLE store_version (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    version ${type} NOT NULL
  );
  INSERT INTO store_version (singleton, version) VALUES (1, 0);`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, IAM entities, managed policies, resource policies',
    sql: {
      sqlite: `${ACCOUNTS}${PRINCIPALS}${MANAGED_POLICIES}
  CREATE TABLE resource_policies (
    arn TEXT PRIMARY KEY,
    account_id TEXT,
    service TEXT NOT NULL,
    data TEXT NOT NULL
  );`,
    },
  },
  {
    version: 2,
    description: 'organization: root, OUs, accounts, SCP/RCP policies and attachments',
    sql: { sqlite: ORGANIZATION },
  },
  {
    version: 3,
    description: 'resource kind column (backfilled) and lookup indexes',
    sql: {
      sqlite: `
  ALTER TABLE resource_policies ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
  UPDATE resource_policies SET kind = COALESCE(json_extract(data, '$.kind'), 'other');${LOOKUP_INDEXES}`,
    },
  },
  {
    version: 4,
    description: 'store version counter, bumped in every write transaction (replicas reload on change)',
    sql: {
      sqlite: storeVersion('INTEGER'),
      // PostgreSQL's first step: the whole schema as of step 4 (its resource_policies has kind from the start).
      postgres: `${ACCOUNTS}${PRINCIPALS}${MANAGED_POLICIES}
  CREATE TABLE resource_policies (
    arn TEXT PRIMARY KEY,
    account_id TEXT,
    service TEXT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL
  );${ORGANIZATION}${LOOKUP_INDEXES}${storeVersion('BIGINT')}`,
    },
  },
  {
    version: 5,
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
  {
    version: 6,
    description: 'access keys (metadata), login profiles, virtual MFA devices and server certificates in iam_resources',
    // SQLite cannot alter a CHECK constraint: the table is rebuilt with the wider one and its rows copied.
    sql: {
      sqlite: `
      CREATE TABLE iam_resources_v6 (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('instance-profile', 'oidc-provider', 'saml-provider', 'access-key', 'login-profile', 'virtual-mfa-device', 'server-certificate')),
        arn TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, arn)
      );
      INSERT INTO iam_resources_v6 (account_id, kind, arn, data) SELECT account_id, kind, arn, data FROM iam_resources;
      DROP TABLE iam_resources;
      ALTER TABLE iam_resources_v6 RENAME TO iam_resources;
    `,
      postgres: `
      ALTER TABLE iam_resources DROP CONSTRAINT iam_resources_kind_check;
      ALTER TABLE iam_resources ADD CONSTRAINT iam_resources_kind_check
        CHECK (kind IN ('instance-profile', 'oidc-provider', 'saml-provider', 'access-key', 'login-profile', 'virtual-mfa-device', 'server-certificate'));
    `,
    },
  },
];

/** The steps of one dialect, numbered as it records them. */
export function migrationsFor(dialect: Dialect): DialectStep[] {
  const { offset } = DIALECTS[dialect];
  const steps: DialectStep[] = [];
  for (const m of MIGRATIONS) {
    const sql = typeof m.sql === 'string' ? m.sql : m.sql[dialect];
    if (m.version <= offset) continue;
    if (sql === undefined) throw new Error(`migration ${m.version} has no ${dialect} SQL`);
    steps.push({ version: m.version - offset, description: m.description, sql });
  }
  return steps;
}

/** The version a dialect's up-to-date database records. */
export function latestVersion(dialect: Dialect): number {
  return (MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0) - DIALECTS[dialect].offset;
}

const SQLITE_STEPS = migrationsFor('sqlite');
const SQLITE_TABLE = DIALECTS.sqlite.versionTable;
export const LATEST_SCHEMA_VERSION = latestVersion('sqlite');

export function currentVersion(db: Database): number {
  const exists = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(SQLITE_TABLE);
  if (!exists) return 0;
  const row = db.prepare(`SELECT MAX(version) AS v FROM ${SQLITE_TABLE}`).get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

/**
 * Brings an SQLite database to `target` (default: latest). Throws an Error when the
 * database is newer than this program knows (never migrates backwards).
 */
export function migrate(db: Database, target: number = LATEST_SCHEMA_VERSION): number {
  db.exec(`CREATE TABLE IF NOT EXISTS ${SQLITE_TABLE} (version INTEGER NOT NULL, applied_at TEXT NOT NULL)`);
  const from = currentVersion(db);
  if (from > LATEST_SCHEMA_VERSION) {
    throw new Error(`database schema version ${from} is newer than this iamsim (${LATEST_SCHEMA_VERSION}); upgrade iamsim`);
  }
  for (const m of SQLITE_STEPS) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare(`INSERT INTO ${SQLITE_TABLE} (version, applied_at) VALUES (?, ?)`).run(m.version, new Date().toISOString());
    })();
  }
  return currentVersion(db);
}
