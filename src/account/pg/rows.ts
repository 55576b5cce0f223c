/**
 * Reads and writes of the account model on one PostgreSQL connection, inside
 * a transaction the caller holds. Same tables and JSON columns as the SQLite
 * store; rows are ordered with the "C" collation so both backends list
 * entities in the same (byte) order.
 */
import type { PoolClient } from 'pg';
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
} from '../model.js';
import type { AccountSummary } from '../async-store.js';
import { iamResourceFields, iamResourceRows } from '../iam-resources.js';

type Db = Pick<PoolClient, 'query'>;

const parse = <T>(text: string): T => JSON.parse(text) as T;
const now = (): string => new Date().toISOString();

/** Inserts rows column-wise with unnest: one round trip per table. */
async function insertRows(db: Db, sql: string, columns: readonly (readonly (string | null)[])[]): Promise<void> {
  if ((columns[0]?.length ?? 0) === 0) return;
  await db.query(
    sql,
    columns.map((c) => [...c]),
  );
}

async function writeResourcePolicies(db: Db, policies: readonly ResourcePolicy[]): Promise<void> {
  // Later entries win, as with row-by-row upserts.
  const byArn = new Map(policies.map((p) => [p.arn, p]));
  const list = [...byArn.values()];
  await insertRows(
    db,
    `INSERT INTO resource_policies (arn, account_id, service, kind, data)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
      ON CONFLICT (arn) DO UPDATE SET account_id = excluded.account_id, service = excluded.service, kind = excluded.kind, data = excluded.data`,
    [list.map((p) => p.arn), list.map((p) => p.accountId ?? null), list.map((p) => p.service), list.map((p) => p.kind), list.map((p) => JSON.stringify(p))],
  );
}

