/**
 * Parses Principal / NotPrincipal blocks (reference_policies_elements_principal,
 * reference_policies_elements_notprincipal, reference_policies_grammar).
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { PrincipalBlock, PrincipalKind } from './model.js';
import { describe, propKey, propValue } from './context.js';
import type { ParseContext } from './context.js';
import { withArticle } from './rules.js';
import { checkPrincipal } from './values.js';

export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

export function parsePrincipal(ctx: ParseContext, prop: JsonNode, path: JsonPath, element: string): PrincipalBlock | undefined {
  const node = propValue(prop);
  if (!node) return undefined;
  const span = ctx.span(prop);
  if (node.type === 'string') {
    if (node.value === '*') return { wildcard: true, span };
    ctx.report(
      'PRINCIPAL_INVALID_BLOCK',
      'error',
      `${element} must be "*" or a map such as {"AWS": ...}; the string ${describe(node)} is not accepted`,
      node,
      path,
    );
    return undefined;
  }
  if (node.type !== 'object') {
    ctx.report('PRINCIPAL_INVALID_BLOCK', 'error', `${element} must be "*" or a map of principal types, found ${describe(node)}`, node, path);
    return undefined;
  }
  const entries = ctx.properties(node);
  if (entries.size === 0) {
    ctx.report('PRINCIPAL_INVALID_BLOCK', 'error', `${element} map is empty`, node, path);
  }
  const values: Partial<Record<PrincipalKind, readonly string[]>> = {};
  for (const [key, entry] of entries) {
    const entryPath = [...path, key];
    const kind = PRINCIPAL_KINDS.find((k) => k === key);
    if (!kind) {
      const hint = PRINCIPAL_KINDS.find((k) => k.toLowerCase() === key.toLowerCase());
      ctx.report(
        'PRINCIPAL_UNKNOWN_TYPE',
        'error',
        `Unknown principal type "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; use AWS, Service, Federated or CanonicalUser`,
        propKey(entry),
        entryPath,
      );
      continue;
    }
    const read = ctx.stringList(entry, entryPath, `${element}.${key}`);
    if (!read) continue;
    const { list, paths } = read;
    if (kind === 'CanonicalUser' && !ctx.rules.canonicalUser) {
      ctx.report(
        'PRINCIPAL_UNRECOGNIZED',
        'warning',
        `CanonicalUser principals are an Amazon S3 feature and are not expected in ${withArticle(ctx.rules)}`,
        propKey(entry),
        entryPath,
      );
    }
    list.values.forEach((value, i) => {
      for (const issue of checkPrincipal(kind, value)) {
        ctx.report(issue.code, issue.severity, issue.message, list.spans[i] ?? list.span, paths[i] ?? entryPath);
      }
    });
    values[kind] = list.values;
  }
  return { wildcard: false, values, span };
}
