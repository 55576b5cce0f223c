/**
 * Issue 11, "Lost work and crashes" / "Messages": every reader bounds nesting depth
 * and size (one bad batch line gets its own Error line; no "Maximum call stack size
 * exceeded" anywhere), UTF-16 input is named, and a byte order mark is accepted
 * everywhere. End to end through the `iamsim` command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { runCommand } from '../../test/support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'iamsim-readers-'));
const file = (name: string, content: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const iamsim = (argv: readonly string[], stdin = ''): ReturnType<typeof runCommand> => runCommand((a, io) => main(a, io), argv, stdin);

const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const deepPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"a:b":${DEEP}}}}]}`;
const REQUEST = JSON.stringify({ PolicyInputList: [POLICY], ActionNames: ['s3:GetObject'] });

test('issue 11: a deeply nested batch line gets its own Error line; the other lines are answered', async () => {
  const deepLine = `{"PolicyInputList":[${deepPolicy}],"ActionNames":["s3:GetObject"]}`;
  const r = await iamsim(['simulate', '--input', '-'], `${REQUEST}\n${deepLine}\n${REQUEST}\n`);
  assert.equal(r.code, 0, r.err);
  const lines = r.out
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 3);
  assert.ok(lines[0]!['EvaluationResults']);
  assert.match(JSON.stringify(lines[1]!['Error']), /line 2.*nests deeper than 64/);
  assert.ok(lines[2]!['EvaluationResults']);
});

test('issue 11: deep nesting in lint, simulate, account import and preflight is reported, never a stack overflow', async () => {
  const policy = file('deep.json', deepPolicy);
  const request = file('deep-request.json', `{"PolicyInputList":[${deepPolicy}],"ActionNames":["s3:GetObject"]}`);
  const account = file('deep-account.json', `{"RoleDetailList":${DEEP}}`);
  // lint reads the document and reports it as an ERROR finding (exit 1), like any policy IAM would refuse.
  const lint = await iamsim(['lint', policy]);
  assert.equal(lint.code, 1, lint.err);
  assert.match(lint.out, /JSON_SYNTAX_ERROR Policy not read: the input nests deeper than 64/);
  const runs = [
    ['simulate', '--input', request],
    ['account', 'import', account, '--db', join(dir, 'deep.db')],
    ['preflight', 'notebook-job', '--account', account],
  ];
  for (const argv of runs) {
    const r = await iamsim(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, /nests deeper than 64/, argv.join(' '));
    assert.doesNotMatch(r.err, /call stack|at .*\.js:\d+/, argv.join(' '));
  }
});

test('issue 11: UTF-16 input is named; a UTF-8 byte order mark is accepted by every reader', async () => {
  const utf16 = file('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POLICY, 'utf16le')]));
  for (const argv of [
    ['lint', utf16],
    ['simulate', '--input', utf16],
    ['account', 'import', utf16, '--db', join(dir, 'u16.db')],
  ]) {
    const r = await iamsim(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, /this file is UTF-16; save it as UTF-8/, argv.join(' '));
  }
  const bomRequest = file('bom-request.json', `\ufeff${REQUEST}`);
  const r = await iamsim(['simulate', '--input', bomRequest]);
  assert.equal(r.code, 0, r.err);
  const bomPolicy = file('bom-policy.json', `\ufeff${POLICY}`);
  const viaFile = file('bom-ref.json', JSON.stringify({ PolicyInputList: [`file://${bomPolicy}`], ActionNames: ['s3:GetObject'] }));
  const r2 = await iamsim(['simulate', '--input', viaFile]);
  assert.equal(r2.code, 0, r2.err);
  assert.equal(JSON.parse(r2.out).EvaluationResults[0].EvalDecision, 'allowed');
  const batch = await iamsim(['simulate', '--input', '-'], `\ufeff${REQUEST}\n`);
  assert.ok(JSON.parse(batch.out.trim()).EvaluationResults, batch.out);
});
