/**
 * The model handed to request threads is serialized once per store version
 * into shared memory (model-snapshot.ts): the same snapshot until the store
 * changes, a new one after a write, and a thread reads back the model's inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openAsyncStore } from '../account/open-store.js';
import { Engine } from './engine.js';
import { deserializeModel } from './model-snapshot.js';
import { emptyAccount } from '../account/edit/index.js';
import { fixture } from '../account/test-support.test.js';

test('snapshot: serialized once per model version into a SharedArrayBuffer; a write gives a new one', async (t) => {
  const engine = await Engine.open({ store: await openAsyncStore(':memory:'), accountFiles: [fixture('authorization-details.json')] });
  t.after(() => engine.close());
  const first = engine.snapshot();
  assert.ok(first.bytes instanceof SharedArrayBuffer);
  assert.equal(engine.snapshot(), first, 'the same version is not serialized again');
  const inputs = deserializeModel(first);
  assert.deepEqual(
    inputs.accounts.map((a) => a.id),
    [...engine.universe.accounts.keys()],
  );
  assert.ok(inputs.accounts.length > 0);

  await engine.updateAccount('999999999999', () => ({
    account: emptyAccount('999999999999'),
    result: undefined,
  }));
  const second = engine.snapshot();
  assert.notEqual(second, first);
  assert.ok(second.version > first.version);
  assert.ok(deserializeModel(second).accounts.some((a) => a.id === '999999999999'));
});
