/**
 * The decision log buffers lines and hands them to the file in batches, in
 * order, rotating by size at line boundaries; close() (graceful shutdown)
 * writes every line written before it, and a failing sink is reported, not
 * thrown into requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DecisionLog, type DecisionRecord, type LogSink } from './decision-log.js';

const record = (i: number, pad = ''): DecisionRecord => ({
  requestId: `r${i}`,
  time: '2026-01-01T00:00:00.000Z',
  api: 'authorize',
  principal: `arn:aws:iam::111122223333:role/R${pad}`,
  action: 's3:GetObject',
  resource: '*',
  decision: 'allowed',
  decidedBy: ['p#0'],
  latencyMs: 0.1,
});

function readAll(path: string, keep: number): string[] {
  const files = [...Array.from({ length: keep }, (_, i) => `${path}.${keep - i}`), path].filter((f) => existsSync(f));
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l !== ''),
  );
}

test('decision log: nothing is lost on close, lines keep their order, writes are batched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-dlog-'));
  const path = join(dir, 'd.jsonl');
  const log = new DecisionLog({ path });
  for (let i = 0; i < 1000; i++) log.write(record(i));
  assert.equal(readFileSync(path, 'utf8'), '', 'a request never waits for the disk: nothing is written synchronously');
  await log.close();
  const lines = readAll(path, 5).map((l) => (JSON.parse(l) as DecisionRecord).requestId);
  assert.deepEqual(
    lines,
    Array.from({ length: 1000 }, (_, i) => `r${i}`),
  );
  assert.throws(() => log.write(record(0)), /closed/);
});

test('decision log: batches go to the sink one at a time, once per event-loop turn', async () => {
  const batches: number[] = [];
  let active = 0;
  const sink: LogSink = {
    append: async (lines) => {
      active++;
      assert.equal(active, 1, 'batches never overlap');
      await new Promise((r) => setTimeout(r, 5));
      batches.push(lines.length);
      active--;
    },
    close: async () => undefined,
  };
  const log = new DecisionLog(sink);
  for (let i = 0; i < 10; i++) log.write(record(i));
  await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 5; i++) log.write(record(i));
  await log.close();
  assert.deepEqual(batches, [10, 5]);
});

test('decision log: a failing sink is reported and the log goes on', async () => {
  const errors: string[] = [];
  let fail = true;
  const written: string[] = [];
  const sink: LogSink = {
    append: async (lines) => {
      if (fail) {
        fail = false;
        throw new Error('disk full');
      }
      written.push(...lines);
    },
    close: async () => undefined,
  };
  const log = new DecisionLog(sink, (e) => errors.push(String(e)));
  log.write(record(1));
  await log.flush();
  log.write(record(2));
  await log.close();
  assert.deepEqual(errors, ['Error: disk full']);
  assert.equal(written.length, 1);
});

test('decision log: rotation by size at line boundaries keeps every line of the last files (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat({ max: 200 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 200, max: 2000 }), async (pads, maxBytes) => {
      const dir = mkdtempSync(join(tmpdir(), 'iamsim-dlog-rot-'));
      const path = join(dir, 'd.jsonl');
      const keep = 100;
      const log = new DecisionLog({ path, maxBytes, keep });
      pads.forEach((p, i) => {
        log.write(record(i, 'x'.repeat(p)));
        if (i % 7 === 0) void log.flush();
      });
      await log.close();
      const ids = readAll(path, keep).map((l) => (JSON.parse(l) as DecisionRecord).requestId);
      assert.deepEqual(
        ids,
        pads.map((_, i) => `r${i}`),
      );
      for (let n = 1; n <= keep; n++) {
        const f = `${path}.${n}`;
        if (!existsSync(f)) break;
        const size = readFileSync(f).length;
        const lines = readFileSync(f, 'utf8').split('\n').length - 1;
        assert.ok(size <= maxBytes || lines === 1, `${f}: ${size} bytes in ${lines} lines over ${maxBytes}`);
      }
    }),
    { numRuns: 30 },
  );
});
