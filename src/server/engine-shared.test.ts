/**
 * One engine per server: the web console's API answers with the same engine
 * (engine/iamsim.ts) as the IAM APIs, and /metrics reports that engine's
 * caches. The Access Analyzer checks and the console's POSTs run in a request
 * thread (pool.ts), with that thread's reasoner, so a slow check never holds
 * the event loop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openAsyncStore } from '../account/open-store.js';
import { Iamsim } from '../engine/iamsim.js';
import type { ReasonContext } from '../reason/index.js';
import { Engine } from './engine.js';
import { createServer } from './http.js';

/** An engine that counts who asks for its reasoner. */
class CountingIamsim extends Iamsim {
  reasonUses = 0;
  override get reason(): ReasonContext {
    this.reasonUses++;
    return super.reason;
  }
}

const A = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const B = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

test("the console's Compare and the Access Analyzer checks run off the event loop; /metrics reports the server engine's caches", async (t) => {
  const iamsim = new CountingIamsim({ caches: { assemblies: 77 } });
  const engine = await Engine.open({ store: await openAsyncStore(':memory:'), iamsim });
  const server = createServer(engine);
  const url = await server.listen();
  t.after(async () => {
    await server.close();
    await engine.close();
  });
  assert.equal(engine.iamsim, iamsim);
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url, 'x-iamsim-csrf': server.csrfToken },
      body: JSON.stringify(body),
    });

  const c = await post('/api/console/compare', { a: A, b: B, policyType: 'IDENTITY_POLICY' });
  assert.equal(c.status, 200, await c.clone().text());
  assert.equal(((await c.json()) as { verdict: string }).verdict, 'b-broader');
  assert.equal(iamsim.reasonUses, 0, "the console's Compare ran in a request thread, off the event loop");

  const before = iamsim.reasonUses;
  const r = await post('/policy/check-no-new-access', { existingPolicyDocument: A, newPolicyDocument: B, policyType: 'IDENTITY_POLICY' });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal(((await r.json()) as { result: string }).result, 'FAIL');
  assert.equal(iamsim.reasonUses, before, 'the Access Analyzer check ran in a request thread, off the event loop');

  const metrics = await (await fetch(`${url}/metrics`)).text();
  assert.match(metrics, /^iamsim_cache_capacity\{cache="assemblies"\} 77$/m);
  assert.match(metrics, /^iamsim_cache_entries\{cache="policy-texts"\} \d+$/m);
});
