/**
 * Batches on worker threads (issue 12): the same output, line for line and in order, as the single-threaded path,
 * with bad and empty lines kept in place; a failing worker loses no line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { fakeIo, runCommand } from '../../../test/support/cli.js';
import { BatchPool, runChunk } from './pool.js';
import { processLine } from './line.js';
import { LineChunker } from './chunks.js';
import { main } from '../../cli/main.js';
import { simulateCommand } from '../../cli/simulate.js';
import { batchOutput, batchRun } from './run-support.test.js';

const policy = readFileSync(fileURLToPath(new URL('../../../../examples/policies/notebook-job-permissions.json', import.meta.url)), 'utf8');

function line(i: number): string {
  if (i % 701 === 3) return '{"not json';
  if (i % 997 === 11) return '';
  return JSON.stringify({
    PolicyInputList: [i % 5 === 0 ? policy.replace('sagemaker.amazonaws.com', `sagemaker.amazonaws.com","svc${i}.amazonaws.com`) : policy],
    ActionNames: [i % 3 ? 'sagemaker:CreateTrainingJob' : 'iam:PassRole'],
    ResourceArns: [i % 3 ? `arn:aws:sagemaker:us-east-1:111122223333:training-job/j${i}` : 'arn:aws:iam::111122223333:role/Job'],
    ContextEntries: [
      { ContextKeyName: 'iam:PassedToService', ContextKeyValues: [i % 2 ? 'sagemaker.amazonaws.com' : 'lambda.amazonaws.com'], ContextKeyType: 'string' },
    ],
  });
}

test('a batch on two worker threads prints exactly what one thread prints, in input order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-pool-'));
  try {
    const file = join(dir, 'batch.jsonl');
    const n = 6000; // more than the lines decided before workers start
    writeFileSync(file, `${Array.from({ length: n }, (_, i) => line(i)).join('\n')}\n`);
    const one = await runCommand(simulateCommand, ['--input', file, '--threads', '1']);
    // The command line decides when workers pay off (this small file: never); here they decide every chunk.
    const cli = await runCommand(simulateCommand, ['--input', file, '--threads', '2']);
    const { out: two, stats } = await batchRun(file, 2);
    const three = await batchOutput(file, 3);
    // Every line was decided by the worker: this test cannot pass on the reading thread alone.
    assert.equal(stats.workerLines, n);
    assert.equal(one.code, 0);
    assert.equal(cli.code, 0);
    assert.equal(cli.out, one.out);
    const outLines = two.split('\n');
    assert.equal(outLines.length, n + 1);
    assert.equal(two, one.out);
    assert.equal(three, one.out);
    assert.match(outLines[3] ?? '', /"Error"/);
    assert.match(outLines[11] ?? '', /empty line/);
    assert.match(outLines[5999] ?? '', /EvaluationResults/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad, empty, CRLF, byte-order-marked, non-UTF-8 and very long lines: threads and stdin print what one thread prints', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-pool-'));
  try {
    const file = join(dir, 'awkward.jsonl');
    const long = line(1).replace('"ActionNames"', `"_padding":"${'p'.repeat(300_000)}","ActionNames"`);
    const parts: Buffer[] = [Buffer.from('\uFEFF')];
    for (let i = 0; i < 5000; i++) {
      if (i === 4500) parts.push(Buffer.from(long));
      else if (i % 400 === 7) parts.push(Buffer.from(`{"ActionNames":["s3:GetObject\xff"],"PolicyInputList":[]}`, 'latin1'));
      else if (i % 300 === 5) parts.push(Buffer.from('   '));
      else parts.push(Buffer.from(line(i)));
      parts.push(Buffer.from(i % 3 === 0 ? '\r\n' : '\n'));
    }
    parts.push(Buffer.from(line(5000)));
    const input = Buffer.concat(parts);
    writeFileSync(file, input);
    const one = await runCommand(simulateCommand, ['--input', file, '--threads', '1']);
    const two = { out: await batchOutput(file, 2) };
    const twoStdin = await batchOutput(input, 2);
    const f = fakeIo();
    // Standard input in one large buffer: the chunker still cuts it into chunks for the workers.
    assert.equal(await simulateCommand(['--input', '-', '--threads', '2'], { ...f.io, stdin: Readable.from([input]) }), 0);
    assert.equal(one.code, 0);
    const outLines = one.out.split('\n');
    assert.equal(outLines.length, 5002);
    assert.match(outLines[0] ?? '', /EvaluationResults/);
    assert.match(outLines[4500] ?? '', /EvaluationResults/);
    assert.match(outLines[5] ?? '', /empty line/);
    assert.match(outLines[7] ?? '', /\\ufffd|\uFFFD|"Error"/);
    assert.equal(two.out, one.out);
    assert.equal(twoStdin, one.out);
    assert.equal(f.out(), one.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--threads takes an integer from 1 to 64', async () => {
  const r = await runCommand(main, ['simulate', '--input', '-', '--threads', '0']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--threads must be an integer from 1 to 64/);
});

test('a worker that fails hands its chunks back: every line is still decided, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-pool-'));
  try {
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('worker cannot start');\n");
    const opts = { baseDir: dir, lenient: false, explain: false };
    const pool = new BatchPool(2, opts, broken);
    const chunker = new LineChunker(2000);
    const jobs = chunker.push(Buffer.from(`${Array.from({ length: 30 }, (_, i) => line(i)).join('\n')}\n`));
    assert.ok(jobs.length >= 3);
    const results = await Promise.all(jobs.map((j) => pool.run(j)));
    await pool.close();
    const text = (rs: readonly { out: Uint8Array }[]): string => rs.map((r) => Buffer.from(r.out).toString('utf8')).join('');
    assert.equal(text(results), text(jobs.map((j) => runChunk(j, opts))));
    assert.equal(text(results).split('\n').length, 31);
    assert.deepEqual(
      results.map((r) => r.errors),
      jobs.map((j) => runChunk(j, opts).errors),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lines whose shared beginning holds policy objects (kept frozen) print what lines read whole print', () => {
  const doc = JSON.parse(policy) as unknown;
  const lines = Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({
      PolicyInputList: [doc],
      PermissionsBoundaryPolicyInputList: [doc],
      ActionNames: ['sagemaker:CreateTrainingJob', 'iam:PassRole'],
      ResourceArns: [`arn:aws:sagemaker:us-east-1:111122223333:training-job/j${i}`],
    }),
  );
  const opts = { baseDir: tmpdir(), lenient: false, explain: true };
  const chunker = new LineChunker(1 << 20);
  assert.deepEqual(chunker.push(Buffer.from(`${lines.join('\n')}\n`)), []);
  const chunk = chunker.end();
  assert.ok(chunk !== undefined);
  const whole = lines.map((l, i) => `${processLine(l, i + 1, opts).out}\n`).join('');
  assert.equal(Buffer.from(runChunk(chunk, opts).out).toString('utf8'), whole);
});
