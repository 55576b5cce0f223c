/**
 * Redundancy (access-analyzer-reference-policy-checks: redundant action,
 * redundant resource, redundant statement): an entry repeated or covered by a
 * wildcard entry of the same list, and a statement whose every request is
 * already matched by another statement with the same effect, principal and
 * conditions. Actions compare case-insensitively, ARNs case-sensitively
 * (reference_policies_elements_action, reference_policies_elements_resource).
 */
import type { ConditionClause, PrincipalBlock, Statement, ValueList } from '../policy/model.js';
import type { LintContext, ListElement } from './context.js';
import { formatJsonPath } from '../diagnostics/diagnostic.js';
import { wildcardContains } from '../eval/match/wildcard.js';

export function checkRedundancy(ctx: LintContext): void {
  for (const s of ctx.policy.statements) {
    checkList(ctx, s, 'Action', s.action, true);
    checkList(ctx, s, 'NotAction', s.notAction, true);
    checkList(ctx, s, 'Resource', s.resource, false);
    checkList(ctx, s, 'NotResource', s.notResource, false);
  }
  checkStatements(ctx);
}

function checkList(ctx: LintContext, s: Statement, element: ListElement, list: ValueList | undefined, ci: boolean): void {
  if (!list) return;
  const code = element.endsWith('Action') ? 'REDUNDANT_ACTION' : 'REDUNDANT_RESOURCE';
  const same = (a: string, b: string): boolean => (ci ? a.toLowerCase() === b.toLowerCase() : a === b);
  list.values.forEach((value, i) => {
    let message: string | undefined;
    for (let j = 0; j < list.values.length && !message; j++) {
      const other = list.values[j] ?? '';
      if (j === i) continue;
      if (same(other, value)) {
        // Report every repetition after the first.
        if (j < i) message = `"${value}" is already listed at line ${list.spans[j]?.start.line ?? '?'}; remove the repetition`;
      } else if (wildcardContains(other, value, ci)) {
        message = `"${value}" is already covered by "${other}" in the same list; remove it`;
      }
    }
    if (message) ctx.report(code, message, list.spans[i] ?? list.span, ctx.valuePath(s, element, list, i));
  });
}

function clauseId(c: ConditionClause): string {
  return `${c.operator.toLowerCase()}|${c.key.toLowerCase()}|${[...c.values].sort().join('\u0000')}`;
}

function conditionsId(s: Statement): string {
  return s.conditions.map(clauseId).sort().join('\n');
}

function principalId(p: PrincipalBlock | undefined): string {
  if (!p) return '';
  if (p.wildcard) return '*';
  return Object.entries(p.values)
    .map(([k, v]) => `${k}=${[...(v ?? [])].sort().join(',')}`)
    .sort()
    .join(';');
}

/** Every value of `inner` covered by some value of `outer` (absent lists must both be absent). */
function covers(outer: ValueList | undefined, inner: ValueList | undefined, ci: boolean): boolean {
  if (!outer || !inner) return outer === inner;
  return inner.values.every((v) => outer.values.some((o) => wildcardContains(o, v, ci)));
}

function sameShape(a: Statement, b: Statement): boolean {
  return (
    a.effect === b.effect &&
    !a.notAction && !b.notAction && !a.notResource && !b.notResource &&
    !a.notPrincipal && !b.notPrincipal &&
    principalId(a.principal) === principalId(b.principal) &&
    conditionsId(a) === conditionsId(b)
  );
}

/** Is every request matched by `a` also matched by `b`? */
function coveredBy(a: Statement, b: Statement): boolean {
  return sameShape(a, b) && covers(b.action, a.action, true) && covers(b.resource, a.resource, false);
}

function checkStatements(ctx: LintContext): void {
  const list = ctx.policy.statements;
  list.forEach((a, i) => {
    const b = list.find((other, j) => {
      if (j === i || !coveredBy(a, other)) return false;
      // Two equivalent statements: report only the later one.
      return !(coveredBy(other, a) && j > i);
    });
    if (!b) return;
    const where = formatJsonPath(ctx.statementPath(b));
    const verb = a.effect === 'Allow' ? 'allow' : 'deny';
    ctx.report(
      'REDUNDANT_STATEMENT',
      `Everything this statement would ${verb} is already ${verb === 'allow' ? 'allowed' : 'denied'} by ${where} (line ${b.span.start.line}) under the same conditions; remove it or merge the two`,
      a.span,
      ctx.statementPath(a),
    );
  });
}
