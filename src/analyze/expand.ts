/**
 * Action-pattern helpers shared by the rule families. Expansion goes through
 * the catalog, which loads only the services a pattern names; `*` and
 * patterns with a wildcard in the service prefix are never expanded.
 */
import type { Catalog } from '../catalog/catalog-object.js';
import { compileWildcard } from '../primitives/wildcard.js';

/**
 * The canonical actions a pattern covers, or undefined for `*`, for a
 * pattern without a service prefix, or one with a wildcard in the prefix.
 * (The catalog given keeps its expansions, bounded; nothing is cached here.)
 */
export function expand(pattern: string, catalog: Catalog): readonly string[] | undefined {
  const colon = pattern.indexOf(':');
  return colon <= 0 || /[*?]/.test(pattern.slice(0, colon)) ? undefined : catalog.expandActionPattern(pattern);
}

/** Does the IAM action pattern cover the action name (case-insensitive, `*` and `?`)? */
export function patternCovers(pattern: string, action: string): boolean {
  return compileWildcard(pattern, true)(action);
}

/** Does any pattern of the list cover the action? */
export function anyCovers(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => patternCovers(p, action));
}
