/**
 * Grants, kept compact. A principal allowed `iam:PutUserPolicy` on `*` can
 * give every user of its account any permission: one grant per grantor and
 * grantee would make grantors × principals objects (tens of millions in a
 * large organization). A grant set is one grantor's grants of one technique
 * to a target list — grantees with the resource each step acts on — and the
 * list is one array shared by every grantor whose request reaches the same
 * targets (graph.ts builds each list once). Single grants are made from it
 * only when a path needs them.
 */
import type { Step } from './step.js';
import { derived } from '../primitives/lazy.js';

export interface Grant {
  readonly by: string;
  readonly target: string;
  readonly technique: string;
  readonly steps: readonly Step[];
}

/** Grantees, in order, and the resource the grant's step acts on for each (a group for its members). */
export interface TargetList {
  readonly grantees: readonly string[];
  readonly resources: readonly string[];
}

export interface GrantSet {
  readonly by: string;
  readonly technique: string;
  readonly to: TargetList;
  /** The grant's step; its resource is the grantee's entry of `to.resources`. */
  readonly step: Step;
  /** Steps made first for some grantees (removing a permissions boundary), by grantee. */
  readonly before?: Readonly<Record<string, Step>>;
}

/** The grant of a set to its `i`-th grantee. */
export function grantAt(set: GrantSet, i: number): Grant {
  const target = set.to.grantees[i] as string;
  const first = set.before?.[target];
  const main: Step = { ...set.step, resource: set.to.resources[i] as string };
  return { by: set.by, target, technique: set.technique, steps: first ? [first, main] : [main] };
}

/** Every grant of the sets, in order (for tests and small models). */
export function expandGrants(sets: readonly GrantSet[]): Grant[] {
  return sets.flatMap((s) => s.to.grantees.map((_, i) => grantAt(s, i)));
}

/** Where each grantee is in a target list (derived once per list). */
const positionsOf: (list: TargetList) => ReadonlyMap<string, readonly number[]> = derived((list: TargetList) => {
  const out = new Map<string, number[]>();
  list.grantees.forEach((g, i) => {
    const at = out.get(g);
    if (at) at.push(i);
    else out.set(g, [i]);
  });
  return out;
});

const EMPTY: readonly [GrantSet, number][] = [];

/**
 * One grantor's grants, indexed without expanding them: whether it grants a
 * principal, its grants to it, and its distinct grantees in the order the
 * grants were made.
 */
export class Grantor {
  private count: number | undefined;
  private readonly at: readonly ReadonlyMap<string, readonly number[]>[];
  constructor(readonly sets: readonly GrantSet[]) {
    this.at = sets.map((s) => positionsOf(s.to));
  }

  has(target: string): boolean {
    for (const m of this.at) if (m.has(target)) return true;
    return false;
  }

  /** The grants to `target`, as [set, position] pairs (made into grants with grantAt when needed). */
  grantsTo(target: string): readonly [GrantSet, number][] {
    let out: [GrantSet, number][] | undefined;
    for (let k = 0; k < this.sets.length; k++) {
      const at = this.at[k]?.get(target);
      if (at === undefined) continue;
      out ??= [];
      for (const i of at) out.push([this.sets[k] as GrantSet, i]);
    }
    return out ?? EMPTY;
  }

  /** Distinct grantees, first grant first. */
  *targets(): Generator<string> {
    const seen = new Set<string>();
    for (const s of this.sets) {
      for (const g of s.to.grantees) {
        if (seen.has(g)) continue;
        seen.add(g);
        yield g;
      }
    }
  }

  get size(): number {
    if (this.count === undefined) {
      const all = new Set<string>();
      for (const s of this.sets) for (const g of s.to.grantees) all.add(g);
      this.count = all.size;
    }
    return this.count;
  }
}
