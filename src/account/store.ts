/**
 * The embedded default backend's connection: SQLite via better-sqlite3,
 * synchronous. Only sqlite-async-store.ts uses it, to implement the one store
 * interface (async-store.ts, `AsyncStore`) that every command and the server
 * use. Every write happens in one transaction, so a failed or interrupted
 * import leaves the previous state intact.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { StoreOpenError } from './store-error.js';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { DEFAULT_DB_PATH, type AccountSummary, type StoreContents } from './async-store.js';
import { currentVersion as currentSchemaVersion, LATEST_SCHEMA_VERSION, migrate } from './migrations.js';
import { iamResourceFields, iamResourceRows } from './iam-resources.js';
import type {
  Account,
  Group,
  ImportBatch,
  ManagedPolicy,
  OrgAccount,
  Organization,
  OrgPolicy,
  OrgPolicyType,
  OrgUnit,
  ResourcePolicy,
  Role,
  User,
} from './model.js';

export { DEFAULT_DB_PATH } from './async-store.js';

export interface SqliteStore {
  readonly path: string;
  schemaVersion(): number;
  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T;
  /**
   * Runs `fn` in one write transaction, taking the write lock up front (BEGIN
   * IMMEDIATE, so a read-modify-write cannot race another process), and bumps
   * the store version in it when it changed anything. Nested calls join the outer transaction.
   */
  write<T>(fn: () => T): T;
  /** Store version: increases with every committed write, in any process. */
  version(): number;
  /** SQLite's PRAGMA data_version: changes when another connection commits (cheap to poll). */
  dataVersion(): number;
  /** Replaces the account's IAM entities; upserts its resource policies. */
  importAccount(account: Account): void;
  /** Replaces the account's IAM entities and exactly the resource policies it owns. */
  replaceAccount(account: Account): void;
  /** Writes a whole import in one transaction; the organization replaces the stored one. */
  importBatch(batch: ImportBatch): void;
  listAccounts(): AccountSummary[];
  getAccount(id: string): Account | undefined;
  removeAccount(id: string): boolean;
  getOrganization(): Organization | undefined;
  removeOrganization(): boolean;
  getResourcePolicy(arn: string): ResourcePolicy | undefined;
  listResourcePolicies(): ResourcePolicy[];
  loadAll(): StoreContents;
  close(): void;
}

interface AccountRow {
  id: string;
  name: string | null;
  sources: string;
  imported_at: string;
}

function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export { StoreOpenError } from './store-error.js';

function openError(path: string, err: unknown): Error {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB')
    return new StoreOpenError(path, 'not an iamsim database (not an SQLite file); give --db a database file, or a new path to create one');
  if (code === 'SQLITE_CANTOPEN') return new StoreOpenError(path, 'cannot open the database file (check the path and its permissions)');
  if (/newer than this iamsim/.test(message)) return new StoreOpenError(path, message);
  return err instanceof Error ? err : new Error(message);
}

/**
 * Migrates under the write lock taken up front (BEGIN IMMEDIATE): processes
 * that open a new or old database at the same time wait for each other (busy
 * timeout) instead of racing to create the same tables. A database that is
 * already current is only read.
 */
