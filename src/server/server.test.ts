/**
 * The server skeleton end to end over HTTP: routing by request, operations
 * endpoints, the decision API, limits and errors (no stack trace anywhere).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXEC_ROLE, JOB_ROLE, postForm, postJson, startTestServer, type Started } from './test-support.test.js';

let s: Started;
before(async () => {
  const web = mkdtempSync(join(tmpdir(), 'iamsim-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>iamsim</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  s = await startTestServer({ staticDir: web, bodyLimit: 4096 });
});
after(() => s.stop());

test('healthz, readyz and Prometheus metrics', async () => {
  assert.deepEqual(await (await fetch(`${s.url}/healthz`)).json(), { status: 'ok' });
  const ready = (await (await fetch(`${s.url}/readyz`)).json()) as Record<string, unknown>;
  assert.equal(ready['status'], 'ready');
  assert.equal(ready['accounts'], 1);
  const m = await fetch(`${s.url}/metrics`);
  assert.match(m.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await m.text();
  assert.match(text, /iamsim_http_requests_total\{route="\/healthz",status="200"\} 1/);
  assert.match(text, /# TYPE iamsim_http_request_duration_seconds histogram/);
});

test('POST /v1/authorize decides over the loaded model and counts the decision', async () => {
  const body = {
    principal: EXEC_ROLE,
    action: 'iam:PassRole',
    resource: JOB_ROLE,
    context: [{ key: 'iam:PassedToService', type: 'string', values: ['sagemaker.amazonaws.com'] }],
  };
  const r = await postJson(s.url, '/v1/authorize', body);
  assert.equal(r.status, 200);
  assert.equal(r.json['decision'], 'allowed');
  assert.ok(Array.isArray(r.json['decidedBy']) && r.json['decidedBy'].length > 0);
  const denied = await postJson(s.url, '/v1/authorize', { ...body, context: [] });
  assert.equal(denied.json['decision'], 'implicitDeny');
  assert.deepEqual(denied.json['missingContextValues'], ['iam:PassedToService']);
  const metrics = await (await fetch(`${s.url}/metrics`)).text();
  assert.match(metrics, /iamsim_decisions_total\{api="authorize",decision="allowed"\} \d+/);
});

test('batch: one result or error per request, in order', async () => {
  const r = await postJson(s.url, '/v1/authorize/batch', { requests: [{ principal: EXEC_ROLE, action: 'sagemaker:ListModels' }, { principal: EXEC_ROLE }] });
  assert.equal(r.status, 200);
  const results = r.json['results'] as Record<string, unknown>[];
  assert.equal(results.length, 2);
  assert.ok('decision' in results[0]!);
  assert.deepEqual((results[1]!['error'] as Record<string, unknown>)['code'], 'InvalidRequest');
});

test('bad requests get a JSON error and nothing internal', async () => {
  const cases: [string, unknown, number][] = [
    ['/v1/authorize', '{not json', 400],
    ['/v1/authorize', { principal: EXEC_ROLE, action: 'not an action' }, 400],
    ['/v1/authorize', { principal: EXEC_ROLE, action: 's3:GetObject', context: [{ key: 'aws:SourceIp', type: 'ip', values: ['nope'] }] }, 400],
    ['/v1/authorize', { principal: EXEC_ROLE, action: 's3:GetObject', pad: 'x'.repeat(5000) }, 413],
    ['/v1/nowhere', {}, 404],
    ['/healthz', {}, 405],
  ];
  for (const [path, body, status] of cases) {
    const r = await postJson(s.url, path, body);
    assert.equal(r.status, status, `${path} ${JSON.stringify(body).slice(0, 60)}`);
    const e = r.json['error'] as Record<string, unknown>;
    assert.equal(typeof e['code'], 'string');
    assert.doesNotMatch(JSON.stringify(r.json), /\bat .*\.js:\d+/);
  }
});

test('the OpenAPI document describes /v1/authorize', async () => {
  const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/v1/authorize'] && doc.paths['/v1/authorize/batch']);
});

test('console assets: GET / is index.html, no path leaves the folder', async () => {
  const index = await fetch(`${s.url}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type') ?? '', /text\/html/);
  assert.equal((await fetch(`${s.url}/assets/app.js`)).headers.get('content-type'), 'text/javascript; charset=utf-8');
  for (const p of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/assets/../../etc/passwd', '/missing.js']) {
    assert.equal((await fetch(`${s.url}${p}`)).status, 404, p);
  }
});

test('IAM Query: unknown actions and versions are AWS errors in XML', async () => {
  const r = await postForm(s.url, { Action: 'ListFooBars' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/">/);
  assert.match(r.text, /<Code>InvalidAction<\/Code>/);
  assert.match(r.text, /<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  const big = await postForm(s.url, { Action: 'SimulateCustomPolicy', PolicyInputList: 'x'.repeat(5000) });
  assert.equal(big.status, 413);
  assert.match(big.text, /<Code>RequestEntityTooLarge<\/Code>/);
});

test('a request never makes the server read a file', async () => {
  const r = await postForm(s.url, { Action: 'SimulateCustomPolicy', 'PolicyInputList.member.1': 'file:///etc/passwd', 'ActionNames.member.1': 's3:GetObject' });
  assert.equal(r.status, 400);
  assert.match(r.text, /file:\/\/ references are not accepted/);
  assert.doesNotMatch(r.text, /root:/);
});

test('a request target the URL parser refuses (//) is a 400, and the server goes on', async () => {
  const { request } = await import('node:http');
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${s.url}/`, { path: '//' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 400);
  assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
});
