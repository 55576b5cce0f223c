/** Request ids, the cheap path read, and metrics summed over workers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RequestIds, Target } from './request.js';
import { Metrics, renderMetrics } from './metrics.js';

test('request ids: UUID-shaped, unique per generator, different prefixes per generator', () => {
  const a = new RequestIds();
  const b = new RequestIds();
  const ids = Array.from({ length: 1000 }, () => a.next());
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
  assert.notEqual(a.next().slice(0, 24), b.next().slice(0, 24));
});

const decodable = (path: string): boolean => {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
};

test('Target: the path equals the URL parser pathname for every request target; undecodable paths are 400 (property)', () => {
  const chars = fc.constantFrom(...'abcAZ09_-/.%?&=#~ '.split(''), '%2e', '%2F', '..', '//');
  fc.assert(
    fc.property(fc.array(chars, { maxLength: 20 }), (parts) => {
      const raw = `/${parts.join('')}`;
      let url: URL;
      try {
        url = new URL(raw, 'http://localhost');
      } catch {
        assert.throws(() => new Target(raw), { status: 400, code: 'InvalidRequest' });
        return;
      }
      if (!decodable(url.pathname)) {
        assert.throws(() => new Target(raw), { status: 400, code: 'InvalidRequest' });
        return;
      }
      assert.equal(new Target(raw).path, url.pathname);
      assert.equal(new Target(raw).url.href, url.href);
    }),
  );
  assert.throws(() => new Target('/%ff'), { status: 400, code: 'InvalidRequest' });
  assert.equal(new Target('/v1/authorize').path, '/v1/authorize');
  assert.equal(new Target('/v1/authorize').hasQuery, false);
  assert.equal(new Target('/policy/validation?maxResults=1').url.searchParams.get('maxResults'), '1');
});

test('metrics: snapshots of several workers are summed', async () => {
  const w1 = new Metrics();
  const w2 = new Metrics();
  for (const [m, n] of [
    [w1, 3],
    [w2, 2],
  ] as const) {
    for (let i = 0; i < n; i++) {
      m.started();
      m.finished('/v1/authorize', 200, 0.002);
      m.decision('authorize', 'allowed');
    }
  }
  w2.started();
  w2.finished('/v1/authorize', 400, 0.0001);
  const text = await renderMetrics([await w1.snapshot(), await w2.snapshot()], { iamsim_model_version: 4 });
  assert.match(text, /iamsim_http_requests_total\{route="\/v1\/authorize",status="200"\} 5\n/);
  assert.match(text, /iamsim_http_requests_total\{route="\/v1\/authorize",status="400"\} 1\n/);
  assert.match(text, /iamsim_http_request_duration_seconds_bucket\{le="0.0005",route="\/v1\/authorize"\} 1\n/);
  assert.match(text, /iamsim_http_request_duration_seconds_bucket\{le="0.0025",route="\/v1\/authorize"\} 6\n/);
  assert.match(text, /iamsim_http_request_duration_seconds_count\{route="\/v1\/authorize"\} 6\n/);
  assert.match(text, /iamsim_decisions_total\{api="authorize",decision="allowed"\} 5\n/);
  assert.match(text, /iamsim_http_requests_in_flight 0\n/);
  assert.match(text, /iamsim_model_version 4\n/);
  assert.equal(await w1.render(), await renderMetrics([await w1.snapshot()]));
});
