/**
 * `iamsim audit --db postgres://… --queue` with `iamsim worker` processes:
 * the report equals the single-process one (same JSON but for the timing
 * stats), with three workers, after a worker is killed (SIGKILL) holding a
 * partition — the partition is retried on another worker and its result is
 * stored once. Needs PostgreSQL (IAMSIM_TEST_PG_URL; see account/pg/test-support).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { accountCommand } from './account.js';
import { auditCommand } from './audit.js';
import { runCommand } from '../../test/support/cli.js';
import { createPgTestDatabase, pgServerUrl, PG_SKIP_MESSAGE, type PgTestDatabase } from '../account/pg/test-support.test.js';

const BIN = fileURLToPath(new URL('../../../bin/iamsim.js', import.meta.url));
const VULN = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));
const AT = '2026-01-01T00:00:00Z';
const server = pgServerUrl();
const dbs: PgTestDatabase[] = [];
const workers: ChildProcess[] = [];
after(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  for (const d of dbs) await d.drop();
});

interface Worker {
  readonly child: ChildProcess;
  /** Its stderr so far. */
  readonly log: () => string;
}

function worker(url: string): Worker {
  const child = spawn(process.execPath, [BIN, 'worker', '--db', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  workers.push(child);
  let text = '';
  child.stderr?.on('data', (b: Buffer) => {
    text += b.toString();
  });
  return { child, log: () => text };
}

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The JSON report without its timing and counting stats (those differ between runs). */
function report(stdout: string): unknown {
  const { stats, ...rest } = JSON.parse(stdout) as { stats: { principals: number } };
  return { ...rest, principals: stats.principals };
}

async function stop(w: Worker): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGTERM');
  await once(w.child, 'exit');
}

test('audit --queue: three workers, one killed holding a partition, give the single-process report', {
  skip: server === undefined && PG_SKIP_MESSAGE,
}, async () => {
  const db = await createPgTestDatabase(server as string);
  dbs.push(db);
  const imported = await runCommand(accountCommand, ['import', '--db', db.url, VULN]);
  assert.equal(imported.code, 0, imported.err);
  const single = await runCommand(auditCommand, ['--db', db.url, '--format', 'json', '--at', AT]);
  assert.ok(single.code === 0 || single.code === 1, single.err);

  const first = worker(db.url);
  const queued = runCommand(auditCommand, [
    '--db',
    db.url,
    '--queue',
    '--partition-size',
    '12',
    '--path-partition-size',
    '30',
    '--job-timeout',
    '8',
    '--format',
    'json',
    '--at',
    AT,
  ]);
  await until('the first worker to take a partition', () => first.log().includes('took partition'));
  first.child.kill('SIGKILL');
  await once(first.child, 'exit');
  const killed = /took partition (\S+)/.exec(first.log())?.[1] ?? '';
  assert.ok(!first.log().includes('stored partition'), 'the killed worker stored nothing');
  const others = [worker(db.url), worker(db.url), worker(db.url)];
  const done = await queued;
  assert.equal(done.code, single.code, done.err);
  assert.deepEqual(report(done.out), report(single.out));
  // The killed worker's partition was run again, by another worker, and stored once (results are keyed by run and partition).
  assert.ok(
    others.some((w) => w.log().includes(`stored partition ${killed} `)),
    others.map((w) => w.log()).join('\n'),
  );
  const working = others.filter((w) => w.log().includes('stored partition')).length;
  assert.ok(working >= 2, `partitions ran on ${working} of the three workers`);
  // The path search ran on the workers too, in path partitions of 30 principals (122 principals: 5 of them).
  const pathsStored = others.flatMap((w) => w.log().match(/stored partition paths\/\d+ /g) ?? []);
  assert.equal(new Set(pathsStored).size, 5, others.map((w) => w.log()).join('\n'));
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const retried = await c.query("SELECT count(*)::int AS n FROM iamsim_queue.job WHERE name = 'iamsim-audit-partition' AND retry_count > 0");
    assert.ok((retried.rows[0] as { n: number }).n >= 1, 'the killed partition was retried');
    const left = await c.query('SELECT count(*)::int AS n FROM iamsim_audit.results');
    assert.equal((left.rows[0] as { n: number }).n, 0, 'a finished audit leaves no results behind');
  } finally {
    await c.end();
  }
  await Promise.all(others.map(stop));
});

test('audit --queue: clear usage errors', async () => {
  const r = await runCommand(auditCommand, ['--account', VULN, '--queue']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--queue needs --db postgres/);
  const t = await runCommand(auditCommand, ['--account', VULN, '--job-timeout', '5']);
  assert.equal(t.code, 2);
  assert.match(t.err, /--job-timeout goes with --queue/);
  const p = await runCommand(auditCommand, ['--account', VULN, '--partition-size', '0']);
  assert.equal(p.code, 2);
  assert.match(p.err, /--partition-size must be a whole number/);
  const q = await runCommand(auditCommand, ['--account', VULN, '--path-partition-size', '1.5']);
  assert.equal(q.code, 2);
  assert.match(q.err, /--path-partition-size must be a whole number/);
});
