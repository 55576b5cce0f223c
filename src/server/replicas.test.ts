/**
 * Two `iamsim serve` replicas (child processes) over one PostgreSQL database:
 * a write committed by one process (an import, or PutRolePolicy through
 * replica A with the AWS SDK) is served by both within a second (the figure
 * is printed); a writer killed in the middle of a large import, and a
 * replica killed with it, change nothing the surviving replica serves; the
 * next successful import is served by it, and by the restarted replica.
 * The model is probed through the decision API (POST /v1/authorize) and
 * /readyz's modelVersion.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { openAsyncStore } from '../account/open-store.js';
import { importFilesAsync } from '../account/import/index.js';
import { createPgTestDatabase, pgServerUrl, PG_SKIP_MESSAGE, withParams } from '../account/pg/test-support.test.js';
import type { PgTestDatabase } from '../account/pg/test-support.test.js';

const BIN = fileURLToPath(new URL('../../../bin/iamsim.js', import.meta.url));
const ACCOUNT = '123456789012';
const READER = `arn:aws:iam::${ACCOUNT}:role/Reader`;
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

/** A bundle where role Reader may read objects of bucket `bucket`, plus `extra` filler accounts of 20 roles. */
function bundle(bucket: string, extra = 0): string {
  const reader = {
    name: 'Reader',
    trustPolicy: TRUST,
    policies: { Read: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] } },
  };
  const filler = Array.from({ length: extra }, (_, i) => ({
    id: String(200000000000 + i),
    roles: Array.from({ length: 20 }, (_, n) => ({ name: `R${n}`, trustPolicy: TRUST })),
  }));
  return JSON.stringify({ version: 1, accounts: [{ id: ACCOUNT, roles: [reader] }, ...filler] });
}

const dir = mkdtempSync(join(tmpdir(), 'iamsim-replicas-'));
function bundleFile(name: string, bucket: string, extra = 0): string {
  const path = join(dir, name);
  writeFileSync(path, bundle(bucket, extra));
  return path;
}

interface Replica {
  readonly url: string;
  readonly child: ChildProcess;
}

const children = new Set<ChildProcess>();

/** Starts `iamsim serve --db URL --port 0` and waits for its "listening on" line. */
async function startReplica(db: string): Promise<Replica> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${String(code)}) before listening: ${out}`)));
  });
  return { url, child };
}

async function stopReplica(r: Replica, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => r.child.on('exit', () => resolve()));
  r.child.kill(signal);
  await exited;
}

async function mayRead(r: Replica, bucket: string): Promise<boolean> {
  const res = await fetch(`${r.url}/v1/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ principal: READER, action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/data.csv` }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { decision: string; principalFound: boolean };
  assert.equal(body.principalFound, true);
  return body.decision === 'allowed';
}

async function modelVersion(r: Replica): Promise<number> {
  return ((await (await fetch(`${r.url}/readyz`)).json()) as { modelVersion: number }).modelVersion;
}

/** Milliseconds until `r` allows reading `bucket` (polling every 5 ms), failing after `limitMs`. */
async function timeUntilServed(r: Replica, bucket: string, since: number, limitMs: number): Promise<number> {
  for (;;) {
    if (await mayRead(r, bucket)) return performance.now() - since;
    if (performance.now() - since > limitMs) assert.fail(`${r.url} did not serve ${bucket} within ${limitMs} ms`);
    await sleep(5);
  }
}

/** Runs `iamsim account import FILE --db URL`; resolves when it printed its summary (the commit is done). */
function importer(db: string, file: string): { child: ChildProcess; committed: Promise<number>; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'account', 'import', file, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  const committed = new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^imported \d+ account\(s\)/m.test(out)) resolve(performance.now());
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`import exited ${String(code)}: ${out}`));
    });
  });
  committed.catch(() => undefined);
  return { child, committed, output: () => out };
}

const server = pgServerUrl();
const dbs: PgTestDatabase[] = [];
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dbs) await d.drop();
});
const skip = server === undefined && PG_SKIP_MESSAGE;

test('replicas: writes (imports by another process, PutRolePolicy through replica A) are served by both within a second', {
  skip,
  timeout: 120_000,
}, async () => {
  const db = await createPgTestDatabase(server as string);
  dbs.push(db);
  // The writer: this process, through the same import code as `iamsim account import`.
  const writer = await openAsyncStore(db.url);
  const write = async (name: string, bucket: string): Promise<number> => {
    const r = await importFilesAsync([bundleFile(name, bucket)], writer);
    assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
    return performance.now();
  };
  await write('v1.json', 'bucket-v1');
  const a = await startReplica(db.url);
  const b = await startReplica(db.url);
  try {
    for (const r of [a, b]) assert.equal(await mayRead(r, 'bucket-v1'), true);
    const figures: number[] = [];
    for (const n of [2, 3, 4, 5, 6]) {
      const committed = await write(`v${n}.json`, `bucket-v${n}`);
      const [ta, tb] = await Promise.all([timeUntilServed(a, `bucket-v${n}`, committed, 1000), timeUntilServed(b, `bucket-v${n}`, committed, 1000)]);
      figures.push(ta, tb);
      assert.equal(await mayRead(b, `bucket-v${n - 1}`), false, 'the replaced policy is gone');
    }
    // An IAM write through replica A (AWS SDK, PutRolePolicy) is served by replica B.
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    const viaA = new IAMClient({ endpoint: a.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const viaB = new IAMClient({ endpoint: b.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket-put/*' }] };
    await viaA.send(new PutRolePolicyCommand({ RoleName: 'Reader', PolicyName: 'Put', PolicyDocument: JSON.stringify(doc) }));
    const put = performance.now();
    assert.equal(await mayRead(a, 'bucket-put'), true, 'A answers from its own write at once');
    figures.push(await timeUntilServed(b, 'bucket-put', put, 1000));
    const got = await viaB.send(new GetRolePolicyCommand({ RoleName: 'Reader', PolicyName: 'Put' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(got.PolicyDocument ?? '')), doc);
    viaA.destroy();
    viaB.destroy();
    assert.equal(await modelVersion(a), await writer.version());
    assert.equal(await modelVersion(b), await writer.version());
    figures.sort((x, y) => x - y);
    process.stdout.write(
      `# replicas: commit to served, ${figures.length} probes: median ${(figures[figures.length >> 1] ?? 0).toFixed(1)} ms, max ${(figures[figures.length - 1] ?? 0).toFixed(1)} ms\n`,
    );
  } finally {
    await stopReplica(a);
    await stopReplica(b);
    await writer.close();
  }
});

