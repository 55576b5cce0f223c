/**
 * The states one condition key can take in a request: absent, one value, or
 * (for multivalued keys) several values. The clauses on the key are compiled
 * by the evaluator (eval/conditions) and decide each state; states that no
 * clause can tell apart are merged, one representative each.
 *
 * Single- vs multivalued follows the Service Authorization Reference type
 * (ArrayOf… = multivalued); a key the catalog does not know is multivalued
 * exactly when the policy uses a set qualifier on it
 * (reference_policies_single-vs-multi-valued-condition-keys.md).
 */
import { getConditionKey } from '../catalog/catalog.js';
import type { ContextKeyType, ContextValue, RequestContext } from '../eval/request.js';
import type { CompiledClause } from '../eval/conditions/index.js';
import { Undecided } from './automaton.js';
import { familyOf, valueCandidates, type ValueFamily, type ValueMode } from './values.js';

export const NO_CONTEXT_REQUEST: RequestContext = { action: '', resource: '', context: new Map() };

const BASE_TYPE: Readonly<Record<ValueFamily, string>> = {
  String: 'string',
  Numeric: 'numeric',
  Date: 'date',
  Bool: 'boolean',
  Binary: 'binary',
  IpAddress: 'ip',
  Arn: 'string',
  Any: 'string',
};

/** The largest number of value cells whose subsets are enumerated for a multivalued key. */
const MAX_SUBSET_CELLS = 10;

export interface KeyDomain {
  /** The key as first written in the policies. */
  readonly key: string;
  readonly family: ValueFamily;
  readonly multivalued: boolean;
  /** Representative states (undefined = absent). */
  readonly states: readonly (ContextValue | undefined)[];
}

function isMultivalued(key: string, clauses: readonly CompiledClause[]): boolean {
  const info = getConditionKey(key);
  if (info !== undefined) return /^ArrayOf/i.test(info.type);
  return clauses.some((c) => c.clause.setQualifier !== undefined);
}

function signature(clauses: readonly CompiledClause[], cv: ContextValue | undefined): string {
  let s = '';
  for (const c of clauses) s += c.evaluate(cv, NO_CONTEXT_REQUEST) ? '1' : '0';
  return s;
}

function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) out.push(items.filter((_, i) => (mask & (1 << i)) !== 0));
  return out;
}

/** `present`: the key is in every request (catalog/request-keys.ts), so it has no absent state. */
export function keyDomain(key: string, clauses: readonly CompiledClause[], mode: ValueMode = 'free', present = false): KeyDomain {
  const family = familyOf(
    key,
    clauses.map((c) => c.clause),
  );
  const multivalued = isMultivalued(key, clauses);
  const type = `${BASE_TYPE[family]}${multivalued ? 'List' : ''}` as ContextKeyType;
  const make = (values: string[]): ContextValue => ({ key, type, values, multivalued });
  // Value cells: values no clause can tell apart as a single value.
  const cells = new Map<string, string>();
  for (const v of valueCandidates(
    family,
    clauses.map((c) => c.clause),
    mode,
  )) {
    const sig = signature(clauses, make([v]));
    if (!cells.has(sig)) cells.set(sig, v);
  }
  const reps = [...cells.values()];
  const states: (ContextValue | undefined)[] = [...(present ? [] : [undefined]), ...reps.map((v) => make([v]))];
  if (multivalued) {
    if (reps.length > MAX_SUBSET_CELLS) {
      throw new Undecided(`the multivalued key ${key} has ${reps.length} distinct value classes (more than ${MAX_SUBSET_CELLS})`);
    }
    for (const set of subsets(reps)) states.push(make(set.length === 1 ? [set[0]!, set[0]!] : set));
  }
  const seen = new Set<string>();
  const unique = states.filter((cv) => {
    const sig = signature(clauses, cv);
    if (seen.has(sig)) return false;
    seen.add(sig);
    return true;
  });
  return { key, family, multivalued, states: unique };
}
