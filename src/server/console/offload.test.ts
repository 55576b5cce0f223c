/**
 * The console's POSTs (the audit, preflight, the graph, compare…) are answered
 * in a request thread (pool.ts), never on the server's event loop: the main
 * thread never builds a console of its own for them, the pool counts each in
 * /metrics, and the answers are the library's, as the in-process API gives them.
 * (How fast /healthz answers meanwhile is measured in bench/serve.js, not here.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleApi } from './api.js';
import { join } from 'node:path';
import { FIXTURES, startTestServer, type Started } from '../test-support.test.js';
import { Router } from '../router.js';

const STORE = { kind: 'store' };
const BUNDLE = join(FIXTURES, '../../../examples/accounts/notebook-job/bundle.yaml');

/** The answer without the audit's own running time. */
function timeless(v: Record<string, unknown>): unknown {
  const stats = v['stats'] as Record<string, unknown> | undefined;
  return stats === undefined ? v : { ...v, stats: { ...stats, milliseconds: 0 } };
}

describe('console API off the event loop', () => {
  let s: Started;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`${s.url}/api/console/${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: s.url, 'x-iamsim-csrf': s.server.csrfToken },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };
  const threadTasks = async (outcome: string): Promise<number> => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    const m = new RegExp(`^iamsim_thread_tasks_total\\{kind="console",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text);
    return m === null ? 0 : Number(m[1]);
  };

  before(async () => {
    s = await startTestServer({}, [BUNDLE]);
  });
  after(async () => {
    await s.stop();
  });

  it('the audit, preflight, graph and compare answer from a request thread, with the in-process answers', async () => {
    const local = new ConsoleApi({ storeModel: () => s.engine.universe });
    const cases: [string, Record<string, unknown>][] = [
      ['audit', { source: STORE }],
      ['graph', { source: STORE }],
      ['accounts', { source: STORE }],
      ['preflight', { workflow: 'notebook-job', source: STORE }],
      [
        'compare',
        {
          a: '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}',
          b: '{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}',
          policyType: 'IDENTITY_POLICY',
        },
      ],
    ];
    for (const [path, body] of cases) {
      const r = await call('POST', path, body);
      assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.json).slice(0, 300)}`);
      const expected = await local.dispatch('POST', path, { body, query: new URLSearchParams() });
      assert.deepEqual(timeless(r.json), timeless(JSON.parse(JSON.stringify(expected?.body))), path);
    }
    assert.equal(await threadTasks('ok'), cases.length, 'each POST was a request-thread task');
    // The main thread never made a console for them: it exists only once a GET is answered here.
    assert.equal(s.engine.consoleApi, undefined);
    const f = await call('GET', 'features');
    assert.equal(f.status, 200);
    assert.equal(f.json['store'], true);
    assert.ok(s.engine.consoleApi !== undefined);
    assert.equal(await threadTasks('ok'), cases.length, 'GETs are answered on the event loop');
  });

  it("input errors come back from the thread in the console's error shape", async () => {
    const broken = await call('POST', 'audit', '{"source": ');
    assert.equal(broken.status, 400);
    assert.equal((broken.json['error'] as { code: string }).code, 'InvalidInput');
    assert.match((broken.json['error'] as { message: string }).message, /not valid JSON/);
    const unknown = await call('POST', 'preflight', { workflow: 'nope', source: STORE });
    assert.equal(unknown.status, 404);
    assert.equal((unknown.json['error'] as { code: string }).code, 'NoSuchWorkflow');
    const missing = await call('POST', 'no-such-endpoint', {});
    assert.equal(missing.status, 404);
    assert.equal((missing.json['error'] as { code: string }).code, 'NotFound');
  });

  it("the audit runs for the server's long deadline, the other console requests for the request deadline", async () => {
    const route = (path: string) => new Router().route({ method: 'POST', path: `/api/console/${path}`, contentType: 'application/json' });
    assert.equal(route('audit').deadline, 'long');
    for (const path of ['preflight', 'graph', 'compare', 'simulate']) assert.equal(route(path).deadline, undefined, path);
    // A request deadline no audit fits in (a request thread's start alone takes longer): the audit still answers.
    const tight = await startTestServer({ deadline: 100 }, [BUNDLE]);
    try {
      const r = await fetch(`${tight.url}/api/console/audit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: tight.url, 'x-iamsim-csrf': tight.server.csrfToken },
        body: JSON.stringify({ source: STORE }),
      });
      assert.equal(r.status, 200, await r.clone().text());
      assert.ok(Array.isArray(((await r.json()) as { findings: unknown[] }).findings));
    } finally {
      await tight.stop();
    }
  });

  it('iamsim serve starts its request threads and the console at start, each thread with the model', async () => {
    const warm = await startTestServer({ warmThreads: true }, [BUNDLE]);
    try {
      // The event loop's console (the GETs') is built before any request.
      assert.ok(warm.engine.consoleApi !== undefined);
      // Both threads report their warm-up task (waited for, not timed).
      let done = 0;
      for (let i = 0; i < 600 && done < 2; i++) {
        const text = await (await fetch(`${warm.url}/metrics`)).text();
        done = Number(/^iamsim_thread_tasks_total\{kind="warm",outcome="ok"\} (\d+)$/m.exec(text)?.[1] ?? 0);
        if (done < 2) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(done, 2);
    } finally {
      await warm.stop();
    }
  });
});
