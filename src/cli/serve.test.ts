/**
 * `iamsim serve` as a process: prints its URL, edits an empty in-memory store in
 * the --account-id account, logs decisions as JSON Lines rotated by size, exits 0
 * on SIGTERM; bad flags exit 2 without starting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/iamsim.js', import.meta.url));

test('serve: URL, writes in --account-id, decision log rotation, graceful SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-serve-'));
  const log = join(dir, 'decisions.jsonl');
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--account-id', '123456789012', '--decision-log', log, '--decision-log-max-bytes', '1024', '--db', ':memory:'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const form = (p: Record<string, string>): Promise<Response> =>
    fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Version: '2010-05-08', ...p }).toString(),
    });
  const trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
  assert.equal((await form({ Action: 'CreateRole', RoleName: 'R', AssumeRolePolicyDocument: trust })).status, 200);
  assert.equal(
    (
      await form({
        Action: 'PutRolePolicy',
        RoleName: 'R',
        PolicyName: 'p',
        PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
      })
    ).status,
    200,
  );
  for (let i = 0; i < 12; i++) {
    const r = await fetch(`${url}/v1/authorize`, {
      method: 'POST',
      body: JSON.stringify({ principal: 'arn:aws:iam::123456789012:role/R', action: 's3:GetObject', resource: `arn:aws:s3:::b/${i}` }),
    });
    assert.equal(((await r.json()) as { decision: string }).decision, 'allowed');
  }
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, err);
  assert.ok(existsSync(`${log}.1`), 'the log rotated');
  const files = [5, 4, 3, 2, 1].map((n) => `${log}.${n}`).filter((f) => existsSync(f));
  const lines = [...files, log]
    .map((f) => readFileSync(f, 'utf8'))
    .join('')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 12);
  assert.equal(lines[0]!['decision'], 'allowed');
  assert.deepEqual(Object.keys(lines[0]!), ['requestId', 'time', 'api', 'principal', 'action', 'resource', 'decision', 'decidedBy', 'latencyMs']);
});

test('serve: bad flags exit 2 without starting', () => {
  const creds = join(mkdtempSync(join(tmpdir(), 'iamsim-serve-creds-')), 'credentials');
  writeFileSync(creds, '[ci]\naws_access_key_id = AKIDTEST\naws_secret_access_key = s3cr3t\n');
  for (const args of [
    ['--port', 'x'],
    ['--auth', 'sigv4'],
    ['--account-id', '12'],
    ['--nope'],
    ['--workers', '0'],
    ['--workers', 'many'],
    ['--tls-cert', creds],
    ['--region', 'mars'],
    ['--console-token', 'short'],
    ['--deadline-ms', '5'],
  ]) {
    const r = spawnSync(process.execPath, [BIN, 'serve', ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^iamsim serve: /);
  }
  // Signed requests and the console's session never travel over plain HTTP beyond loopback, unless explicitly allowed.
  const plain = spawnSync(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--auth', 'sigv4', '--credentials', creds], { encoding: 'utf8' });
  assert.equal(plain.status, 2, plain.stderr);
  assert.match(plain.stderr, /plain HTTP[\s\S]*--tls-cert[\s\S]*--allow-insecure-http/);
});

test('serve --auth sigv4 on loopback prints the console URL with its token; the token opens a session', async () => {
  const creds = join(mkdtempSync(join(tmpdir(), 'iamsim-serve-token-')), 'credentials');
  writeFileSync(creds, '[ci]\naws_access_key_id = AKIDTEST\naws_secret_access_key = s3cr3t\n');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', ':memory:', '--auth', 'sigv4', '--credentials', creds], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IAMSIM_CONSOLE_TOKEN: '' },
  });
  try {
    const console = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /console: (http:\/\/\S+\/\?token=\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${String(code)}: ${out}`)));
    });
    const base = console.slice(0, console.indexOf('/?'));
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/api/console/features`)).status, 403);
    const open = await fetch(console, { redirect: 'manual' });
    assert.equal(open.status, 303);
    const cookie = (open.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.equal((await fetch(`${base}/api/console/features`, { headers: { cookie } })).status, 200);
  } finally {
    child.kill('SIGTERM');
  }
});
