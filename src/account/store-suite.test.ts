/**
 * The AsyncStore test suite, run against every backend (async-store.test.ts):
 * the same imports, read-modify-writes, failures and change notifications
 * must behave the same on SQLite and PostgreSQL.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { openAsyncStore } from './open-store.js';
import type { AsyncStore } from './async-store.js';
import { buildBatch, parseFiles } from './import/index.js';
import type { Account, ImportBatch, Organization, Role } from './model.js';
import { fixture } from './test-support.test.js';

/** Gives a fresh, empty store location (SQLite path or PostgreSQL URL) for one test. */
export type FreshStore = () => Promise<string>;

export const ORG_FILES = readdirSync(fixture('org')).map((f) => fixture(`org/${f}`));

export function batchOf(files: readonly string[]): ImportBatch {
  const out: Diagnostic[] = [];
  const batch = buildBatch(parseFiles(files, {}, out), undefined, out);
  assert.deepEqual(out, []);
  return JSON.parse(JSON.stringify(batch)) as ImportBatch;
}

export function role(accountId: string, name: string): Role {
  return {
    arn: `arn:aws:iam::${accountId}:role/${name}`,
    name,
    path: '/',
    trustPolicy: '{"Version":"2012-10-17","Statement":[]}',
    inlinePolicies: [],
    managedPolicies: [],
    tags: [],
    maxSessionDuration: 3600,
  };
}

export function emptyAccount(id: string): Account {
  return { id, users: [], groups: [], roles: [], managedPolicies: [], resourcePolicies: [], sources: ['test'] };
}

const sortByArn = <T extends { arn: string }>(l: readonly T[]): T[] => [...l].sort((x, y) => (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0));
function normalized(a: Account): Account {
  return {
    ...a,
    users: sortByArn(a.users),
    groups: sortByArn(a.groups),
    roles: sortByArn(a.roles),
    managedPolicies: sortByArn(a.managedPolicies),
    resourcePolicies: sortByArn(a.resourcePolicies),
  };
}

function sortOrg(o: Organization): Organization {
  const byId = <T extends { id: string }>(l: readonly T[]): T[] => [...l].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { ...o, ous: byId(o.ous), accounts: byId(o.accounts), policies: byId(o.policies) };
}

async function snapshot(s: AsyncStore): Promise<string> {
  const { version, ...all } = await s.loadAll();
  const list = (await s.listAccounts()).map((a) => ({ ...a, importedAt: '' }));
  return JSON.stringify({ version, all, list });
}

/** Resolves with the first version `s` reports after `since`. */
function nextChange(s: AsyncStore, since: number): Promise<number> {
  return new Promise((resolve) => {
    const off = s.onChange((v) => {
      off();
      resolve(v);
    }, since);
  });
}

/** Opens `n` handles on one fresh store (as `n` processes would) and closes them afterwards. */
async function withStores(fresh: FreshStore, n: number, fn: (...s: AsyncStore[]) => Promise<void>): Promise<void> {
  const location = await fresh();
  const stores: AsyncStore[] = [];
  try {
    for (let i = 0; i < n; i++) stores.push(await openAsyncStore(location));
    await fn(...stores);
  } finally {
    for (const s of stores) await s.close();
  }
}