test('replicas: a writer and replica A killed mid-import leave B serving the previous state, then the next import', { skip, timeout: 180_000 }, async () => {
  const db = await createPgTestDatabase(server as string);
  dbs.push(db);
  await importer(db.url, bundleFile('k1.json', 'bucket-k1')).committed;
  const a = await startReplica(db.url);
  const b = await startReplica(db.url);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    const before = await modelVersion(b);
    const app = `iamsim-replica-kill-${process.pid}`;
    const big = importer(withParams(db.url, { application_name: app }), bundleFile('big.json', 'bucket-big', 400));
    // Mid-import: the writer's transaction holds a lock on the principals table.
    for (let i = 0; ; i++) {
      if (big.child.exitCode !== null) assert.fail(`the import finished before it could be killed: ${big.output()}`);
      const r = await admin.query(
        `SELECT 1 FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
        WHERE s.application_name = $1 AND l.relation = 'principals'::regclass`,
        [app],
      );
      if (r.rowCount !== 0) break;
      if (i > 30_000) assert.fail('the import never started writing');
      await sleep(2);
    }
    big.child.kill('SIGKILL');
    await stopReplica(a, 'SIGKILL');
    assert.doesNotMatch(big.output(), /imported \d+ account/);
    // B goes on serving the previous state, for longer than a change takes to arrive.
    await sleep(1100);
    assert.equal(await mayRead(b, 'bucket-k1'), true);
    assert.equal(await mayRead(b, 'bucket-big'), false);
    assert.equal(await modelVersion(b), before);
    // The next import commits (the killed writer's locks are gone) and B serves it.
    const committed = await importer(db.url, bundleFile('k2.json', 'bucket-k2')).committed;
    const tb = await timeUntilServed(b, 'bucket-k2', committed, 1000);
    assert.ok((await modelVersion(b)) > before);
    // A restarted replica A loads the new state.
    const a2 = await startReplica(db.url);
    assert.equal(await mayRead(a2, 'bucket-k2'), true);
    assert.equal(await mayRead(a2, 'bucket-k1'), false);
    await stopReplica(a2);
    process.stdout.write(`# replicas: after the killed import, the next import was served by B ${tb.toFixed(1)} ms after its commit\n`);
  } finally {
    await admin.end();
    await stopReplica(a, 'SIGKILL');
    await stopReplica(b);
  }
});
