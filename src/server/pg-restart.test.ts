/**
 * `iamsim serve --workers 2` over a PostgreSQL that restarts under traffic:
 * a throwaway cluster (scripts/start-test-postgres.sh on its own port) is
 * stopped and started while writes and reads run. While it is down, writes
 * fail with AWS's ServiceFailure and /readyz says not ready; afterwards the
 * same worker processes answer (none died) and writes go through again. And
 * with two workers, a read right after a write on another connection sees it
 * (read-your-writes), over PostgreSQL and over the workers' shared SQLite.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { pgServerUrl, PG_SKIP_MESSAGE } from '../account/pg/test-support.test.js';
import { fixture } from './test-support.test.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = `${ROOT}bin/iamsim.js`;
const PgClient = pg.Client;
const children = new Set<ChildProcess>();
const clusters: string[] = [];

after(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const dir of clusters) {
    try {
      pgCtl(dir, ['-m', 'immediate', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

const pgBin = (): string | undefined => {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const v = readdirSync(base).sort().at(-1);
  return v === undefined ? undefined : `${base}/${v}/bin`;
};

function asPostgres(cmd: string, args: readonly string[]): void {
  const root = process.getuid?.() === 0;
  execFileSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : [...args], { stdio: 'ignore' });
}

function pgCtl(dir: string, args: readonly string[]): void {
  asPostgres(`${pgBin()}/pg_ctl`, ['-D', `${dir}/data`, '-w', ...args]);
}

/** A throwaway cluster on a port of 54390–54399 (the first the script can start). */
function startCluster(): { url: string; dir: string; port: number } {
  for (let i = 0; i < 10; i++) {
    const port = 54390 + ((process.pid + i) % 10);
    try {
      const out = execFileSync('bash', [`${ROOT}scripts/start-test-postgres.sh`], {
        env: { ...process.env, IAMSIM_TEST_PG_PORT: String(port) },
        encoding: 'utf8',
      });
      const url = /IAMSIM_TEST_PG_URL=(\S+)/.exec(out)?.[1];
      const dir = /IAMSIM_TEST_PG_DIR=(\S+)/.exec(out)?.[1];
      if (url !== undefined && dir !== undefined) {
        clusters.push(dir);
        return { url, dir, port };
      }
    } catch {
      // port taken: try the next
    }
  }
  throw new Error('could not start a throwaway PostgreSQL on ports 54390-54399');
}

