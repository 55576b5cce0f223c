/** Property tests for condition semantics. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clause, requestWith } from './clause-builder.js';
import { compileConditions } from './index.js';

const str = fc.string({ unit: fc.constantFrom('a', 'b', 'A', '*', '?', '/'), maxLength: 5 });
const V = '2012-10-17';

function single(op: string, values: readonly string[], value: string): boolean {
  const req = requestWith([{ ContextKeyName: 'k', ContextKeyValues: [value], ContextKeyType: 'string' }]);
  return compileConditions([clause(op, 'k', values)], V)(req, false).matched;
}

const PAIRS: [string, string][] = [
  ['StringEquals', 'StringNotEquals'],
  ['StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'],
  ['StringLike', 'StringNotLike'],
  ['ArnLike', 'ArnNotLike'],
];

test('property: positive and negated operators are complements for a present single value', () => {
  fc.assert(
    fc.property(fc.constantFrom(...PAIRS), fc.array(str, { maxLength: 4 }), str, ([pos, neg], values, value) => {
      assert.equal(single(pos, values, value), !single(neg, values, value));
    }),
    { numRuns: 1500 },
  );
});

test('property: numeric operators agree with JavaScript comparison', () => {
  const ops: [string, (a: number, b: number) => boolean][] = [
    ['NumericEquals', (a, b) => a === b],
    ['NumericLessThan', (a, b) => a < b],
    ['NumericLessThanEquals', (a, b) => a <= b],
    ['NumericGreaterThan', (a, b) => a > b],
    ['NumericGreaterThanEquals', (a, b) => a >= b],
  ];
  fc.assert(
    fc.property(fc.constantFrom(...ops), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), ([op, f], r, p) => {
      assert.equal(single(op, [String(p)], String(r)), f(r, p));
    }),
    { numRuns: 500 },
  );
});

test('property: ForAllValues is the conjunction and ForAnyValue the disjunction of single checks', () => {
  fc.assert(
    fc.property(fc.array(str, { maxLength: 4 }), fc.array(str, { maxLength: 4 }), fc.boolean(), (policy, request, negated) => {
      const base = negated ? 'StringNotLike' : 'StringLike';
      const req = requestWith([{ ContextKeyName: 'k', ContextKeyValues: request, ContextKeyType: 'stringList' }]);
      const all = compileConditions([clause(`ForAllValues:${base}`, 'k', policy)], V)(req, false).matched;
      const any = compileConditions([clause(`ForAnyValue:${base}`, 'k', policy)], V)(req, false).matched;
      const each = request.map((v) => single(base, policy, v));
      assert.equal(all, each.every(Boolean));
      assert.equal(any, each.some(Boolean));
    }),
    { numRuns: 800 },
  );
});
