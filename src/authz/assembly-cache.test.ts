/**
 * The Engine's caches change no decision: authorize with an AssemblyCache
 * (assembled policies and derived keys reused) answers exactly as authorize
 * without it, for any sequence of requests over a model with SCPs, resource
 * policies and principal tags (property), and a new universe starts over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { makeContext } from '../eval/request.js';
import { AssemblyCache } from './assembly-cache.js';
import { authorize, type AuthorizeRequest } from './authorize.js';
import { loadUniverse } from './universe.js';
import type { Universe } from '../account/query.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/accounts/', import.meta.url));
const fx = (n: string): string => join(FIXTURES, n);
const FILES = [fx('authorization-details.json'), fx('get-bucket-policy.json'), ...readdirSync(fx('org')).map((f) => fx(`org/${f}`))];
function load(): Universe {
  const r = loadUniverse({ accountFiles: FILES });
  assert.ok(r.universe, JSON.stringify(r.diagnostics));
  return r.universe;
}
const universe = load();

const principals = [...universe.accounts.values()].flatMap((a) => [...a.roles.map((r) => r.arn), ...a.users.map((u) => u.arn)]);
const PRINCIPALS = [
  ...principals,
  'events.amazonaws.com',
  'arn:aws:iam::999999999999:role/Elsewhere',
  'arn:aws:sts::111122223333:assumed-role/NotebookJobExecutionRole/s',
];
const ACTIONS = ['iam:PassRole', 's3:GetObject', 's3:ListBucket', 'sts:AssumeRole', 'sagemaker:CreateTrainingJob', 'ec2:RunInstances'];
const RESOURCES = [
  '*',
  'arn:aws:iam::111122223333:role/NotebookJobExecutionRole',
  'arn:aws:s3:::example-bucket/key',
  'arn:aws:s3:::other/key',
  'arn:aws:sagemaker:us-east-1:111122223333:training-job/j',
  'arn:aws:ec2:eu-west-1:444455556666:instance/i-1',
];
const CONTEXTS = [
  [],
  [{ key: 'iam:PassedToService', type: 'string' as const, values: ['sagemaker.amazonaws.com'] }],
  [{ key: 'aws:PrincipalAccount', type: 'string' as const, values: ['999999999999'] }],
];

const request = fc.record({
  principal: fc.constantFrom(...PRINCIPALS),
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  context: fc.constantFrom(...CONTEXTS),
  deriveContext: fc.boolean(),
});

test('AssemblyCache: cached decisions equal uncached ones for any request sequence (property)', () => {
  assert.ok(PRINCIPALS.length > 4);
  fc.assert(
    fc.property(fc.array(request, { minLength: 1, maxLength: 30 }), (reqs) => {
      const cache = new AssemblyCache(4);
      for (const r of reqs) {
        const req: AuthorizeRequest = { ...r, context: makeContext(r.context) };
        const plain = authorize(universe, req, { explain: false });
        const assembled = cache.get(universe, req);
        const cached = authorize(universe, req, {
          explain: false,
          assembled,
          ...(req.deriveContext ? { derivedKeys: cache.derivedKeys(universe, req, assembled) } : {}),
        });
        assert.equal(cached.decision.decision, plain.decision.decision);
        assert.deepEqual(cached.decision.matchedStatements, plain.decision.matchedStatements);
        assert.deepEqual(cached.decision.missingContextValues, plain.decision.missingContextValues);
        assert.deepEqual([...cached.context], [...plain.context]);
        assert.deepEqual([...cached.sources.keys()], [...plain.sources.keys()]);
      }
      assert.ok(cache.size <= 4, 'the cache stays within its bound');
    }),
    { numRuns: 60 },
  );
});

test('AssemblyCache: another universe (a reloaded model) starts over', () => {
  const cache = new AssemblyCache();
  const req = { principal: PRINCIPALS[0]!, action: 's3:GetObject', resource: '*' };
  const a = cache.get(universe, req);
  assert.equal(cache.get(universe, req), a);
  const reloaded = load();
  assert.notEqual(cache.get(reloaded, req), a);
  assert.equal(cache.size, 1);
});