export function storeSuite(name: string, open: FreshStore): void {
  const t = (title: string, fn: (t: TestContext) => Promise<void>): void => {
    test(`${name}: ${title}`, fn);
  };

  t('round trip of accounts, resource policies and the organization; version increases', () =>
    withStores(open, 1, async (s) => {
      const v0 = await s.version();
      const batch = batchOf([fixture('authorization-details.json'), fixture('get-bucket-policy.json'), fixture('describe-vpc-endpoints.json'), ...ORG_FILES]);
      assert.deepEqual(await s.importBatch(batch), batch);
      const v1 = await s.version();
      assert.ok(v1 > v0, `${v1} > ${v0}`);
      const original = batch.accounts[0] as Account;
      const back = await s.getAccount(original.id);
      assert.ok(back);
      assert.deepEqual(normalized({ ...back, resourcePolicies: [] }), normalized({ ...original, resourcePolicies: [] }));
      assert.deepEqual(await s.getOrganization(), (await s.loadAll()).organization);
      const all = await s.loadAll();
      assert.equal(all.version, v1);
      assert.deepEqual(
        all.accounts.map((a) => a.id),
        ['111122223333'],
      );
      assert.equal(all.resourcePolicies.length, 3);
      const list = await s.listAccounts();
      assert.deepEqual(
        list.map((a) => [a.id, a.users, a.groups, a.roles, a.resourcePolicies]),
        [['111122223333', 1, 1, 2, 2]],
      );
      assert.equal(await s.getAccount('000000000000'), undefined);
    }),
  );

  t('IAM resources of every kind round-trip (access key metadata, login profile, MFA device, server certificate, instance profile)', () =>
    withStores(open, 1, async (s) => {
      const id = '123456789012';
      const a: Account = {
        ...emptyAccount(id),
        users: [{ arn: `arn:aws:iam::${id}:user/u`, name: 'u', path: '/', groups: [], inlinePolicies: [], managedPolicies: [], tags: [] }],
        accessKeys: [{ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', userName: 'u', status: 'Inactive', createDate: '2026-01-02T03:04:05Z' }],
        loginProfiles: [{ userName: 'u', createDate: '2026-01-02T03:04:05Z', passwordResetRequired: true }],
        virtualMfaDevices: [
          {
            serialNumber: `arn:aws:iam::${id}:mfa/d`,
            createDate: '2026-01-02T03:04:05Z',
            userName: 'u',
            enableDate: '2026-01-03T00:00:00Z',
            tags: [{ key: 'k', value: 'v' }],
          },
        ],
        serverCertificates: [
          {
            arn: `arn:aws:iam::${id}:server-certificate/c`,
            name: 'c',
            path: '/',
            id: 'ASCAAAAAAAAAAAAAAAAAA',
            uploadDate: '2026-01-02T03:04:05Z',
            expiration: '2126-01-01T00:00:00Z',
            body: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----',
            tags: [],
          },
        ],
        instanceProfiles: [{ arn: `arn:aws:iam::${id}:instance-profile/p`, name: 'p', path: '/', roles: [], tags: [] }],
      };
      await s.updateAccount(id, () => ({ account: a, result: undefined }));
      const back = await s.getAccount(id);
      for (const field of ['accessKeys', 'loginProfiles', 'virtualMfaDevices', 'serverCertificates', 'instanceProfiles'] as const) {
        assert.deepEqual(back?.[field], a[field], field);
      }
      const loaded = (await s.loadAll()).accounts.find((x) => x.id === id);
      assert.deepEqual(loaded?.accessKeys, a.accessKeys);
    }),
  );

  t('a batch builder sees the stored organization; building nothing writes nothing', () =>
    withStores(open, 1, async (s) => {
      const withOrg = batchOf([fixture('bundle.yaml')]);
      await s.importBatch(withOrg);
      const v = await s.version();
      let seen: unknown;
      assert.equal(
        await s.importBatch((org) => {
          seen = org;
          return undefined;
        }),
        undefined,
      );
      assert.deepEqual(sortOrg(seen as Organization), sortOrg(withOrg.organization as Organization));
      assert.equal(await s.version(), v);
    }),
  );

  t('updateAccount: read-modify-write, creation, no-op, errors roll back', () =>
    withStores(open, 1, async (s) => {
      const created = await s.updateAccount('123456789012', (a) => ({
        account: { ...(a ?? emptyAccount('123456789012')), roles: [role('123456789012', 'A')] },
        result: a === undefined,
      }));
      assert.equal(created, true);
      const v = await s.version();
      assert.equal(await s.updateAccount('123456789012', (a) => ({ result: a?.roles.length })), 1);
      assert.equal(await s.version(), v, 'a no-op update does not bump the version');
      const before = await snapshot(s);
      await assert.rejects(
        s.updateAccount('123456789012', () => {
          throw new Error('NoSuchEntity');
        }),
        /NoSuchEntity/,
      );
      await assert.rejects(
        s.updateAccount('123456789012', (a) => ({ account: { ...(a as Account), id: '999999999999' }, result: 0 })),
        /returned account 999999999999/,
      );
      const dup = role('123456789012', 'B');
      await assert.rejects(
        s.updateAccount('123456789012', (a) => ({ account: { ...(a as Account), roles: [dup, dup] }, result: 0 })),
        /unique constraint/i,
      );
      assert.equal(await snapshot(s), before);
    }),
  );

  t('updateAccount replaces the resource policies the account owns', () =>
    withStores(open, 1, async (s) => {
      await s.importBatch(batchOf([fixture('authorization-details.json'), fixture('describe-vpc-endpoints.json')]));
      const owned = (await s.getAccount('111122223333'))?.resourcePolicies.length ?? 0;
      assert.ok(owned > 0);
      await s.updateAccount('111122223333', (a) => ({ account: { ...(a as Account), resourcePolicies: [] }, result: undefined }));
      assert.deepEqual((await s.getAccount('111122223333'))?.resourcePolicies, []);
    }),
  );

  t('a write failing midway leaves the previous state and version intact', () =>
    withStores(open, 1, async (s) => {
      await s.importBatch(batchOf([fixture('authorization-details.json'), ...ORG_FILES]));
      const before = await snapshot(s);
      const a = batchOf([fixture('authorization-details.json')]).accounts[0] as Account;
      const b = batchOf([fixture('bundle.yaml')]).accounts[0] as Account;
      const r = b.roles[0] as Role;
      await assert.rejects(
        s.importBatch({
          accounts: [
            { ...a, users: [] },
            { ...b, roles: [r, r] },
          ],
          resourcePolicies: [],
        }),
        /unique constraint/i,
      );
      assert.equal(await snapshot(s), before);
    }),
  );

  t('removeAccount removes the account and its resource policies', () =>
    withStores(open, 1, async (s) => {
      await s.importBatch(batchOf([fixture('authorization-details.json'), fixture('describe-vpc-endpoints.json'), fixture('bundle.yaml')]));
      assert.equal(await s.removeAccount('111122223333'), true);
      const v = await s.version();
      assert.equal(await s.removeAccount('111122223333'), false);
      assert.equal(await s.version(), v);
      assert.deepEqual(
        (await s.listAccounts()).map((x) => x.id),
        ['444455556666'],
      );
      assert.ok((await s.loadAll()).resourcePolicies.every((p) => p.accountId !== '111122223333'));
    }),
  );

  t('concurrent read-modify-writes from two handles lose no update', () =>
    withStores(open, 2, async (a, b) => {
      await a.importAccount(emptyAccount('123456789012'));
      const add = (s: AsyncStore, n: string): Promise<void> =>
        s.updateAccount('123456789012', (acc) => ({
          account: { ...(acc as Account), roles: [...(acc as Account).roles, role('123456789012', n)] },
          result: undefined,
        }));
      const names = Array.from({ length: 16 }, (_, i) => `R${String(i).padStart(2, '0')}`);
      await Promise.all(names.map((n, i) => add(i % 2 === 0 ? a : b, n)));
      assert.deepEqual(
        (await b.getAccount('123456789012'))?.roles.map((r) => r.name),
        names,
      );
    }),
  );

  t('a write through one handle is reported to listeners on another', () =>
    withStores(open, 2, async (a, b) => {
      const since = (await b.loadAll()).version;
      const seen = nextChange(b, since);
      await a.importAccount(emptyAccount('123456789012'));
      const v = await a.version();
      assert.equal(await seen, v);
      // Subscribing with an older version reports the current one at once.
      assert.equal(await nextChange(b, since), v);
    }),
  );

  t('property: after any sequence of writes the store equals a plain model, version grows with each change', () =>
    withStores(open, 1, async (s) => {
      const ids = ['111111111111', '222222222222'];
      const op = fc.oneof(
        fc.record({
          kind: fc.constant('put' as const),
          id: fc.constantFrom(...ids),
          roles: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'D'), { maxLength: 3 }),
        }),
        fc.record({ kind: fc.constant('remove' as const), id: fc.constantFrom(...ids) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 6 }), async (ops) => {
          for (const id of ids) await s.removeAccount(id);
          const model = new Map<string, string[]>();
          for (const o of ops) {
            const before = await s.version();
            let changed: boolean;
            if (o.kind === 'put') {
              await s.updateAccount(o.id, (a) => ({ account: { ...(a ?? emptyAccount(o.id)), roles: o.roles.map((n) => role(o.id, n)) }, result: undefined }));
              model.set(o.id, [...o.roles].sort());
              changed = true;
            } else {
              changed = await s.removeAccount(o.id);
              assert.equal(changed, model.delete(o.id));
            }
            const after = await s.version();
            assert.ok(changed ? after > before : after === before, `${o.kind}: ${before} -> ${after}`);
          }
          const all = await s.loadAll();
          assert.deepEqual(
            all.accounts.map((a) => [a.id, a.roles.map((r) => r.name)]),
            [...model.entries()].sort().map(([id, r]) => [id, r]),
          );
        }),
        { numRuns: 12 },
      );
    }),
  );
}
