/**
 * Batch guarantees beyond the pool's own tests (issue 23): policies repeated in any order and position decide as
 * when read alone; `--format text` keeps one line per input line with the JSON's decisions; a slow reader of the
 * output slows the reading of the input (constant memory), and nothing is lost or reordered.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { runCommand } from '../../../test/support/cli.js';
import { simulateCommand } from '../../cli/simulate.js';
import { processLine } from './line.js';
import { runBatch } from './index.js';
import { batchOutput } from './run-support.test.js';

const ACCT = '111122223333';
const POLICIES = Array.from({ length: 6 }, (_, k) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: `Read${k}`, Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::bucket-${k}`, `arn:aws:s3:::bucket-${k}/*`] },
      {
        Effect: k % 2 ? 'Deny' : 'Allow',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::bucket-${(k + 1) % 6}/*`,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  }),
);

/** Line i: 1–6 of the policies in an order that changes from line to line, keys in varying order, now and then a bad line. */
function line(i: number): string {
  if (i % 97 === 13) return '{"ActionNames": [';
  if (i % 89 === 7) return '';
  const chosen = POLICIES.map((_, k) => (k * 7 + i) % 6).slice(0, 1 + (i % 6));
  const members: [string, unknown][] = [
    ['PolicyInputList', chosen.map((k) => POLICIES[k])],
    ['ActionNames', i % 3 ? ['s3:GetObject', 's3:PutObject'] : ['s3:ListBucket']],
    ['ResourceArns', [`arn:aws:s3:::bucket-${i % 6}/k${i}`, `arn:aws:s3:::bucket-${(i + 1) % 6}/k`]],
    ['ContextEntries', [{ ContextKeyName: 'aws:SecureTransport', ContextKeyValues: [i % 4 ? 'true' : 'false'], ContextKeyType: 'boolean' }]],
    ['CallerArn', `arn:aws:iam::${ACCT}:user/u${i % 3}`],
  ];
  return JSON.stringify(Object.fromEntries(i % 2 ? members.reverse() : members));
}

test('policies repeated in any order and position: every line decides as it does read alone, on 1 and 2 threads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-batch-'));
  try {
    const n = 5000;
    const lines = Array.from({ length: n }, (_, i) => line(i));
    const file = join(dir, 'orders.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const one = await runCommand(simulateCommand, ['--input', file, '--threads', '1']);
    const two = await batchOutput(file, 2);
    assert.equal(one.code, 0);
    assert.equal(two, one.out);
    const out = one.out.split('\n');
    assert.equal(out.length, n + 1);
    // Each line alone, without any cache shared with other lines.
    const opts = { baseDir: dir, lenient: false, explain: false };
    for (let i = 0; i < n; i += 37) assert.equal(out[i], processLine(lines[i] as string, i + 1, opts).out, `line ${i + 1}`);
    assert.match(out[13] ?? '', /"Error".*not valid JSON/);
    assert.match(out[7] ?? '', /empty line/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--format text: one line per input line, the decisions of the JSON output, the same on 1 and 2 threads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-batch-'));
  try {
    const n = 4500;
    const file = join(dir, 'text.jsonl');
    writeFileSync(file, `${Array.from({ length: n }, (_, i) => line(i)).join('\r\n')}`);
    const json = await runCommand(simulateCommand, ['--input', file, '--threads', '1']);
    const one = await runCommand(simulateCommand, ['--input', file, '--threads', '1', '--format', 'text']);
    const two = await batchOutput(file, 2, { format: 'text' });
    assert.equal(two, one.out);
    const texts = one.out.split('\n');
    const jsons = json.out.split('\n');
    assert.equal(texts.length, n + 1);
    assert.equal(jsons.length, n + 1);
    const LABEL: Record<string, string> = { allowed: 'ALLOWED', explicitDeny: 'DENIED (explicit deny)', implicitDeny: 'DENIED (implicit deny)' };
    for (let i = 0; i < n; i++) {
      const t = texts[i] as string;
      assert.ok(t.startsWith(`line ${i + 1}`), t);
      const r = JSON.parse(jsons[i] as string) as {
        Error?: { Code: string };
        EvaluationResults?: { EvalActionName: string; ResourceSpecificResults: { EvalResourceName: string; EvalResourceDecision: string }[] }[];
      };
      if (r.Error !== undefined) {
        assert.ok(t.endsWith(`(error ${r.Error.Code})`), t);
        continue;
      }
      const want = (r.EvaluationResults ?? []).flatMap((e) =>
        e.ResourceSpecificResults.map((x) => `${e.EvalActionName} on ${x.EvalResourceName}: ${LABEL[x.EvalResourceDecision]}`),
      );
      const got = t
        .slice(`line ${i + 1}: `.length)
        .split('; ')
        .map((p) => p.replace(/ by .*$| \[missing context.*$/, ''));
      assert.deepEqual(got, want, t);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a slow reader of the output slows the reading of the input: bounded lead, every line in order', async () => {
  const n = 3000;
  let produced = 0;
  let written = 0;
  let maxLead = 0;
  let maxBuffered = 0;
  let largestWrite = 0;
  const input = Readable.from(
    (function* () {
      for (let i = 0; i < n; i++) {
        produced++;
        yield Buffer.from(`${line(i)}\n`);
      }
    })(),
  );
  let text = '';
  const highWaterMark = 16 * 1024;
  const stdout = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, done) {
      largestWrite = Math.max(largestWrite, chunk.length);
      text += chunk.toString('utf8');
      written = text.split('\n').length - 1;
      maxLead = Math.max(maxLead, produced - written);
      setTimeout(done, 15);
    },
  });
  const origWrite = stdout.write.bind(stdout);
  stdout.write = ((chunk: Uint8Array) => {
    const ok = origWrite(chunk);
    maxBuffered = Math.max(maxBuffered, stdout.writableLength);
    return ok;
  }) as typeof stdout.write;
  const stderr = new Writable({ write: (_c, _e, done) => done() });
  const stats = await runBatch(input, { stdout, stderr }, { baseDir: tmpdir(), lenient: false, explain: false, progress: false, threads: 1 });
  await new Promise<void>((resolve) => stdout.end(resolve));
  assert.equal(stats.lines, n);
  const out = text.split('\n');
  assert.equal(out.length, n + 1);
  for (let i = 0; i < n; i += 101) assert.equal(out[i], processLine(line(i), i + 1, { baseDir: tmpdir(), lenient: false, explain: false }).out);
  // Several chunks were written, one at a time: never more than one chunk's output waits in the stream.
  assert.ok(largestWrite < text.length / 3, `${largestWrite} of ${text.length}`);
  assert.ok(maxBuffered <= largestWrite + highWaterMark, `${maxBuffered} buffered`);
  // The input ran ahead of the output by at most a chunk or two of lines, never the whole batch.
  assert.ok(maxLead < n / 2, `lead ${maxLead} of ${n}`);
});
