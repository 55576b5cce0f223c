/**
 * cloudsplaining's risk categories per principal. The categories and their
 * action lists are defined once, for audit and lint alike, in
 * src/catalog/risk-categories.ts (access levels of the service reference where
 * the category is one, else documented lists; docs/risk-categories.md).
 * A principal has a risk when the evaluator allows such an action on every
 * resource (`*`), as cloudsplaining flags actions without resource constraints.
 * Privilege escalation comes from the escalation paths (paths.ts).
 */
import { findPrincipal, principalPolicies, type Universe } from '../account/query.js';
import { listActions } from '../catalog/actions.js';
import { Catalog } from '../catalog/catalog-object.js';
import { categoryOfAction, type RiskCategory } from '../catalog/risk-categories.js';
import { listServices } from '../catalog/services.js';
import type { WildcardCache } from '../primitives/wildcard.js';
import { parseModelPolicy } from '../account/parsed-policies.js';
import type { AuditDecider } from './decide.js';
import { lazy } from '../primitives/lazy.js';

export type { RiskCategory };

export interface Risk {
  readonly category: RiskCategory;
  /** How many actions of the category are allowed on every resource. */
  readonly count: number;
  /** The first of them (sorted), at most 25. */
  readonly actions: readonly string[];
  /**
   * privilege-escalation only: the policies allow these techniques but the
   * model holds no target for them (no path); see potential.ts.
   */
  readonly potential?: { readonly techniques: readonly string[] };
}

/** Every catalog action with a risk category (a constant of the catalog, built on first use). */
export const riskyActions: () => ReadonlyMap<string, RiskCategory> = lazy(() => {
  const m = new Map<string, RiskCategory>();
  for (const s of listServices()) {
    for (const a of listActions(s)) {
      const c = categoryOfAction(a);
      if (c) m.set(a, c);
    }
  }
  return m;
});

/** The risky actions in sorted order, and each one's place in it (a constant of the catalog). */
const riskyOrder: () => { readonly actions: readonly string[]; readonly index: ReadonlyMap<string, number> } = lazy(() => {
  const actions = [...riskyActions().keys()].sort();
  return { actions, index: new Map(actions.map((a, i) => [a, i] as const)) };
});

/**
 * Risky actions some Allow statement of the principal names: the only ones sent to the evaluator (sorted). Each
 * policy's are listed once by its text (`memo`) as places in the sorted list, so a principal's union is a pass over
 * marks, not a set and a sort of up to 12,500 actions per principal.
 */
function candidates(u: Universe, arn: string, patterns: WildcardCache, catalog: Catalog, memo?: Map<string, readonly number[]>): string[] {
  const p = findPrincipal(u, arn);
  if (p === undefined) return [];
  const order = riskyOrder();
  const marks = new Uint8Array(order.actions.length);
  let count = 0;
  for (const pp of principalPolicies(p).identity) {
    let named = memo?.get(pp.document);
    if (named === undefined) {
      named = namedRisky(u, pp.document, pp.name, patterns, catalog);
      memo?.set(pp.document, named);
    }
    for (const i of named) {
      if (marks[i] === 0) count++;
      marks[i] = 1;
    }
  }
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) if (marks[i] === 1) out.push(order.actions[i] as string);
  return out;
}

/** The risky actions the Allow statements of one identity policy name (Action, or every one NotAction leaves), as places in the sorted list. */
function namedRisky(u: Universe, document: string, name: string, patterns: WildcardCache, catalog: Catalog): number[] {
  const { index } = riskyOrder();
  const out = new Set<number>();
  const policy = parseModelPolicy(u, document, 'identity', name, true).policy;
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    for (const pattern of st.action?.values ?? []) {
      for (const a of catalog.expandActionPattern(pattern)) {
        const i = index.get(a);
        if (i !== undefined) out.add(i);
      }
    }
    if (st.notAction) {
      const excluded = st.notAction.values.map((v) => patterns.get(v));
      for (const [a, i] of index) if (!excluded.some((f) => f(a))) out.add(i);
    }
  }
  return [...out];
}

/** The principal's risks (privilege escalation excluded), decided by the evaluator on `*`; `memo`: each policy's risky actions, by its text. */
/** `catalog`: the audit's (AuditModel.catalog), which keeps the Action patterns it expands; default: one for this call. */
export function risksOf(
  u: Universe,
  d: AuditDecider,
  arn: string,
  patterns: WildcardCache,
  memo?: Map<string, readonly number[]>,
  catalog: Catalog = new Catalog(),
): Risk[] {
  const risky = riskyActions();
  const allowed = new Map<RiskCategory, string[]>();
  const actions = candidates(u, arn, patterns, catalog, memo);
  const allowedOnStar = d.allowedOnStar(arn, actions);
  for (const [i, a] of actions.entries()) {
    if (!allowedOnStar[i]) continue;
    const c = risky.get(a);
    if (c === undefined) continue;
    const list = allowed.get(c) ?? [];
    list.push(a);
    allowed.set(c, list);
  }
  const order: RiskCategory[] = ['credentials-exposure', 'data-exfiltration', 'resource-exposure', 'infrastructure-modification'];
  return order.flatMap((category) => {
    const list = allowed.get(category);
    return list ? [{ category, count: list.length, actions: list.slice(0, 25) }] : [];
  });
}