async function startServe(args: readonly string[]): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${String(code)}) before listening: ${out}${err}`)));
  });
  return { url, child, stderr: () => err };
}

/** One request on a new connection (so the cluster may hand it to either worker). */
function call(url: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        agent: false,
        headers: body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const iam = (url: string, params: Record<string, string>): Promise<{ status: number; text: string }> =>
  call(url, 'POST', '/', new URLSearchParams({ Version: '2010-05-08', ...params }).toString());

async function workerPids(url: string): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < 30 && pids.size < 2; i++) {
    const r = await call(url, 'GET', '/readyz');
    pids.add((JSON.parse(r.text) as { pid: number }).pid);
  }
  return pids;
}

/** Writes a group and reads the list right after, each on a new connection; returns how many reads missed. */
async function readYourWrites(url: string, prefix: string, n: number): Promise<number> {
  let missed = 0;
  for (let i = 0; i < n; i++) {
    const w = await iam(url, { Action: 'CreateGroup', GroupName: `${prefix}${i}` });
    assert.equal(w.status, 200, w.text);
    const r = await iam(url, { Action: 'GetGroup', GroupName: `${prefix}${i}` });
    if (r.status !== 200) missed++;
  }
  return missed;
}

test('--workers 2 over shared SQLite: a read right after a write on another connection sees it', async () => {
  const s = await startServe(['--workers', '2', '--account', fixture('authorization-details.json')]);
  try {
    assert.equal((await workerPids(s.url)).size, 2, 'both workers answer');
    assert.equal(await readYourWrites(s.url, 'ryw-sqlite-', 40), 0);
  } finally {
    s.child.kill('SIGTERM');
  }
});

test('PostgreSQL stopped and started under traffic: every worker survives, writes fail with ServiceFailure meanwhile, /readyz says not ready', async (t) => {
  if (pgServerUrl() === undefined || pgBin() === undefined) {
    t.skip(PG_SKIP_MESSAGE);
    return;
  }
  const db = startCluster();
  execFileSync(process.execPath, [BIN, 'account', 'import', fixture('authorization-details.json'), '--db', db.url], { stdio: 'ignore' });
  const s = await startServe(['--workers', '2', '--db', db.url]);
  try {
    const before = await workerPids(s.url);
    assert.equal(before.size, 2, 'both workers answer');
    assert.equal(await readYourWrites(s.url, 'ryw-pg-', 20), 0, 'read-your-writes over PostgreSQL');

    // Traffic: writes and reads on new connections, until told to stop.
    const seen = { ok: 0, serviceFailure: 0, other: [] as string[], notReady: 0 };
    let running = true;
    let n = 0;
    const traffic = (async () => {
      while (running) {
        const w = await iam(s.url, { Action: 'CreateGroup', GroupName: `traffic-${n++}` }).catch((e: Error) => ({ status: -1, text: e.message }));
        if (w.status === 200) seen.ok++;
        else if (w.status === 500 && /<Code>ServiceFailure<\/Code>/.test(w.text)) seen.serviceFailure++;
        else seen.other.push(`${w.status} ${w.text.slice(0, 200)}`);
        await iam(s.url, { Action: 'ListRoles' }).catch(() => undefined);
        const ready = await call(s.url, 'GET', '/readyz').catch(() => ({ status: -1, text: '' }));
        if (ready.status === 503) seen.notReady++;
        await sleep(20);
      }
    })();
    await sleep(500);
    // Writes in flight at the stop: another session holds the version row, so both workers' transactions wait inside PostgreSQL.
    const holder = new PgClient({ connectionString: db.url });
    holder.on('error', () => undefined);
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT version FROM store_version WHERE singleton = 1 FOR UPDATE');
    const blocked = Array.from({ length: 6 }, (_, i) =>
      iam(s.url, { Action: 'CreateGroup', GroupName: `blocked-${i}` }).catch((e: Error) => ({ status: -1, text: e.message })),
    );
    await sleep(500);
    pgCtl(db.dir, ['-m', 'fast', 'stop']);
    for (const b of await Promise.all(blocked)) {
      assert.equal(b.status, 500, `a write in flight at the stop fails with ServiceFailure: ${b.text}`);
      assert.match(b.text, /<Code>ServiceFailure<\/Code>/);
    }
    await sleep(1_500);
    pgCtl(db.dir, ['-l', `${db.dir}/server.log`, '-o', `-p ${db.port} -k ${db.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    // Writes go through again within 20 s.
    let recovered = false;
    for (let i = 0; i < 100 && !recovered; i++) {
      recovered = (await iam(s.url, { Action: 'CreateGroup', GroupName: `after-restart-${i}` })).status === 200;
      if (!recovered) await sleep(200);
    }
    running = false;
    await traffic;
    assert.ok(recovered, 'writes succeed after PostgreSQL is back');
    assert.deepEqual(seen.other, [], 'while the database was down, requests failed with ServiceFailure only');
    assert.ok(seen.serviceFailure > 0, `writes failed while the database was down (${JSON.stringify(seen)})`);
    assert.ok(seen.notReady > 0, '/readyz said not ready while the database was down');
    assert.equal(s.child.exitCode, null, 'the server is running');
    assert.doesNotMatch(s.stderr(), /exited/, 'no worker died');
    assert.deepEqual([...(await workerPids(s.url))].sort(), [...before].sort(), 'the same two workers answer');
    assert.equal((await call(s.url, 'GET', '/readyz')).status, 200);
    assert.equal(await readYourWrites(s.url, 'ryw-after-', 10), 0);
  } finally {
    s.child.kill('SIGTERM');
  }
});
