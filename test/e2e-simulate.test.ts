/**
 * End to end: the built `iamsim` binary (bin/iamsim.js) run as a child
 * process on the examples, compared with committed expected output
 * (test/e2e/; rewrite with UPDATE_GOLDENS=1 after an intended change).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectGolden } from './support/golden.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/iamsim.js`;
const EXPECTED = new URL('../../test/e2e/', import.meta.url);

function iamsim(args: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    env: { ...process.env, IAMSIM_DEBUG: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Result {
  readonly EvalActionName: string;
  readonly EvalResourceName: string;
  readonly EvalDecision: string;
  readonly ResourceSpecificResults?: readonly { readonly EvalResourceName: string; readonly EvalResourceDecision: string }[];
}

/** The decisions of a response, without positions and explanations. */
function decisions(response: { EvaluationResults: readonly Result[] }): string[] {
  return response.EvaluationResults.flatMap((r) => [
    `${r.EvalActionName} ${r.EvalResourceName} ${r.EvalDecision}`,
    ...(r.ResourceSpecificResults ?? []).map((x) => `  ${x.EvalResourceName} ${x.EvalResourceDecision}`),
  ]);
}

test('simulate --input FILE (JSON): AWS response shape, exit 0', () => {
  const r = iamsim(['simulate', '--input', 'examples/simulate/scp-region-deny.json', '--no-explain']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  expectGolden(new URL('simulate-scp-region-deny.json', EXPECTED), r.stdout);
});

test('simulate --input FILE --format text', () => {
  const r = iamsim(['simulate', '--input', 'examples/simulate/mlspace-bedrock-on-sagemaker-arn.json', '--format', 'text']);
  assert.equal(r.status, 0, r.stderr);
  expectGolden(new URL('simulate-mlspace-bedrock-on-sagemaker-arn.txt', EXPECTED), r.stdout);
});

test('simulate --format text says why: each condition of the deciding Deny, whether it held and with which request value', () => {
  const r = iamsim(['simulate', '--input', 'examples/simulate/mlspace-create-untagged-endpoint-config.json', '--format', 'text']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0] ?? '', /: DENIED \(explicit deny\)$/);
  assert.ok(lines.includes('          its 3 conditions are AND-ed; all held:'), r.stdout);
  const held = lines.filter((l) => l.trimStart().startsWith('held: '));
  assert.deepEqual(
    held.map((l) => /held: (\S+ \S+):/.exec(l)?.[1]),
    ['Null aws:RequestTag/user', 'Null aws:RequestTag/project', 'StringNotEqualsIgnoreCase aws:RequestTag/system'],
  );
  assert.match(held[0] ?? '', /key is absent .* \(examples\/policies\/mlspace-notebook-policy\.json:196:21\)$/);
  assert.match(held[2] ?? '', /a negated operator matches an absent key → match/);
  // A request value, when there is one: iam:PassedToService in the Studio PassRole example.
  const passRole = iamsim(['simulate', '--input', 'examples/simulate/studio-passrole-to-sagemaker.json', '--format', 'text']);
  assert.match(passRole.stdout, /held: StringLike iam:PassedToService: request "sagemaker\.amazonaws\.com"/);
});

test('simulate --format text with several resources: each resource has its own decision and deciding statements', () => {
  const r = iamsim(['simulate', '--input', 'examples/simulate/mlspace-bedrock-on-sagemaker-arn.json', '--format', 'text']);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'bedrock:InvokeModel on 2 resources: 1 of 2 ALLOWED (EvalDecision implicitDeny: the most restrictive)');
  assert.doesNotMatch(r.stdout, /^bedrock:InvokeModel on \*: DENIED/m);
  const denied = lines.indexOf('  arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0: DENIED (implicit deny)');
  const allowed = lines.indexOf('  arn:aws:sagemaker:us-east-1:012345678910:endpoint/demo-endpoint: ALLOWED');
  assert.ok(denied > 0 && allowed > denied, r.stdout);
  // The Allow is listed under the resource it allows, not under the denied one.
  const deciding = lines.findIndex((l) => l.includes('Allow statement #15 in PolicyInputList.1'));
  assert.ok(deciding > allowed, r.stdout);
});

test('simulate --input batch.jsonl: one JSON line per request, in order', () => {
  const r = iamsim(['simulate', '--input', 'examples/simulate/batch.jsonl']);
  assert.equal(r.status, 0, r.stderr);
  expectGolden(new URL('simulate-batch.jsonl', EXPECTED), r.stdout);
});

test('the batch decides each request as the single-file run of the same example does', () => {
  const lines = readFileSync(`${ROOT}examples/simulate/batch.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const out = iamsim(['simulate', '--input', 'examples/simulate/batch.jsonl']).stdout.trimEnd().split('\n');
  assert.equal(out.length, lines.length);
  lines.forEach((line, i) => {
    const name = /^([a-z0-9-]+):/.exec((JSON.parse(line) as { _comment: string })._comment)?.[1];
    assert.ok(name, `batch line ${i + 1} names its example`);
    const single = iamsim(['simulate', '--input', `examples/simulate/${name}.json`, '--no-explain']);
    assert.equal(single.status, 0, single.stderr);
    assert.deepEqual(decisions(JSON.parse(out[i] ?? '{}')), decisions(JSON.parse(single.stdout)), name);
  });
});

test('simulate --input - (JSON Lines on stdin): a bad line gets its own Error line and the batch goes on', () => {
  const good = readFileSync(`${ROOT}examples/simulate/batch.jsonl`, 'utf8').split('\n')[0] ?? '';
  const r = iamsim(['simulate', '--input', '-'], `${good}\nnot json\n{"Unknown":1}\n${good}\n`);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { Error?: { Code: string }; EvaluationResults?: Result[] });
  assert.equal(out.length, 4);
  assert.equal(out[0]?.EvaluationResults?.[0]?.EvalDecision, 'allowed');
  assert.equal(out[1]?.Error?.Code, 'InvalidInput');
  assert.equal(out[2]?.Error?.Code, 'InvalidInput');
  assert.deepEqual(out[3], out[0]);
});

test('simulate: a missing input file is bad input (exit 2, one line, no stack trace)', () => {
  const r = iamsim(['simulate', '--input', 'examples/simulate/no-such-file.json']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
});
