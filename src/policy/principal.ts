/**
 * Parses Principal / NotPrincipal blocks (reference_policies_elements_principal,
 * reference_policies_elements_notprincipal, reference_policies_grammar).
 */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { PrincipalBlock, PrincipalKind } from './model.js';
import { describe, isObject, listItemPath } from './context.js';
import type { ParseContext } from './context.js';
import { withArticle } from './rules.js';
import { checkPrincipal } from './values.js';

export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

/** Reads the value of a Principal or NotPrincipal element at `path`. */
export function parsePrincipal(ctx: ParseContext, value: unknown, path: JsonPath, element: string): PrincipalBlock | undefined {
  if (value === undefined) return undefined;
  const span = ctx.span(path, undefined, 'property');
  if (typeof value === 'string') {
    if (value === '*') return { wildcard: true, span };
    ctx.report(
      'PRINCIPAL_INVALID_BLOCK',
      'error',
      `${element} must be "*" or a map such as {"AWS": ...}; the string ${describe(value)} is not accepted`,
      ctx.span(path),
      path,
    );
    return undefined;
  }
  if (!isObject(value)) {
    ctx.report('PRINCIPAL_INVALID_BLOCK', 'error', `${element} must be "*" or a map of principal types, found ${describe(value)}`, ctx.span(path), path);
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    ctx.report('PRINCIPAL_INVALID_BLOCK', 'error', `${element} map is empty`, ctx.span(path), path);
  }
  const values: Partial<Record<PrincipalKind, readonly string[]>> = {};
  for (const key of keys) {
    const entryPath = [...path, key];
    const kind = PRINCIPAL_KINDS.find((k) => k === key);
    if (!kind) {
      const hint = PRINCIPAL_KINDS.find((k) => k.toLowerCase() === key.toLowerCase());
      ctx.report(
        'PRINCIPAL_UNKNOWN_TYPE',
        'error',
        `Unknown principal type "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; use AWS, Service, Federated or CanonicalUser`,
        ctx.keySpan(entryPath),
        entryPath,
      );
      continue;
    }
    const read = ctx.stringList(value[key], entryPath, `${element}.${key}`);
    if (!read) continue;
    const { list } = read;
    if (kind === 'CanonicalUser' && !ctx.rules.canonicalUser) {
      ctx.report(
        'PRINCIPAL_UNRECOGNIZED',
        'warning',
        `CanonicalUser principals are an Amazon S3 feature and are not expected in ${withArticle(ctx.rules)}`,
        ctx.keySpan(entryPath),
        entryPath,
      );
    }
    list.values.forEach((v, i) => {
      for (const issue of checkPrincipal(kind, v)) {
        ctx.report(issue.code, issue.severity, issue.message, list.spans[i] ?? list.span, listItemPath(entryPath, read, i));
      }
    });
    values[kind] = list.values;
  }
  return { wildcard: false, values, span };
}