function migrateLocked(db: Database): void {
  if (currentSchemaVersion(db) === LATEST_SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    migrate(db);
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/**
 * How long a process waits for another one's write lock (an import, a
 * migration) before it reports the database as locked: long enough for
 * several imports queued on a loaded machine.
 */
const BUSY_TIMEOUT_MS = 30_000;

export function openStore(path: string = DEFAULT_DB_PATH): SqliteStore {
  if (path !== ':memory:' && !path.startsWith('file:')) {
    if (existsSync(path) && statSync(path).isDirectory()) throw new StoreOpenError(path, 'is a directory; --db takes a database file');
    mkdirSync(dirname(path), { recursive: true });
  }
  let db: Database;
  try {
    // The busy timeout is set at open, so that switching a new database to WAL waits for others too.
    db = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw openError(path, e);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrateLocked(db);
  } catch (e) {
    db.close();
    throw openError(path, e);
  }
  return makeStore(db, path);
}

function makeStore(db: Database, path: string): SqliteStore {
  const now = (): string => new Date().toISOString();

  const writeAccount = (a: Account): void => {
    db.prepare('DELETE FROM principals WHERE account_id = ?').run(a.id);
    db.prepare('DELETE FROM managed_policies WHERE account_id = ?').run(a.id);
    db.prepare('DELETE FROM iam_resources WHERE account_id = ?').run(a.id);
    db.prepare(`INSERT INTO accounts (id, name, sources, imported_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, sources = excluded.sources, imported_at = excluded.imported_at`).run(
      a.id,
      a.name ?? null,
      JSON.stringify(a.sources),
      now(),
    );
    const principal = db.prepare('INSERT INTO principals (arn, account_id, kind, name, data) VALUES (?, ?, ?, ?, ?)');
    for (const u of a.users) principal.run(u.arn, a.id, 'user', u.name, JSON.stringify(u));
    for (const g of a.groups) principal.run(g.arn, a.id, 'group', g.name, JSON.stringify(g));
    for (const r of a.roles) principal.run(r.arn, a.id, 'role', r.name, JSON.stringify(r));
    const policy = db.prepare('INSERT INTO managed_policies (account_id, arn, name, data) VALUES (?, ?, ?, ?)');
    for (const p of a.managedPolicies) policy.run(a.id, p.arn, p.name, JSON.stringify(p));
    const resource = db.prepare('INSERT INTO iam_resources (account_id, kind, arn, data) VALUES (?, ?, ?, ?)');
    for (const r of iamResourceRows(a)) resource.run(a.id, r.kind, r.arn, r.data);
    for (const rp of a.resourcePolicies) writeResourcePolicy({ ...rp, accountId: rp.accountId ?? a.id });
  };

  const writeResourcePolicy = (rp: ResourcePolicy): void => {
    db.prepare(`INSERT INTO resource_policies (arn, account_id, service, kind, data) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (arn) DO UPDATE SET account_id = excluded.account_id, service = excluded.service, kind = excluded.kind, data = excluded.data`).run(
      rp.arn,
      rp.accountId ?? null,
      rp.service,
      rp.kind,
      JSON.stringify(rp),
    );
  };

  const clearOrganization = (): boolean => {
    const had = db.prepare('DELETE FROM organization').run().changes > 0;
    db.exec('DELETE FROM org_attachments; DELETE FROM org_policies; DELETE FROM org_nodes;');
    return had;
  };

  const writeOrganization = (org: Organization): void => {
    clearOrganization();
    db.prepare(`INSERT INTO organization (singleton, org_id, management_account_id, root_id, root_name, root_arn, enabled_policy_types, imported_at)
      VALUES (1, ?, ?, ?, ?, ?, ?, ?)`).run(
      org.id ?? null,
      org.managementAccountId ?? null,
      org.root.id,
      org.root.name,
      org.root.arn ?? null,
      JSON.stringify(org.enabledPolicyTypes),
      now(),
    );
    const node = db.prepare('INSERT INTO org_nodes (id, kind, parent_id, data) VALUES (?, ?, ?, ?)');
    for (const ou of org.ous) node.run(ou.id, 'ou', ou.parentId, JSON.stringify(ou));
    for (const a of org.accounts) node.run(a.id, 'account', a.parentId, JSON.stringify(a));
    const pol = db.prepare('INSERT INTO org_policies (id, type, name, data) VALUES (?, ?, ?, ?)');
    const att = db.prepare('INSERT INTO org_attachments (policy_id, target_id) VALUES (?, ?)');
    for (const p of org.policies) {
      const { targets, ...rest } = p;
      pol.run(p.id, p.type, p.name, JSON.stringify(rest));
      for (const t of targets) att.run(p.id, t);
    }
  };

  const readResourcePolicies = (accountId?: string): ResourcePolicy[] => {
    const rows = (
      accountId === undefined
        ? db.prepare('SELECT data FROM resource_policies ORDER BY arn').all()
        : db.prepare('SELECT data FROM resource_policies WHERE account_id = ? ORDER BY arn').all(accountId)
    ) as { data: string }[];
    return rows.map((r) => parseJson<ResourcePolicy>(r.data));
  };

  const getAccount = (id: string): Account | undefined => {
    const row = db.prepare('SELECT id, name, sources, imported_at FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    if (!row) return undefined;
    const principals = db.prepare('SELECT kind, data FROM principals WHERE account_id = ? ORDER BY kind, name').all(id) as { kind: string; data: string }[];
    const users: User[] = [];
    const groups: Group[] = [];
    const roles: Role[] = [];
    for (const p of principals) {
      if (p.kind === 'user') users.push(parseJson<User>(p.data));
      else if (p.kind === 'group') groups.push(parseJson<Group>(p.data));
      else roles.push(parseJson<Role>(p.data));
    }
    const policies = (db.prepare('SELECT data FROM managed_policies WHERE account_id = ? ORDER BY arn').all(id) as { data: string }[]).map((r) =>
      parseJson<ManagedPolicy>(r.data),
    );
    return {
      id: row.id,
      ...(row.name !== null ? { name: row.name } : {}),
      users,
      groups,
      roles,
      managedPolicies: policies,
      resourcePolicies: readResourcePolicies(id),
      sources: parseJson<string[]>(row.sources),
      ...iamResourceFields(db.prepare('SELECT kind, data FROM iam_resources WHERE account_id = ? ORDER BY arn').all(id) as { kind: string; data: string }[]),
    };
  };

  const getOrganization = (): Organization | undefined => {
    const row = db.prepare('SELECT * FROM organization WHERE singleton = 1').get() as
      | {
          org_id: string | null;
          management_account_id: string | null;
          root_id: string;
          root_name: string;
          root_arn: string | null;
          enabled_policy_types: string;
        }
      | undefined;
    if (!row) return undefined;
    const nodes = db.prepare('SELECT kind, data FROM org_nodes ORDER BY id').all() as { kind: string; data: string }[];
    const targets = new Map<string, string[]>();
    for (const a of db.prepare('SELECT policy_id, target_id FROM org_attachments ORDER BY target_id').all() as { policy_id: string; target_id: string }[]) {
      const list = targets.get(a.policy_id) ?? [];
      list.push(a.target_id);
      targets.set(a.policy_id, list);
    }
    const policies = (db.prepare('SELECT id, data FROM org_policies ORDER BY id').all() as { id: string; data: string }[]).map(
      (r): OrgPolicy => ({ ...parseJson<Omit<OrgPolicy, 'targets'>>(r.data), targets: targets.get(r.id) ?? [] }),
    );
    return {
      ...(row.org_id !== null ? { id: row.org_id } : {}),
      ...(row.management_account_id !== null ? { managementAccountId: row.management_account_id } : {}),
      root: { id: row.root_id, name: row.root_name, ...(row.root_arn !== null ? { arn: row.root_arn } : {}) },
      enabledPolicyTypes: parseJson<OrgPolicyType[]>(row.enabled_policy_types),
      ous: nodes.filter((n) => n.kind === 'ou').map((n) => parseJson<OrgUnit>(n.data)),
      accounts: nodes.filter((n) => n.kind === 'account').map((n) => parseJson<OrgAccount>(n.data)),
      policies,
    };
  };

  const transaction = <T>(fn: () => T): T => (db.inTransaction ? fn() : db.transaction(fn)());
  const totalChanges = (): number => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const bump = (): void => {
    db.prepare('UPDATE store_version SET version = version + 1 WHERE singleton = 1').run();
  };
  let writing = false;
  const write = <T>(fn: () => T): T => {
    if (writing) return fn();
    const body = (): T => {
      writing = true;
      try {
        const before = totalChanges();
        const r = fn();
        if (totalChanges() !== before) bump();
        return r;
      } finally {
        writing = false;
      }
    };
    return db.inTransaction ? body() : db.transaction(body).immediate();
  };

  const store: SqliteStore = {
    path,
    schemaVersion: () => (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number }).v,
    transaction,
    write,
    version: () => (db.prepare('SELECT version FROM store_version WHERE singleton = 1').get() as { version: number }).version,
    dataVersion: () => db.pragma('data_version', { simple: true }) as number,
    importAccount: (account) => write(() => writeAccount(account)),
    replaceAccount: (account) =>
      write(() => {
        db.prepare('DELETE FROM resource_policies WHERE account_id = ?').run(account.id);
        writeAccount(account);
      }),
    importBatch: (batch) =>
      write(() => {
        for (const a of batch.accounts) writeAccount(a);
        for (const rp of batch.resourcePolicies) writeResourcePolicy(rp);
        if (batch.organization) writeOrganization(batch.organization);
      }),
    listAccounts: () => {
      const rows = db
        .prepare(`SELECT a.id, a.name, a.sources, a.imported_at,
          (SELECT COUNT(*) FROM principals p WHERE p.account_id = a.id AND p.kind = 'user') AS users,
          (SELECT COUNT(*) FROM principals p WHERE p.account_id = a.id AND p.kind = 'group') AS groups,
          (SELECT COUNT(*) FROM principals p WHERE p.account_id = a.id AND p.kind = 'role') AS roles,
          (SELECT COUNT(*) FROM managed_policies m WHERE m.account_id = a.id) AS managed,
          (SELECT COUNT(*) FROM resource_policies r WHERE r.account_id = a.id) AS resources
        FROM accounts a ORDER BY a.id`)
        .all() as (AccountRow & { users: number; groups: number; roles: number; managed: number; resources: number })[];
      return rows.map((r) => ({
        id: r.id,
        ...(r.name !== null ? { name: r.name } : {}),
        users: r.users,
        groups: r.groups,
        roles: r.roles,
        managedPolicies: r.managed,
        resourcePolicies: r.resources,
        sources: parseJson<string[]>(r.sources),
        importedAt: r.imported_at,
      }));
    },
    getAccount,
    removeAccount: (id) =>
      write(() => {
        db.prepare('DELETE FROM resource_policies WHERE account_id = ?').run(id);
        db.prepare('DELETE FROM principals WHERE account_id = ?').run(id);
        db.prepare('DELETE FROM managed_policies WHERE account_id = ?').run(id);
        db.prepare('DELETE FROM iam_resources WHERE account_id = ?').run(id);
        return db.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
      }),
    getOrganization,
    removeOrganization: () => write(clearOrganization),
    getResourcePolicy: (arn) => {
      const row = db.prepare('SELECT data FROM resource_policies WHERE arn = ?').get(arn) as { data: string } | undefined;
      return row ? parseJson<ResourcePolicy>(row.data) : undefined;
    },
    listResourcePolicies: () => readResourcePolicies(),
    loadAll: () =>
      transaction(() => {
        const ids = (db.prepare('SELECT id FROM accounts ORDER BY id').all() as { id: string }[]).map((r) => r.id);
        const accounts = ids.map((id) => getAccount(id)).filter((a): a is Account => a !== undefined);
        const organization = getOrganization();
        return { accounts, resourcePolicies: readResourcePolicies(), ...(organization ? { organization } : {}) };
      }),
    close: () => db.close(),
  };
  return store;
}
