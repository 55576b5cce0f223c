import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derived, lazy, lazyTable } from './lazy.js';

test('lazy makes its value once, on first read, even when the value is undefined', () => {
  let calls = 0;
  const v = lazy(() => {
    calls++;
    return undefined;
  });
  assert.equal(calls, 0);
  assert.equal(v(), undefined);
  assert.equal(v(), undefined);
  assert.equal(calls, 1);
});

test('lazyTable makes each entry once and returns the same value after', () => {
  const seen: string[] = [];
  const t = lazyTable((k: string) => {
    seen.push(k);
    return k === 'none' ? undefined : { k };
  });
  const a = t('a');
  assert.equal(t('a'), a);
  assert.equal(t('none'), undefined);
  assert.equal(t('none'), undefined);
  assert.deepEqual(seen, ['a', 'none']);
});

test('derived makes one value per object: equal objects get their own', () => {
  let calls = 0;
  const d = derived((o: { n: number }) => {
    calls++;
    return { twice: o.n * 2 };
  });
  const x = { n: 1 };
  const y = { n: 1 };
  assert.equal(d(x), d(x));
  assert.notEqual(d(x), d(y));
  assert.equal(calls, 2);
});
