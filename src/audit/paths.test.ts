/**
 * The path search skips what cannot change its answer (paths.ts,
 * path-bounds.ts). These tests hold it to the search that visits every node
 * it reaches (paths-reference.test.ts): the same paths in the same order, for
 * every principal of random accounts and of IAM-Vulnerable's export, with
 * the usual ten paths and with fewer (which makes the skipping start early).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { createUniverse } from '../account/query.js';
import { loadUniverse } from '../authz/universe.js';
import { account, AT } from './test-support.test.js';
import { AuditDecider } from './decide.js';
import { buildGraph, type Edge, type Graph } from './graph.js';
import { auditModel, type AuditModel } from './nodes.js';
import { AdminCheck, escalationPaths } from './paths.js';
import { pathBounds } from './path-bounds.js';
import { referencePaths } from './paths-reference.test.js';

const LIMITS = [1, 2, 3, 10];

function sameAsReference(model: AuditModel): number {
  const d = new AuditDecider(model.universe, AT);
  const g = buildGraph(model, d);
  const admin = new AdminCheck(d);
  const oracle = new AdminCheck(new AuditDecider(model.universe, AT));
  let paths = 0;
  for (const n of model.nodes) {
    for (const limit of LIMITS) {
      const got = escalationPaths(g, admin, n.arn, { limit });
      assert.deepEqual(got, referencePaths(g, oracle, n.arn, { limit }), `${n.arn}, limit ${limit}`);
      paths += got.length;
    }
  }
  return paths;
}

test('the search finds the paths, in the order, of the search that visits every node (random accounts)', () => {
  fc.assert(
    fc.property(account, (a) => {
      sameAsReference(auditModel(createUniverse({ accounts: [a] })));
    }),
    { numRuns: 60 },
  );
});

test("the search finds the paths, in the order, of the search that visits every node (IAM-Vulnerable's export)", () => {
  const file = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));
  const u = loadUniverse({ accountFiles: [file] }).universe;
  assert.ok(u);
  // Hundreds of paths, so the comparison is not vacuous.
  assert.ok(sameAsReference(auditModel(u)) > 500);
});

const edge = (from: string, to: string, fill = false): Edge => ({ from, to, technique: fill ? '' : 't', steps: [], ...(fill ? { fill } : {}) });

test('path bounds: hops to an admin or a grant, a hop out of a role-subset node free, nothing for what reaches neither', () => {
  const g: Graph = {
    edges: new Map([
      ['arn:a', [edge('arn:a', 'roles:s'), edge('arn:a', 'arn:dead')]],
      ['roles:s', [edge('roles:s', 'arn:admin', true), edge('roles:s', 'arn:b', true)]],
      ['arn:b', [edge('arn:b', 'arn:grantor')]],
      ['arn:c', [edge('arn:c', 'arn:b')]],
    ]),
    grants: new Map([
      [
        'arn:grantor',
        [
          {
            by: 'arn:grantor',
            technique: 'iam-put-user-policy',
            to: { grantees: ['arn:x'], resources: ['arn:x'] },
            step: { principal: 'arn:grantor', action: 'iam:PutUserPolicy', resource: '' },
          },
        ],
      ],
    ]),
  };
  const b = pathBounds(g, (arn) => arn === 'arn:admin');
  assert.deepEqual(Object.fromEntries([...b].sort()), { 'arn:a': 1, 'arn:admin': 0, 'arn:b': 2, 'arn:c': 3, 'arn:grantor': 1, 'arn:x': 1, 'roles:s': 0 });
  assert.equal(b.has('arn:dead'), false);
});
