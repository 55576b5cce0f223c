import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileWildcard, compileWildcardOps, equalsLowered, hasWildcards, matchOps, WildcardCache, wildcardContains } from './wildcard.js';

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

test('WildcardCache: case-insensitive action patterns compile once and agree with compileWildcard', () => {
  const cache = new WildcardCache(true, 2);
  assert.equal(cache.matches('s3:Get*', 's3:GetObject'), true);
  assert.equal(cache.matches('s3:get*', 'S3:GETOBJECT'), true);
  assert.equal(cache.matches('iam:?assRole', 'iam:PassRole'), true);
  assert.equal(cache.matches('iam:?assRole', 'iam:assRole'), false);
  assert.equal(cache.matches('s3:Get.bject', 's3:GetObject'), false, 'regex characters are literal');
  assert.equal(cache.get('*')(''), true);
  assert.equal(cache.get('s3:Get*'), cache.get('s3:Get*'), 'memoised');
  assert.equal(hasWildcards('a?'), true);
  assert.equal(hasWildcards('abc'), false);
});

test('property: case-insensitive matching agrees with a case-insensitive reference on ASCII', () => {
  const alphabet = fc.constantFrom('a', 'B', 'b', 'A', ':', '*', '?');
  fc.assert(
    fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: alphabet, maxLength: 10 }), (p, v) => {
      assert.equal(new WildcardCache(true).matches(p, v), new RegExp(reference(p).source, 'i').test(v));
    }),
    { numRuns: 2000 },
  );
});

test('wildcardContains: pattern containment', () => {
  const cases: [string, string, boolean][] = [
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/k', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/*', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a*', true],
    ['arn:aws:s3:::b/a*', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/?', true],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/x', true],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/xy', false],
    ['*', 'anything', true],
    ['a*c', 'abc*c', true],
    ['a*c', 'ab*', false],
  ];
  for (const [outer, inner, want] of cases) assert.equal(wildcardContains(outer, inner, false), want, `${outer} ⊇ ${inner}`);
  assert.equal(wildcardContains('S3:Get*', 's3:getobject', true), true);
  assert.equal(wildcardContains('S3:Get*', 's3:getobject', false), false);
});

/** Strings `pattern` matches: each `*` becomes 0-2 characters, each `?` one, from `fill`. */
function instances(pattern: string, fill: readonly string[]): string[] {
  let out = [''];
  for (const ch of pattern) {
    const pieces = ch === '*' ? ['', ...fill, ...fill.flatMap((a) => fill.map((b) => a + b))] : ch === '?' ? [...fill] : [ch];
    out = out.flatMap((s) => pieces.map((p) => s + p));
    if (out.length > 400) out = out.slice(0, 400);
  }
  return out;
}

test('property: wildcardContains is sound (every string inner matches, outer matches) and exact without ? in outer', () => {
  const unit = fc.constantFrom('a', 'b', '/', '*', '?');
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 6 }), fc.string({ unit, maxLength: 6 }), (outer, inner) => {
      const contains = wildcardContains(outer, inner, false);
      const matchOuter = compileWildcard(outer, false);
      if (contains) for (const s of instances(inner, ['a', 'b', '/'])) assert.ok(matchOuter(s), `${outer} ⊇ ${inner} but not ${s}`);
      if (!hasWildcards(inner)) assert.equal(contains, matchOuter(inner));
      // Outer without `?` is decided exactly: inner's wildcards, as a character outer never names, must fall in a `*`.
      if (!outer.includes('?')) assert.equal(contains, matchOuter(inner.replace(/[*?]/g, 'z')));
    }),
    { numRuns: 3000 },
  );
});
