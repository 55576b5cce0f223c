import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileWildcard, equalsLowered, matchOps, compileWildcardOps } from './wildcard.js';

test('literal, star and question mark', () => {
  const cases: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything/at:all', true],
    ['a*', 'a', true],
    ['a*', 'ba', false],
    ['*a', 'ba', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'ac', true],
    ['a*c', 'acb', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['??', 'ab', true],
    ['??', 'abc', false],
    ['*?', '', false],
    ['*?', 'x', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['*ab*ab*', 'xxabyyabzz', true],
    ['*aab', 'aaab', true],
    ['a**b', 'ab', true],
    ['t1.*', 't1.micro', true],
    ['t1.*', 't2.micro', false],
  ];
  for (const [p, v, want] of cases) assert.equal(compileWildcard(p, false)(v), want, `${p} vs ${v}`);
});

test('wildcard matching is case-sensitive unless asked', () => {
  assert.equal(compileWildcard('Home/*', false)('home/x'), false);
  assert.equal(compileWildcard('Home/*', true)('HOME/x'), true);
});

test('matchOps respects a sub-range', () => {
  const w = compileWildcardOps('b*');
  assert.equal(matchOps(w.ops, w.lits, 'a:bcd:e', 2, 5), true);
  assert.equal(matchOps(w.ops, w.lits, 'a:bcd:e', 0, 5), false);
});

test('equalsLowered folds ASCII and falls back for non-ASCII', () => {
  assert.equal(equalsLowered('johndoe', 'JohnDoe'), true);
  assert.equal(equalsLowered('johndoe', 'JohnDo'), false);
  assert.equal(equalsLowered('straße', 'STRASSE'), false);
  assert.equal(equalsLowered('ärger', 'ÄRGER'), true);
});

function reference(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

test('property: agrees with a reference regex implementation', () => {
  const alphabet = fc.constantFrom('a', 'b', '/', ':', '*', '?');
  const valueAlphabet = fc.constantFrom('a', 'b', '/', ':', '*');
  fc.assert(
    fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: valueAlphabet, maxLength: 10 }), (p, v) => {
      assert.equal(compileWildcard(p, false)(v), reference(p).test(v));
    }),
    { numRuns: 3000 },
  );
});
