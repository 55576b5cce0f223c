/**
 * The value classes of the search cover the evaluator's whole value space:
 * for random policy constants and random request values — epoch dates with
 * fractions, years past 9999, digit strings beyond a float (±∞), CIDR-shaped
 * request values, IPv4-mapped IPv6 addresses and prefixes, decimals with
 * exponents — the request value's vector of clause outcomes (computed by
 * the evaluator's compiled clauses) is realized by one of the representatives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clause } from '../eval/conditions/clause-builder.js';
import { compileClause } from '../eval/conditions/index.js';
import type { ContextKeyType } from '../eval/request.js';
import { NO_CONTEXT_REQUEST } from './keys.js';
import { Undecided } from './automaton.js';
import { valueCandidates, type ValueFamily } from './values.js';

function covered(family: ValueFamily, type: ContextKeyType, ops: readonly string[], policyValues: readonly string[], requests: readonly string[]): void {
  const clauses = ops.map((op, i) =>
    compileClause(
      clause(
        op,
        'k',
        policyValues.filter((_, j) => j % ops.length === i % ops.length || ops.length === 1),
      ),
      false,
    ),
  );
  const sig = (v: string) => clauses.map((c) => (c.evaluate({ key: 'k', type, values: [v], multivalued: false }, NO_CONTEXT_REQUEST) ? '1' : '0')).join('');
  let reps: string[];
  try {
    reps = valueCandidates(
      family,
      clauses.map((c) => c.clause),
      'free',
    );
  } catch (e) {
    assert.ok(e instanceof Undecided, String(e)); // the check answers UNKNOWN, never PASS
    return;
  }
  const seen = new Set(reps.map(sig));
  for (const r of requests)
    assert.ok(
      seen.has(sig(r)),
      `request ${JSON.stringify(r)} (${sig(r)}) has no representative among ${JSON.stringify(reps)} for ${JSON.stringify(policyValues)}`,
    );
}

const epoch = fc.oneof(
  fc.integer({ min: -1e12, max: 1e13 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 4e11 }), fc.integer({ min: 0, max: 9999 })).map(([s, f]) => `${s}.${String(f).padStart(4, '0')}`),
  fc.constantFrom('253402300800', '253402300799.9995', '1700000000.0005', '1700000000.0006', '9'.repeat(400), `-${'9'.repeat(400)}`, '0', '-0.5'),
);
const iso = fc
  .date({ min: new Date(Date.UTC(0, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString())
  .filter((s) => !s.startsWith('+') && !s.startsWith('-'));
const date = fc.oneof(epoch, iso, fc.constantFrom('2024-01-01', '2024-01', '2024-01-01T00:00:00.0005Z', '2024-01-01T01:00:00+01:00'));

test('Date: every request value falls in a class that has a representative', () => {
  fc.assert(
    fc.property(
      fc.subarray(['DateEquals', 'DateLessThan', 'DateGreaterThanEquals', 'DateNotEquals', 'DateGreaterThan'], { minLength: 1 }),
      fc.array(date, { minLength: 1, maxLength: 4 }),
      fc.array(date, { minLength: 1, maxLength: 30 }),
      (ops, values, requests) => covered('Date', 'date', ops, values, requests),
    ),
    { numRuns: 300 },
  );
});

const v4 = fc.tuple(fc.constantFrom(10, 192, 0, 255), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }));
const v4text = v4.map((o) => o.join('.'));
const ipValue = fc.oneof(
  v4text,
  fc.tuple(v4text, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
  v4text.map((a) => `::ffff:${a}`),
  fc.tuple(v4text, fc.integer({ min: 96, max: 128 })).map(([a, p]) => `::ffff:${a}/${p}`),
  fc.tuple(fc.constantFrom('2001:db8::', '2001:db8::1', '::', 'fe80::1', '2001:db8:ffff::'), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
  fc.constantFrom('2001:db8::1', '::1', '0.0.0.0/0', '::/0'),
);

test('IpAddress: addresses, CIDR-shaped request values and IPv4-mapped IPv6 prefixes all have a representative', () => {
  fc.assert(
    fc.property(
      fc.subarray(['IpAddress', 'NotIpAddress'], { minLength: 1 }),
      fc.array(ipValue, { minLength: 1, maxLength: 4 }),
      fc.array(ipValue, { minLength: 1, maxLength: 30 }),
      (ops, values, requests) => covered('IpAddress', 'ip', ops, values, requests),
    ),
    { numRuns: 300 },
  );
});

const decimal = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(String),
  fc.tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: -20, max: 20 })).map(([m, e]) => `${m}e${e}`),
  fc.constantFrom('0.1', '.5', '5.', '+3', '-0', '9007199254740993', '1e-30'),
);

test('Numeric: every request value falls in a class that has a representative', () => {
  fc.assert(
    fc.property(
      fc.subarray(['NumericEquals', 'NumericLessThan', 'NumericGreaterThanEquals'], { minLength: 1 }),
      fc.array(decimal, { minLength: 1, maxLength: 4 }),
      fc.array(decimal, { minLength: 1, maxLength: 30 }),
      (ops, values, requests) => covered('Numeric', 'numeric', ops, values, requests),
    ),
    { numRuns: 300 },
  );
});

test('Binary: bytes no policy value names have a representative even when the policy names the default one', () => {
  covered('Binary', 'binary', ['BinaryEquals'], ['ZXhhbXBsZS0w', 'ZXhhbXBsZS0x'], ['AAAA', 'ZXhhbXBsZS0w']);
});
