/**
 * Browsers: a page on another site cannot write through the server (Origin,
 * Sec-Fetch-Site), a rebound DNS name is refused (Host), the console's writes
 * carry its CSRF token, and with --auth sigv4 the health endpoints stay open
 * while the console needs its token.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCredentialsFile } from './auth.js';
import { hostName } from './guard.js';
import { startTestServer, type Started } from './test-support.test.js';

const WEB = mkdtempSync(join(tmpdir(), 'iamsim-guard-web-'));
mkdirSync(join(WEB, 'assets'));
writeFileSync(join(WEB, 'index.html'), '<!doctype html><html><head><title>iamsim</title></head><body></body></html>');
writeFileSync(join(WEB, 'assets', 'app.js'), 'console.log(1)');

let s: Started;
before(async () => {
  s = await startTestServer({ staticDir: WEB });
});
after(() => s.stop());

const form = (params: Record<string, string>): string => new URLSearchParams({ Version: '2010-05-08', ...params }).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function groups(url = s.url): Promise<string> {
  return (await fetch(`${url}/`, { method: 'POST', headers: FORM, body: form({ Action: 'ListGroups' }) })).text();
}

test('a cross-site form post (Origin of another site, or Sec-Fetch-Site: cross-site/same-site) is refused and changes nothing', async () => {
  const attempts: [string, Record<string, string>][] = [
    ['evil', { origin: 'http://evil.example' }],
    ['nullorigin', { origin: 'null' }],
    ['otherport', { origin: 'http://127.0.0.1:1' }],
    ['crosssite', { 'sec-fetch-site': 'cross-site' }],
    ['samesite', { 'sec-fetch-site': 'same-site' }],
  ];
  for (const [name, headers] of attempts) {
    const r = await fetch(`${s.url}/`, { method: 'POST', headers: { ...FORM, ...headers }, body: form({ Action: 'CreateUser', UserName: `csrf-${name}` }) });
    assert.equal(r.status, 403, name);
    assert.match(await r.text(), /<Code>AccessDenied<\/Code>[\s\S]*cross-site request refused/, name);
  }
  // A GET carrying a write (an <img src>) writes nothing: unsigned GETs of / are the console's page.
  await fetch(`${s.url}/?${form({ Action: 'CreateUser', UserName: 'csrf-img' })}`, { headers: { 'sec-fetch-site': 'cross-site' } });
  assert.doesNotMatch(await groups(), /csrf-/);
  const users = await (await fetch(`${s.url}/`, { method: 'POST', headers: FORM, body: form({ Action: 'ListUsers' }) })).text();
  assert.doesNotMatch(users, /csrf-/);
  // The same write from this server's own origin, or from a non-browser client, goes through.
  const same = await fetch(`${s.url}/`, {
    method: 'POST',
    headers: { ...FORM, origin: s.url, 'sec-fetch-site': 'same-origin' },
    body: form({ Action: 'CreateGroup', GroupName: 'same-origin-group' }),
  });
  assert.equal(same.status, 200);
  assert.match(await groups(), /same-origin-group/);
  // The console page itself stays reachable from a link on another site.
  const page = await fetch(`${s.url}/`, { headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(page.status, 200);
});

test('DNS rebinding: a Host header that is not a name of this server is refused; health answers any Host', async () => {
  const port = new URL(s.url).port;
  const { request } = await import('node:http');
  const get = (host: string, path: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  assert.equal(await get(`rebound.evil.example:${port}`, '/?Action=ListRoles&Version=2010-05-08'), 403);
  assert.equal(await get(`rebound.evil.example:${port}`, '/api/console/features'), 403);
  assert.equal(await get(`rebound.evil.example:${port}`, '/'), 403);
  assert.equal(await get(`rebound.evil.example:${port}`, '/healthz'), 200);
  for (const ok of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST'])
    assert.equal(await get(ok, '/?Action=ListRoles&Version=2010-05-08'), 200, ok);
  const open = await startTestServer({ allowedHosts: ['iamsim.internal'] });
  try {
    const p = new URL(open.url).port;
    const req = (host: string): Promise<number> =>
      new Promise((resolve) => {
        const r = request({ host: '127.0.0.1', port: p, path: '/readyz', method: 'GET', headers: { host } }, (res) => resolve(res.statusCode ?? 0));
        r.end();
      });
    assert.equal(await req('iamsim.internal'), 200);
  } finally {
    await open.stop();
  }
  assert.equal(hostName('[::1]:8080'), '::1');
  assert.equal(hostName('Example.COM:80'), 'example.com');
});

test("the console's writes need the CSRF token the page carries", async () => {
  const html = await (await fetch(`${s.url}/`)).text();
  const token = /<meta name="iamsim-csrf" content="([0-9a-f]{64})">/.exec(html)?.[1];
  assert.ok(token, html);
  const body = JSON.stringify({ request: { PolicyInputList: [], ActionNames: ['s3:GetObject'], CallerArn: 'events.amazonaws.com' } });
  const post = (headers: Record<string, string>): Promise<Response> =>
    fetch(`${s.url}/api/console/simulate`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const without = await post({});
  assert.equal(without.status, 403);
  assert.match(await without.text(), /x-iamsim-csrf/);
  assert.equal((await post({ 'x-iamsim-csrf': 'f'.repeat(64) })).status, 403);
  assert.equal((await post({ 'x-iamsim-csrf': token })).status, 200);
});

const KEYS = parseCredentialsFile('[ci]\naws_access_key_id = AKIDIAMSIMTEST\naws_secret_access_key = s3cr3t\n', 'creds');

test('--auth sigv4: health, readiness and metrics answer unsigned; the console needs its token, then a session cookie', async () => {
  const a = await startTestServer({ credentials: KEYS, consoleToken: 'console-token-for-tests', staticDir: WEB });
  try {
    for (const path of ['/healthz', '/readyz', '/metrics']) assert.equal((await fetch(`${a.url}${path}`)).status, 200, path);
    assert.equal((await fetch(`${a.url}/v1/authorize`, { method: 'POST', body: '{}' })).status, 403);
    const login = await fetch(`${a.url}/`);
    assert.equal(login.status, 401);
    assert.match(await login.text(), /console token/);
    assert.equal((await fetch(`${a.url}/api/console/features`)).status, 403);
    const wrong = await fetch(`${a.url}/?token=not-the-token`, { redirect: 'manual' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get('set-cookie'), null);
    const right = await fetch(`${a.url}/?token=console-token-for-tests`, { redirect: 'manual' });
    assert.equal(right.status, 303);
    const cookie = right.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^iamsim_session_[0-9a-f]{8}=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict$/);
    const session = cookie.split(';')[0]!;
    assert.equal((await fetch(`${a.url}/`, { headers: { cookie: session } })).status, 200);
    assert.equal((await fetch(`${a.url}/api/console/features`, { headers: { cookie: session } })).status, 200);
    // The session opens the console only: the IAM API still needs a signature.
    assert.equal((await fetch(`${a.url}/`, { method: 'POST', headers: { ...FORM, cookie: session }, body: form({ Action: 'ListRoles' }) })).status, 403);
  } finally {
    await a.stop();
  }
});

test('TLS: --tls-cert/--tls-key serve HTTPS', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(join(dir, 'cert.pem'));
  const t = await startTestServer({ tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
  try {
    assert.match(t.url, /^https:\/\//);
    const u = new URL(t.url);
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        { host: u.hostname, port: u.port, path: '/healthz', ca: cert, servername: 'localhost', checkServerIdentity: () => undefined },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual(JSON.parse(body), { status: 'ok' });
  } finally {
    await t.stop();
  }
});
