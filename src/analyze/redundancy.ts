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
import { wildcardContains } from '../primitives/wildcard.js';

export function checkRedundancy(ctx: LintContext): void {
  for (const s of ctx.policy.statements) {
    checkList(ctx, s, 'Action', s.action, true);
    checkList(ctx, s, 'NotAction', s.notAction, true);
    checkList(ctx, s, 'Resource', s.resource, false);
    checkList(ctx, s, 'NotResource', s.notResource, false);
  }
  checkStatements(ctx);
}

const hasWildcard = (v: string): boolean => v.includes('*') || v.includes('?');

/**
 * Repeated entries are found with a map (linear); coverage by a wildcard
 * entry is checked only against the list's wildcard entries.
 */
function checkList(ctx: LintContext, s: Statement, element: ListElement, list: ValueList | undefined, ci: boolean): void {
  if (!list) return;
  const code = element.endsWith('Action') ? 'REDUNDANT_ACTION' : 'REDUNDANT_RESOURCE';
  const norm = (v: string): string => (ci ? v.toLowerCase() : v);
  const first = new Map<string, number>();
  list.values.forEach((v, i) => {
    if (!first.has(norm(v))) first.set(norm(v), i);
  });
  const wild = [...first.values()].filter((i) => hasWildcard(list.values[i] ?? ''));
  list.values.forEach((value, i) => {
    let message: string | undefined;
    const j0 = first.get(norm(value)) ?? i;
    if (j0 < i) message = `"${value}" is already listed at line ${list.spans[j0]?.start.line ?? '?'}; remove the repetition`;
    for (let k = 0; k < wild.length && !message; k++) {
      const other = list.values[wild[k]!] ?? '';
      if (norm(other) !== norm(value) && wildcardContains(other, value, ci))
        message = `"${value}" is already covered by "${other}" in the same list; remove it`;
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

/** Statements that can cover one another share this key (effect, principal, conditions); undefined for Not* statements. */
export function shapeKey(a: Statement): string | undefined {
  if (a.notAction || a.notResource || a.notPrincipal) return undefined;
  return `${a.effect}\n${principalId(a.principal)}\n${conditionsId(a)}`;
}

/** Is every request matched by `a` also matched by `b` (same shape assumed)? */
export function coveredBy(a: Statement, b: Statement): boolean {
  return covers(b.action, a.action, true) && covers(b.resource, a.resource, false);
}

/** The service part of an action (up to ':' or the first wildcard): '' for patterns starting with a wildcard. */
function serviceBucket(action: string): string {
  const lower = action.toLowerCase();
  const cut = lower.search(/[:*?]/);
  return cut < 0 ? lower : lower[cut] === ':' ? lower.slice(0, cut) : '';
}

/** The literal start of a pattern, up to its first wildcard. */
function literalPrefix(v: string): string {
  const k = v.search(/[*?]/);
  return k < 0 ? v : v.slice(0, k);
}

const actionKey = (act: string): string => (hasWildcard(act) ? `w:${serviceBucket(act)}` : `l:${act.toLowerCase()}`);
const resourceKey = (res: string): string => (hasWildcard(res) ? `p:${literalPrefix(res)}` : `e:${res}`);

/**
 * Candidate statements that may cover `a`. A statement covering `a` has an
 * action covering a's first action (the same literal action, or a pattern of
 * the same service or starting with a wildcard) paired with a resource
 * covering a's first resource (the same literal ARN, or a pattern whose
 * literal start is a prefix of it). Statements are indexed by those pairs, so
 * a lookup costs a few map reads per character of the ARN and the check stays
 * near-linear in the number of statements; each candidate is then compared
 * exactly (coveredBy).
 */
export class ShapeIndex {
  private readonly pairs = new Map<string, Statement[]>();

  add(st: Statement): void {
    for (const act of new Set((st.action?.values ?? []).map(actionKey))) {
      for (const res of new Set((st.resource?.values ?? []).map(resourceKey))) {
        const k = `${act}\u0000${res}`;
        const l = this.pairs.get(k);
        if (l === undefined) this.pairs.set(k, [st]);
        else if (l[l.length - 1] !== st) l.push(st);
      }
    }
  }

  candidates(a: Statement): Statement[] {
    const act = a.action?.values[0];
    const res = a.resource?.values[0];
    if (act === undefined || res === undefined) return [];
    const acts = new Set([`l:${act.toLowerCase()}`, `w:${serviceBucket(act)}`, 'w:']);
    const out: Statement[] = [];
    for (const ak of acts) {
      out.push(...(this.pairs.get(`${ak}\u0000e:${res}`) ?? []));
      const stop = literalPrefix(res).length;
      for (let n = 0; n <= stop; n++) out.push(...(this.pairs.get(`${ak}\u0000p:${res.slice(0, n)}`) ?? []));
    }
    return out;
  }
}

function checkStatements(ctx: LintContext): void {
  const list = ctx.policy.statements;
  const indexes = new Map<string, ShapeIndex>();
  const keys = list.map(shapeKey);
  list.forEach((st, i) => {
    const k = keys[i];
    if (k === undefined) return;
    let idx = indexes.get(k);
    if (idx === undefined) {
      idx = new ShapeIndex();
      indexes.set(k, idx);
    }
    idx.add(st);
  });
  const position = new Map(list.map((st, i) => [st, i] as const));
  list.forEach((a, i) => {
    const k = keys[i];
    if (k === undefined) return;
    const b = indexes
      .get(k)!
      .candidates(a)
      .find((other) => {
        const j = position.get(other)!;
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
