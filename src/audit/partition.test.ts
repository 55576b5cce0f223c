/**
 * Partition invariance: on random small organizations (accounts drawn by
 * test-support's generator, some roles trusting another account), the report
 * made in one partition equals the one made in partitions (and path
 * partitions) of any size run in any order — paths, risks, admin verdicts and
 * findings alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Account } from '../account/model.js';
import { createUniverse } from '../account/query.js';
import { A, account, AT } from './test-support.test.js';
import { runAudit, type AuditReport } from './index.js';
import { auditModel } from './nodes.js';
import { partitionsOf } from './partition.js';
import { toJson } from './render.js';

const IDS = ['111111111111', '333333333333', '444444444444'];

/** Account `k` of an organization: the generated account under another id, its roles of odd index still trusting account A's principals. */
function renamed(a: Account, k: number): Account {
  if (k === 0) return a;
  const id = IDS[k - 1] as string;
  const b = JSON.parse(JSON.stringify(a).replaceAll(A, id)) as Account;
  return { ...b, roles: b.roles.map((r, i) => (i % 2 === 1 ? { ...r, trustPolicy: r.trustPolicy.replaceAll(id, A) } : r)) };
}

const organization = fc.array(account, { minLength: 1, maxLength: 3 }).map((list) => list.map(renamed));

function comparable(r: AuditReport): unknown {
  const { stats: _stats, ...rest } = toJson(r) as { stats: unknown };
  return rest;
}

test('the report does not depend on the partitions or their order', async () => {
  await fc.assert(
    fc.asyncProperty(organization, fc.integer({ min: 1, max: 6 }), fc.integer(), async (accounts, size, seed) => {
      const u = createUniverse({ accounts });
      const whole = await runAudit(u, { at: AT, partitionSize: 10_000 });
      const parts = await runAudit(u, {
        at: AT,
        partitionSize: size,
        pathPartitionSize: size,
        partitionOrder: (ps) => fc.sample(fc.shuffledSubarray([...ps], { minLength: ps.length, maxLength: ps.length }), { seed, numRuns: 1 })[0] ?? ps,
      });
      assert.deepEqual(comparable(parts), comparable(whole));
    }),
    { numRuns: 30 },
  );
});

test('partitions cover every node once: one per account, a large account cut by class', () => {
  fc.assert(
    fc.property(organization, fc.integer({ min: 1, max: 6 }), (accounts, size) => {
      const model = auditModel(createUniverse({ accounts }));
      const ps = partitionsOf(model, size);
      const covered = ps.flatMap((p) => p.nodes).sort((a, b) => a - b);
      assert.deepEqual(
        covered,
        model.nodes.map((_, i) => i),
      );
      for (const p of ps) {
        assert.ok(p.nodes.length <= Math.max(size, 1));
        assert.ok(p.nodes.every((i) => model.nodes[i]?.account === p.account));
      }
      assert.equal(partitionsOf(model, 10_000).length, accounts.length);
    }),
    { numRuns: 100 },
  );
});

test('a partition size below 1 is refused', () => {
  const model = auditModel(createUniverse({ accounts: [] }));
  assert.throws(() => partitionsOf(model, 0), /at least 1/);
});
