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

/** Which of a graph's target lists hold each grantee (each distinct list indexed once). */
export class ListIndex {
  private readonly lists = new Map<string, TargetList[]>();
  private readonly seen = new Set<TargetList>();
  /** The grantors holding each list, each once, in the order they were added. */
  private readonly holders = new Map<TargetList, string[]>();

  add(list: TargetList, by: string): void {
    const held = this.holders.get(list);
    if (held === undefined) this.holders.set(list, [by]);
    else if (held[held.length - 1] !== by) held.push(by);
    if (this.seen.has(list)) return;
    this.seen.add(list);
    for (const g of new Set(list.grantees)) {
      const at = this.lists.get(g);
      if (at) at.push(list);
      else this.lists.set(g, [list]);
    }
  }

  listsOf(target: string): readonly TargetList[] {
    return this.lists.get(target) ?? [];
  }

  /** The grantors of `target`: per list that holds it, its grantors in the order they were added (a grantor may be in several). */
  grantorsOf(target: string): readonly (readonly string[])[] {
    return this.listsOf(target).map((l) => this.holders.get(l) ?? []);
  }
}

/**
 * One grantor's grants, indexed without expanding them: whether it grants a
 * principal, its grants to it, and its distinct grantees in the order the
 * grants were made. A lookup goes through the few lists that hold the
 * principal (`index`), not through every set of the grantor.
 */
export class Grantor {
  private count: number | undefined;
  /** The grantor's sets by target list, in set order. */
  private readonly byList = new Map<TargetList, number[]>();
  constructor(
    readonly sets: readonly GrantSet[],
    private readonly index: ListIndex,
  ) {
    sets.forEach((s, k) => {
      index.add(s.to, s.by);
      const at = this.byList.get(s.to);
      if (at) at.push(k);
      else this.byList.set(s.to, [k]);
    });
  }

  has(target: string): boolean {
    for (const l of this.index.listsOf(target)) if (this.byList.has(l)) return true;
    return false;
  }

  /** The grants to `target`, as [set, position] pairs in the order they were made (grantAt makes them grants). */
  grantsTo(target: string): readonly [GrantSet, number][] {
    const ks: number[] = [];
    for (const l of this.index.listsOf(target)) ks.push(...(this.byList.get(l) ?? []));
    if (ks.length === 0) return EMPTY;
    ks.sort((a, b) => a - b);
    const out: [GrantSet, number][] = [];
    for (const k of ks) {
      const set = this.sets[k] as GrantSet;
      for (const i of positionsOf(set.to).get(target) ?? []) out.push([set, i]);
    }
    return out;
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
