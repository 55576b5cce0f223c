/**
 * Action-pattern helpers shared by the rule families. Expansion goes through
 * the catalog, which loads only the services a pattern names; `*` and
 * patterns with a wildcard in the service prefix are never expanded.
 */
import { expandActionPattern } from '../catalog/catalog.js';
import { globToRegExp } from '../catalog/text.js';

const cache = new Map<string, readonly string[] | undefined>();

/**
 * The canonical actions a pattern covers, or undefined for `*`, for a
 * pattern without a service prefix, or one with a wildcard in the prefix.
 */
export function expand(pattern: string): readonly string[] | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  const colon = pattern.indexOf(':');
  const result = colon <= 0 || /[*?]/.test(pattern.slice(0, colon)) ? undefined : expandActionPattern(pattern);
  cache.set(pattern, result);
  return result;
}

/** Does the IAM action pattern cover the action name (case-insensitive, `*` and `?`)? */
export function patternCovers(pattern: string, action: string): boolean {
  return globToRegExp(pattern).test(action);
}

/** Does any pattern of the list cover the action? */
export function anyCovers(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => patternCovers(p, action));
}

/**
 * Is every string matched by glob `inner` also matched by glob `outer`?
 * Exact for patterns whose only wildcard is `*`: `outer` must match the text
 * of `inner` with each `*` of `inner` absorbed by a `*` of `outer`. With `?`
 * in `outer` only the equal-text case is decided (conservatively false otherwise).
 */
export function globContains(outer: string, inner: string, caseInsensitive: boolean): boolean {
  const a = caseInsensitive ? outer.toLowerCase() : outer;
  const b = caseInsensitive ? inner.toLowerCase() : inner;
  if (a === b) return true;
  if (a.includes('?')) return false;
  // Match `a` (with * wildcards) against `b`, where b's own wildcards may only be consumed by a's *.
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = i * (b.length + 1) + j;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === a.length) r = j === b.length;
    else if (a[i] === '*') r = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else r = j < b.length && b[j] !== '*' && b[j] !== '?' && a[i] === b[j] && go(i + 1, j + 1);
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}
