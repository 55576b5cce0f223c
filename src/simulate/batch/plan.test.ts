/** When a batch starts its workers (plan.ts): only when the rest of the input outweighs a worker's warm-up. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EARLY_POOL_BYTES, THREAD_AFTER, WORKER_PAYS_MS, WorkerPlan } from './plan.js';

const MB = 1024 * 1024;

test('one thread, or no figures yet: no worker', () => {
  assert.equal(new WorkerPlan(0, 1000 * MB).startEarly(), false);
  assert.equal(new WorkerPlan(0, 1000 * MB, 'always').startNow(0, 10 * THREAD_AFTER), false);
  const plan = new WorkerPlan(1, 40 * MB);
  assert.equal(plan.startEarly(), false);
  // Past THREAD_AFTER lines but nothing measured: no estimate, no worker.
  assert.equal(plan.startNow(MB, THREAD_AFTER + 1), false);
});

test('a file large enough, or `always`: workers before the first line', () => {
  assert.equal(new WorkerPlan(1, EARLY_POOL_BYTES).startEarly(), true);
  assert.equal(new WorkerPlan(1, EARLY_POOL_BYTES - 1).startEarly(), false);
  assert.equal(new WorkerPlan(1, 10, 'always').startEarly(), true);
  assert.equal(new WorkerPlan(1, undefined, 'always').startNow(0, 1), true);
});

test('input of unknown size: workers after THREAD_AFTER lines', () => {
  const plan = new WorkerPlan(1, undefined);
  assert.equal(plan.startNow(50 * MB, THREAD_AFTER), false);
  assert.equal(plan.startNow(50 * MB, THREAD_AFTER + 1), true);
});

test('a file of known size: workers once the rest would take this thread longer than WORKER_PAYS_MS', () => {
  const total = 40 * MB;
  const plan = new WorkerPlan(1, total);
  // 0.01 ms per KB: the 39 MB left take about 400 ms, less than a worker's warm-up is worth.
  plan.decided(512 * 1024, 5);
  plan.decided(512 * 1024, 5);
  assert.ok(39 * 1024 * 0.01 < WORKER_PAYS_MS);
  assert.equal(plan.startNow(MB, THREAD_AFTER + 1), false);
  // Lines four times as costly (all-new policy text): 1.6 s left, the worker pays off — but not before THREAD_AFTER lines.
  plan.decided(512 * 1024, 20);
  plan.decided(512 * 1024, 20);
  assert.equal(plan.startNow(MB, THREAD_AFTER), false);
  assert.equal(plan.startNow(MB, THREAD_AFTER + 1), true);
  // Near the end of the file the rest no longer pays for it.
  assert.equal(plan.startNow(total - MB, THREAD_AFTER + 1), false);
});

test('one slow chunk (a collection, a busy machine) does not start workers on its own', () => {
  const plan = new WorkerPlan(1, 40 * MB);
  plan.decided(512 * 1024, 5);
  plan.decided(512 * 1024, 500);
  assert.equal(plan.startNow(MB, THREAD_AFTER + 1), false);
});
