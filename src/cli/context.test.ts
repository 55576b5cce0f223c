import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Iamsim } from '../engine/iamsim.js';
import { cliContext } from './context.js';

test('a run has one engine: every call gives the same Iamsim, and two runs share nothing', async () => {
  const run = cliContext();
  const [a, b] = await Promise.all([run.engine(), run.engine()]);
  assert.ok(a instanceof Iamsim);
  assert.equal(a, b);
  assert.equal(await run.engine(), a);
  const other = await cliContext().engine();
  assert.notEqual(other, a);
  assert.notEqual(await other.reasoning(), await a.reasoning());
  assert.equal(await a.reasoning(), a.reason, 'one reasoner per engine, also read once loaded');
});
