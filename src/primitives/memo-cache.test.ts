import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoCache } from './memo-cache.js';

test('a memo keeps what is used and drops what is not, within its capacity', () => {
  const m = new MemoCache<string, number>(4);
  m.set('a', 1);
  m.set('b', 2);
  m.set('c', 3); // young {c}, old {a, b}
  assert.equal(m.get('a'), 1); // a back to the young generation
  m.set('d', 4); // young full {c, a} → old; young {d}
  m.set('e', 5);
  m.set('f', 6); // old {d, e}: b and c were not used, so they are gone
  assert.equal(m.get('b'), undefined);
  assert.equal(m.get('c'), undefined);
  assert.equal(m.get('e'), 5);
  assert.ok(m.size <= 4);
  m.clear();
  assert.equal(m.size, 0);
  assert.equal(m.get('e'), undefined);
});

test('through makes a value once per key while it is held', () => {
  const m = new MemoCache<string, string>(8);
  let made = 0;
  const make = (k: string): string => {
    made++;
    return k.toUpperCase();
  };
  assert.equal(m.through('x', make), 'X');
  assert.equal(m.through('x', make), 'X');
  assert.equal(made, 1);
});

test('a memo never holds more than its capacity and answers what it holds correctly', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 16 }), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }), (capacity, keys) => {
      const m = new MemoCache<number, number>(capacity);
      for (const k of keys) {
        assert.equal(
          m.through(k, (x) => x * 2),
          k * 2,
        );
        assert.ok(m.size <= capacity, `size ${m.size} > ${capacity}`);
      }
    }),
  );
});

test('a capacity below 2 is refused', () => {
  assert.throws(() => new MemoCache(1), RangeError);
  assert.throws(() => new MemoCache(2.5), RangeError);
});
