/** End-to-end: `iamsim compare` (policies and policy sets) and `iamsim discover`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { fakeIo } from '../../test/support/cli.js';
import type { CompareResult } from '../reason/compare.js';
import type { DiscoveryResult } from '../reason/discover.js';
import { simulateDecision } from '../reason/test-support.test.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const policy = (name: string): string => join(root, 'examples/policies', name);
const dir = mkdtempSync(join(tmpdir(), 'iamsim-compare-'));
const write = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
};
const doc = (...Statement: unknown[]): { Version: string; Statement: unknown[] } => ({ Version: '2012-10-17', Statement });

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await main(argv, io.io);
  return { code, out: io.out(), err: io.err() };
}

test('compare: the broad execution role allows more than the scoped one', async () => {
  const r = await run(['compare', policy('training-job-scoped.json'), policy('training-job-broad.json')]);
  assert.equal(r.code, 1, r.err);
  const body = JSON.parse(r.out) as CompareResult;
  assert.equal(body.relation, 'B allows more');
  assert.equal(body.aAllowsMore.result, 'PASS');
  assert.equal(body.bAllowsMore.result, 'FAIL');
  assert.ok(body.addedByB.length > 0);
  const broad = JSON.stringify(
    doc(...(JSON.parse((await import('node:fs')).readFileSync(policy('training-job-broad.json'), 'utf8')) as { Statement: unknown[] }).Statement),
  );
  assert.equal(simulateDecision(body.bAllowsMore.counterexample!, broad, false), 'allowed');
  const same = await run(['compare', policy('training-job-broad.json'), `file://${policy('training-job-broad.json')}`, '--format', 'text']);
  assert.equal(same.code, 0, same.err);
  assert.match(same.out, /^relation: equivalent/);
});

test('compare: an SCP change that takes access away from a role (policy sets)', async () => {
  const role = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
  const full = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
  const denyDelete = doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' });
  const before = write('before.json', {
    PolicyInputList: [JSON.stringify(role)],
    ServiceControlPolicyInputList: [[JSON.stringify(full)], [JSON.stringify(full)]],
  });
  const after = write('after.json', {
    PolicyInputList: [JSON.stringify(role)],
    ServiceControlPolicyInputList: [[JSON.stringify(full)], [JSON.stringify(denyDelete)]],
  });
  const r = await run(['compare', before, after]);
  assert.equal(r.code, 1, r.err);
  const body = JSON.parse(r.out) as CompareResult;
  assert.equal(body.relation, 'A allows more');
  assert.deepEqual(body.aAllowsMore.counterexample?.ActionNames, ['s3:DeleteBucket']);
});

test('compare: bad input exits 2 with the side named', async () => {
  const r = await run(['compare', write('bad.json', { Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] }), policy('training-job-broad.json')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^iamsim compare: A: .*bad\.json:\d+:\d+: error /);
  assert.equal((await run(['compare', policy('training-job-broad.json')])).code, 2);
});

test('discover: the tags an untagged MLSpace CreateEndpoint needs', async () => {
  const input = write('endpoint.json', {
    PolicyInputList: [`file://${policy('mlspace-notebook-policy.json')}`],
    ActionNames: ['sagemaker:CreateEndpoint'],
    ResourceArns: ['arn:aws:sagemaker:us-east-1:012345678910:endpoint/demo'],
  });
  const r = await run(['discover', '--input', input]);
  assert.equal(r.code, 0, r.err);
  const [res] = (JSON.parse(r.out) as { results: DiscoveryResult[] }).results;
  assert.equal(res?.decisionAsGiven, 'implicitDeny');
  const conditions = res?.allowedWhen[0]?.conditions.join('\n') ?? '';
  assert.match(conditions, /aws:RequestTag\/system: StringEqualsIgnoreCase "MLSpace" holds/);
  assert.match(conditions, /aws:RequestTag\/user: Null "false" holds/);
});

test('discover: some or every resource under a wildcard', async () => {
  const p = JSON.stringify(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/public/*' }));
  const ask = async (resource: string): Promise<DiscoveryResult> => {
    const r = await run(['discover', '--input', write('w.json', { PolicyInputList: [p], ActionNames: ['s3:GetObject'], ResourceArns: [resource] })]);
    return (JSON.parse(r.out) as { results: DiscoveryResult[] }).results[0]!;
  };
  const some = await ask('arn:aws:s3:::b/*');
  assert.equal(some.someResource, true);
  assert.equal(some.everyResource, false);
  const every = await ask('arn:aws:s3:::b/public/*');
  assert.equal(every.everyResource, true);
  const none = await ask('arn:aws:s3:::c/*');
  assert.equal(none.someResource, false);
});

test('comments and trailing commas: one line per document, as lint prints; strict mode names --lenient', async () => {
  const jsonc = join(fileURLToPath(new URL('../../../', import.meta.url)), 'examples/policies/mlspace-notebook-policy.jsonc');
  const strict = await run([
    'check-no-new-access',
    '--existing-policy-document',
    `file://${jsonc}`,
    '--new-policy-document',
    `file://${jsonc}`,
    '--policy-type',
    'IDENTITY_POLICY',
  ]);
  assert.equal(strict.code, 2, strict.err);
  const lines = strict.err.split('\n').filter((l) => /JSON_(COMMENT|TRAILING_COMMA)/.test(l));
  assert.equal(lines.length, 1, strict.err);
  assert.match(lines[0] ?? '', /Not strict JSON: 10 comments and 3 trailing commas \(first here\).*--lenient/);
  const lenient = await run(['compare', '--lenient', jsonc, jsonc, '--format', 'text']);
  assert.equal(lenient.code, 0, lenient.err);
  assert.deepEqual(
    lenient.err
      .split('\n')
      .filter((l) => l.includes('LENIENT_'))
      .map((l) => l.slice(0, 2)),
    ['A:', 'B:'],
  );
});
