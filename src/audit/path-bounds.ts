/**
 * What lets the path search (paths.ts) skip nodes without changing its answer.
 * A path the search finds at a node u is at least as long as the route to u,
 * plus 0 when u is admin (the path ends there) or plus 1 when u grants or is
 * granted something (the grant is a hop of its own). For every node, the
 * least such extra length over what it reaches — edges followed forwards —
 * is computed once for the whole graph by one backwards breadth-first pass
 * from those nodes (a hop out of a role-subset node costs nothing, as in a
 * path's length). A node the search reaches at `len` whose bound makes
 * `len + bound` longer than every path it will report cannot add one; a node
 * with no bound reaches nothing that can.
 */
import type { Edge, Graph } from './edges.js';
import { derived } from '../primitives/lazy.js';

/** The edges into each node (derived once per graph). */
const edgesInto: (g: Graph) => ReadonlyMap<string, readonly Edge[]> = derived((g: Graph) => {
  const into = new Map<string, Edge[]>();
  for (const list of g.edges.values()) {
    for (const e of list) {
      const at = into.get(e.to);
      if (at) at.push(e);
      else into.set(e.to, [e]);
    }
  }
  return into;
});

/**
 * For each node that reaches a node where a path can end or a grant be made:
 * the least extra length of a path found there (see above). `mayBeAdmin` must
 * be true of every node that is allowed everything (it may be true of more).
 */
export function pathBounds(g: Graph, mayBeAdmin: (arn: string) => boolean): ReadonlyMap<string, number> {
  const into = edgesInto(g);
  const bound = new Map<string, number>();
  const level: string[][] = [[], []];
  const seed = (arn: string, extra: number): void => {
    const known = bound.get(arn);
    if (known !== undefined && known <= extra) return;
    bound.set(arn, extra);
    (level[extra] as string[]).push(arn);
  };
  const lists = new Set<readonly string[]>();
  for (const [by, sets] of g.grants) {
    seed(by, 1);
    for (const s of sets) lists.add(s.to.grantees);
  }
  for (const grantees of lists) for (const x of grantees) seed(x, 1);
  for (const arn of g.edges.keys()) if (mayBeAdmin(arn)) seed(arn, 0);
  for (const arn of into.keys()) if (mayBeAdmin(arn)) seed(arn, 0);
  // Breadth first backwards, a level per length (a hop out of a role-subset node is free: same level).
  for (let n = 0; n < level.length; n++) {
    const here = level[n] as string[];
    for (let i = 0; i < here.length; i++) {
      const x = here[i] as string;
      if (bound.get(x) !== n) continue;
      for (const e of into.get(x) ?? []) {
        const extra = n + (e.fill === true ? 0 : 1);
        const known = bound.get(e.from);
        if (known !== undefined && known <= extra) continue;
        bound.set(e.from, extra);
        if (extra === n) here.push(e.from);
        else {
          if (level.length <= extra) level.push([]);
          (level[extra] as string[]).push(e.from);
        }
      }
    }
  }
  return bound;
}