/** Replaces the account's IAM entities; upserts (or, with `replaceResources`, replaces) its resource policies. */
export async function writeAccount(db: Db, a: Account, replaceResources = false): Promise<void> {
  await db.query('DELETE FROM principals WHERE account_id = $1', [a.id]);
  await db.query('DELETE FROM managed_policies WHERE account_id = $1', [a.id]);
  await db.query('DELETE FROM iam_resources WHERE account_id = $1', [a.id]);
  if (replaceResources) await db.query('DELETE FROM resource_policies WHERE account_id = $1', [a.id]);
  await db.query(
    `INSERT INTO accounts (id, name, sources, imported_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, sources = excluded.sources, imported_at = excluded.imported_at`,
    [a.id, a.name ?? null, JSON.stringify(a.sources), now()],
  );
  const principals = [...a.users.map((u) => ['user', u] as const), ...a.groups.map((g) => ['group', g] as const), ...a.roles.map((r) => ['role', r] as const)];
  await insertRows(
    db,
    `INSERT INTO principals (arn, account_id, kind, name, data)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    [
      principals.map(([, p]) => p.arn),
      principals.map(() => a.id),
      principals.map(([k]) => k),
      principals.map(([, p]) => p.name),
      principals.map(([, p]) => JSON.stringify(p)),
    ],
  );
  const mp = a.managedPolicies;
  await insertRows(
    db,
    `INSERT INTO managed_policies (account_id, arn, name, data)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [mp.map(() => a.id), mp.map((p) => p.arn), mp.map((p) => p.name), mp.map((p) => JSON.stringify(p))],
  );
  const res = iamResourceRows(a);
  await insertRows(
    db,
    `INSERT INTO iam_resources (account_id, kind, arn, data)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
    [res.map(() => a.id), res.map((r) => r.kind), res.map((r) => r.arn), res.map((r) => r.data)],
  );
  await writeResourcePolicies(
    db,
    a.resourcePolicies.map((rp) => ({ ...rp, accountId: rp.accountId ?? a.id })),
  );
}

async function clearOrganization(db: Db): Promise<boolean> {
  const had = ((await db.query('DELETE FROM organization')).rowCount ?? 0) > 0;
  await db.query('DELETE FROM org_attachments');
  await db.query('DELETE FROM org_policies');
  await db.query('DELETE FROM org_nodes');
  return had;
}

async function writeOrganization(db: Db, org: Organization): Promise<void> {
  await clearOrganization(db);
  await db.query(
    `INSERT INTO organization (singleton, org_id, management_account_id, root_id, root_name, root_arn, enabled_policy_types, imported_at)
      VALUES (1, $1, $2, $3, $4, $5, $6, $7)`,
    [org.id ?? null, org.managementAccountId ?? null, org.root.id, org.root.name, org.root.arn ?? null, JSON.stringify(org.enabledPolicyTypes), now()],
  );
  const nodes = [...org.ous.map((o) => ['ou', o] as const), ...org.accounts.map((a) => ['account', a] as const)];
  await insertRows(db, 'INSERT INTO org_nodes (id, kind, parent_id, data) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])', [
    nodes.map(([, n]) => n.id),
    nodes.map(([k]) => k),
    nodes.map(([, n]) => n.parentId),
    nodes.map(([, n]) => JSON.stringify(n)),
  ]);
  const pols = org.policies.map(({ targets: _t, ...rest }) => rest);
  await insertRows(db, 'INSERT INTO org_policies (id, type, name, data) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])', [
    pols.map((p) => p.id),
    pols.map((p) => p.type),
    pols.map((p) => p.name),
    pols.map((p) => JSON.stringify(p)),
  ]);
  const att = org.policies.flatMap((p) => p.targets.map((t) => [p.id, t] as const));
  await insertRows(db, 'INSERT INTO org_attachments (policy_id, target_id) SELECT * FROM unnest($1::text[], $2::text[])', [
    att.map(([p]) => p),
    att.map(([, t]) => t),
  ]);
}

export async function writeBatch(db: Db, batch: ImportBatch): Promise<void> {
  for (const a of batch.accounts) await writeAccount(db, a);
  await writeResourcePolicies(db, batch.resourcePolicies);
  if (batch.organization) await writeOrganization(db, batch.organization);
}

export async function deleteAccount(db: Db, id: string): Promise<boolean> {
  await db.query('DELETE FROM resource_policies WHERE account_id = $1', [id]);
  await db.query('DELETE FROM principals WHERE account_id = $1', [id]);
  await db.query('DELETE FROM managed_policies WHERE account_id = $1', [id]);
  await db.query('DELETE FROM iam_resources WHERE account_id = $1', [id]);
  return ((await db.query('DELETE FROM accounts WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

async function readResourcePolicies(db: Db, accountId?: string): Promise<ResourcePolicy[]> {
  const r =
    accountId === undefined
      ? await db.query<{ data: string }>('SELECT data FROM resource_policies ORDER BY arn COLLATE "C"')
      : await db.query<{ data: string }>('SELECT data FROM resource_policies WHERE account_id = $1 ORDER BY arn COLLATE "C"', [accountId]);
  return r.rows.map((row) => parse<ResourcePolicy>(row.data));
}

export async function readAccount(db: Db, id: string): Promise<Account | undefined> {
  const row = (await db.query<{ id: string; name: string | null; sources: string }>('SELECT id, name, sources FROM accounts WHERE id = $1', [id])).rows[0];
  if (!row) return undefined;
  const principals = await db.query<{ kind: string; data: string }>(
    'SELECT kind, data FROM principals WHERE account_id = $1 ORDER BY kind COLLATE "C", name COLLATE "C"',
    [id],
  );
  const users: User[] = [];
  const groups: Group[] = [];
  const roles: Role[] = [];
  for (const p of principals.rows) {
    if (p.kind === 'user') users.push(parse<User>(p.data));
    else if (p.kind === 'group') groups.push(parse<Group>(p.data));
    else roles.push(parse<Role>(p.data));
  }
  const policies = (await db.query<{ data: string }>('SELECT data FROM managed_policies WHERE account_id = $1 ORDER BY arn COLLATE "C"', [id])).rows.map((r) =>
    parse<ManagedPolicy>(r.data),
  );
  return {
    id: row.id,
    ...(row.name !== null ? { name: row.name } : {}),
    users,
    groups,
    roles,
    managedPolicies: policies,
    resourcePolicies: await readResourcePolicies(db, id),
    sources: parse<string[]>(row.sources),
    ...iamResourceFields(
      (await db.query<{ kind: string; data: string }>('SELECT kind, data FROM iam_resources WHERE account_id = $1 ORDER BY arn COLLATE "C"', [id])).rows,
    ),
  };
}

export async function readOrganization(db: Db): Promise<Organization | undefined> {
  const row = (
    await db.query<{
      org_id: string | null;
      management_account_id: string | null;
      root_id: string;
      root_name: string;
      root_arn: string | null;
      enabled_policy_types: string;
    }>('SELECT * FROM organization WHERE singleton = 1')
  ).rows[0];
  if (!row) return undefined;
  const nodes = (await db.query<{ kind: string; data: string }>('SELECT kind, data FROM org_nodes ORDER BY id COLLATE "C"')).rows;
  const targets = new Map<string, string[]>();
  const att = await db.query<{ policy_id: string; target_id: string }>('SELECT policy_id, target_id FROM org_attachments ORDER BY target_id COLLATE "C"');
  for (const a of att.rows) targets.set(a.policy_id, [...(targets.get(a.policy_id) ?? []), a.target_id]);
  const policies = (await db.query<{ id: string; data: string }>('SELECT id, data FROM org_policies ORDER BY id COLLATE "C"')).rows.map(
    (r): OrgPolicy => ({ ...parse<Omit<OrgPolicy, 'targets'>>(r.data), targets: targets.get(r.id) ?? [] }),
  );
  return {
    ...(row.org_id !== null ? { id: row.org_id } : {}),
    ...(row.management_account_id !== null ? { managementAccountId: row.management_account_id } : {}),
    root: { id: row.root_id, name: row.root_name, ...(row.root_arn !== null ? { arn: row.root_arn } : {}) },
    enabledPolicyTypes: parse<OrgPolicyType[]>(row.enabled_policy_types),
    ous: nodes.filter((n) => n.kind === 'ou').map((n) => parse<OrgUnit>(n.data)),
    accounts: nodes.filter((n) => n.kind === 'account').map((n) => parse<OrgAccount>(n.data)),
    policies,
  };
}

/** Every account with its entities and owned resource policies, in one query per table. */
export async function readAllAccounts(db: Db): Promise<{ accounts: Account[]; resourcePolicies: ResourcePolicy[] }> {
  const rows = (await db.query<{ id: string; name: string | null; sources: string }>('SELECT id, name, sources FROM accounts ORDER BY id COLLATE "C"')).rows;
  const byId = new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        ...(r.name !== null ? { name: r.name } : {}),
        users: [] as User[],
        groups: [] as Group[],
        roles: [] as Role[],
        managedPolicies: [] as ManagedPolicy[],
        resourcePolicies: [] as ResourcePolicy[],
        sources: parse<string[]>(r.sources),
      },
    ]),
  );
  const principals = await db.query<{ account_id: string; kind: string; data: string }>(
    'SELECT account_id, kind, data FROM principals ORDER BY account_id COLLATE "C", kind COLLATE "C", name COLLATE "C"',
  );
  for (const p of principals.rows) {
    const a = byId.get(p.account_id);
    if (a === undefined) continue;
    if (p.kind === 'user') a.users.push(parse<User>(p.data));
    else if (p.kind === 'group') a.groups.push(parse<Group>(p.data));
    else a.roles.push(parse<Role>(p.data));
  }
  for (const m of (
    await db.query<{ account_id: string; data: string }>('SELECT account_id, data FROM managed_policies ORDER BY account_id COLLATE "C", arn COLLATE "C"')
  ).rows) {
    byId.get(m.account_id)?.managedPolicies.push(parse<ManagedPolicy>(m.data));
  }
  const resources = (
    await db.query<{ account_id: string; kind: string; data: string }>('SELECT account_id, kind, data FROM iam_resources ORDER BY arn COLLATE "C"')
  ).rows;
  const accounts = [...byId.values()].map((a) => ({ ...a, ...iamResourceFields(resources.filter((r) => r.account_id === a.id)) }));
  const all = (await db.query<{ account_id: string | null; data: string }>('SELECT account_id, data FROM resource_policies ORDER BY arn COLLATE "C"')).rows;
  const resourcePolicies = all.map((r) => {
    const rp = parse<ResourcePolicy>(r.data);
    if (r.account_id !== null) byId.get(r.account_id)?.resourcePolicies.push(rp);
    return rp;
  });
  return { accounts, resourcePolicies };
}

export async function readSummaries(db: Db): Promise<AccountSummary[]> {
  const rows = (
    await db.query<{
      id: string;
      name: string | null;
      sources: string;
      imported_at: string;
      users: number;
      groups: number;
      roles: number;
      managed: number;
      resources: number;
    }>(
      `SELECT a.id, a.name, a.sources, a.imported_at,
        (SELECT COUNT(*)::int FROM principals p WHERE p.account_id = a.id AND p.kind = 'user') AS users,
        (SELECT COUNT(*)::int FROM principals p WHERE p.account_id = a.id AND p.kind = 'group') AS groups,
        (SELECT COUNT(*)::int FROM principals p WHERE p.account_id = a.id AND p.kind = 'role') AS roles,
        (SELECT COUNT(*)::int FROM managed_policies m WHERE m.account_id = a.id) AS managed,
        (SELECT COUNT(*)::int FROM resource_policies r WHERE r.account_id = a.id) AS resources
      FROM accounts a ORDER BY a.id COLLATE "C"`,
    )
  ).rows;
  return rows.map((r) => ({
    id: r.id,
    ...(r.name !== null ? { name: r.name } : {}),
    users: r.users,
    groups: r.groups,
    roles: r.roles,
    managedPolicies: r.managed,
    resourcePolicies: r.resources,
    sources: parse<string[]>(r.sources),
    importedAt: r.imported_at,
  }));
}
