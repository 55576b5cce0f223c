/**
 * Admin and escalation paths over the graph. A principal is admin when the
 * evaluator allows it every action on every resource (checked with a quick
 * set of actions, then one action of every service in the service
 * reference), or when it can grant itself that. It can escalate when a path
 * of edges (and grants) leads from it to admin.
 */
import { type AuditDecider, contextOf } from './decide.js';
import type { Edge, Graph, Step } from './graph.js';
import { grantAt, Grantor, ListIndex } from './grant-sets.js';
import { commonPrefix, Found, pathKey, pathOf, Reached, ReachedGrantors, techniquesOf, type EscalationPath } from './path-parts.js';
import { unboundedArn } from './nodes.js';
import { derived } from '../primitives/lazy.js';
import type { AdminCheck } from './admin.js';

export { AdminCheck } from './admin.js';
export { pathEnd, type EscalationPath } from './path-parts.js';

/**
 * Escalation paths from `from`, breadth first (shortest first): to a
 * principal allowed everything, or to one that a principal on the way can
 * grant anything. The search stops once `limit` are found.
 *
 * What it skips does not change its answer (paths.test.ts compares it with
 * the search that visits every node it reaches, paths-reference.test.ts):
 * nothing when nothing `from` reaches can end a path or make a grant
 * (path-bounds.ts); a reached node's visit when every path found there would
 * be longer than the `limit` distinct paths already found; the next level
 * when no node of it can be shorter than `limit` paths already found.
 */
export function escalationPaths(g: Graph, admin: AdminCheck, from: string, opts: { maxDepth?: number; limit?: number } = {}): EscalationPath[] {
  const limit = opts.limit ?? 10;
  const bounds = admin.pathBounds(g);
  if (!bounds.has(from)) return [];
  const reached = new Reached();
  const found = new Found(256, limit);
  const index = grantIndex(g);
  // A grant's path: to the grantor, the grant, then on from where the two paths part to the grantee.
  const grantLength = (by: string, target: string): number => {
    const a = reached.len(by);
    if (a === undefined || !reached.has(target)) return Number.POSITIVE_INFINITY;
    const via = reached.via(target);
    let n = 0;
    for (let i = commonPrefix(reached.via(by), via); i < via.length; i++) if (via[i]?.fill !== true) n++;
    return a + 1 + n;
  };
  const grantable = (target: string): boolean => !admin.allowedEverything(target) && admin.onceGranted(target);
  // Called for a grantor that grants the target (Grantor.has): a grant too long to be kept is not listed.
  const grantsTo = (by: string, target: string): boolean => {
    // Never shorter than either route plus the grant: when that is too long, so is the grant (no route to compare).
    if (Math.max(reached.len(by) ?? Number.POSITIVE_INFINITY, reached.len(target) ?? Number.POSITIVE_INFINITY) + 1 >= found.longestNeeded) return true;
    const length = grantLength(by, target);
    if (!found.accepts(length) || length >= found.longestNeeded) return true;
    const list = index.byGrantor.get(by)?.grantsTo(target) ?? [];
    if (list.length === 0) return false;
    const via = reached.via(by);
    const to = reached.via(target);
    const after = to.slice(commonPrefix(via, to));
    for (const [set, i] of list) {
      const grant = grantAt(set, i);
      found.add({ length, arn: by, grant, key: pathKey(techniquesOf(via, grant, after), grant.target) });
    }
    return true;
  };
  const grantors = new ReachedGrantors(index.order);
  const reach = (arn: string, edge: Edge | undefined, len: number): void => {
    reached.add(arn, edge, len);
    grantors.reach(arn);
  };
  // A grant by Y to X counts once both are reached: found when the second of them is visited
  // (at most `limit` per node: a principal that can edit every user's policies grants thousands).
  const visit = (arn: string): void => {
    const len = reached.len(arn);
    const bound = bounds.get(arn);
    // Every path found here is at least `len + bound` long (path-bounds.ts); one no shorter than the `limit`-th
    // distinct path found so far would come after it (the sort is stable): skip the node then.
    if (len === undefined || bound === undefined || len + bound >= found.longestNeeded) return;
    if (arn !== from && admin.allowedEverything(arn)) found.add({ length: len, arn, key: pathKey(techniquesOf(reached.via(arn)), arn) });
    // A grant found here is longer than the route here: none when that is too long.
    if (len + 1 >= found.longestNeeded) return;
    let hits = 0;
    if (grantable(arn)) for (const by of grantorsOf(index, arn, grantors.inOrder(), reached)) if (grantsTo(by, arn) && ++hits >= limit) break;
    const mine = index.byGrantor.get(arn);
    if (mine === undefined || len + 1 >= found.longestNeeded) return;
    hits = 0;
    const to = (target: string): boolean => target !== arn && grantable(target) && grantsTo(arn, target) && ++hits >= limit;
    if (mine.size < reached.size) {
      for (const target of mine.targets()) if (reached.has(target) && to(target)) break;
    } else for (const target of reached.keys()) if (mine.has(target) && to(target)) break;
  };
  reach(from, undefined, 0);
  visit(from);
  let frontier = [from];
  // Breadth first, a whole level at a time. Every path found later is at least as long as the shortest
  // node of the next level, so the search stops once `limit` paths are no longer than that.
  for (let depth = 0; depth < (opts.maxDepth ?? 16) && frontier.length > 0; depth++) {
    // No node of the next level is shorter than this: when `limit` paths are no longer, the level is not needed.
    if (found.distinctUpTo(nextLevelAtLeast(g, frontier, reached)) >= limit) break;
    const next: string[] = [];
    for (const x of frontier) {
      const len = reached.len(x) as number;
      for (const e of g.edges.get(x) ?? []) {
        if (reached.has(e.to)) continue;
        reach(e.to, e, len + (e.fill === true ? 0 : 1));
        next.push(e.to);
      }
    }
    // Every candidate found from here on is at least as long as the shortest node of this level: once `limit`
    // distinct paths are no longer than that, nothing later can come before them (the sort is stable).
    let bound = Number.POSITIVE_INFINITY;
    for (const y of next) bound = Math.min(bound, reached.len(y) ?? Number.POSITIVE_INFINITY);
    if (found.distinctUpTo(bound) >= limit) break;
    for (const y of next) {
      visit(y);
      if (found.distinct >= limit) break;
    }
    frontier = next;
    if (found.countUpTo(bound) >= limit) break;
  }
  const sorted = found.items.sort((a, b) => a.length - b.length);
  const out: EscalationPath[] = [];
  const seen = new Set<string>();
  for (const c of sorted) {
    if (out.length >= limit) break;
    const via = reached.via(c.arn);
    const p =
      c.grant === undefined
        ? pathOf(via, c.arn)
        : (() => {
            const to = reached.via(c.grant.target);
            return pathOf(via, c.grant.target, c.grant, to.slice(commonPrefix(via, to)));
          })();
    const key = `${p.techniques.join('>')}|${p.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** The least length of a node the next level can hold: a node of the frontier, plus its edge's hop (none out of a role-subset node). */
function nextLevelAtLeast(g: Graph, frontier: readonly string[], reached: Reached): number {
  let least = Number.POSITIVE_INFINITY;
  for (const x of frontier) {
    const edges = g.edges.get(x);
    if (edges === undefined || edges.length === 0) continue;
    const len = reached.len(x) as number;
    least = Math.min(least, len + (edges.some((e) => e.fill === true) ? 0 : 1));
  }
  return least;
}

/**
 * The reached grantors that grant `target`, in grant order: the reached
 * grantors that have it, or (when fewer) its grantors that are reached.
 */
function grantorsOf(index: GrantIndex, target: string, reached: readonly string[], isReached: Reached): Iterable<string> {
  const lists = index.lists.grantorsOf(target);
  let n = 0;
  for (const l of lists) n += l.length;
  if (n >= reached.length) return reachedGrantorsOf(index, target, reached);
  return reachedInOrder(index.order, lists, isReached);
}

/**
 * The reached grantors of several lists, each in grant order, merged in grant
 * order without repeats (made as the caller takes them: it stops after a few).
 */
function* reachedInOrder(order: ReadonlyMap<string, number>, lists: readonly (readonly string[])[], isReached: Reached): Generator<string> {
  const at = lists.map(() => 0);
  let last: string | undefined;
  for (;;) {
    let pick = -1;
    let least = Number.POSITIVE_INFINITY;
    lists.forEach((l, k) => {
      const by = l[at[k] as number];
      const o = by === undefined ? undefined : (order.get(by) ?? 0);
      if (o !== undefined && o < least) {
        least = o;
        pick = k;
      }
    });
    if (pick < 0) return;
    const by = (lists[pick] as readonly string[])[at[pick] as number] as string;
    at[pick] = (at[pick] as number) + 1;
    if (by === last) continue;
    last = by;
    if (isReached.has(by)) yield by;
  }
}

function* reachedGrantorsOf(index: GrantIndex, target: string, reached: readonly string[]): Generator<string> {
  for (const by of reached) if (index.byGrantor.get(by)?.has(target) === true) yield by;
}

/**
 * The paths with every decided step decided again on its own exact request
 * (graph decisions may be shared between requests the evaluator cannot tell
 * apart, share.ts), each citing its own deciding statement. A path with a
 * step the evaluator does not allow is dropped (never expected; fail closed).
 */
export function confirmed(d: AuditDecider, paths: readonly EscalationPath[]): EscalationPath[] {
  const out: EscalationPath[] = [];
  for (const p of paths) {
    const steps: Step[] = [];
    for (const s of p.steps) {
      if (s.statement === undefined) {
        steps.push(s);
        continue;
      }
      const v = d.decideExact(s.principal, s.action, s.resource, s.context ? contextOf(s.context) : undefined);
      if (!v.allowed) break;
      const { statement: _old, ...rest } = s;
      steps.push({ ...rest, ...(v.statement ? { statement: v.statement } : {}) });
    }
    if (steps.length === p.steps.length) out.push({ ...p, steps });
  }
  return out;
}

interface GrantIndex {
  readonly byGrantor: ReadonlyMap<string, Grantor>;
  /** Each grantor's place in the graph's grant order. */
  readonly order: ReadonlyMap<string, number>;
  readonly lists: ListIndex;
}

/** The graph's grants indexed by grantor (derived once per graph). */
export const grantIndex: (g: Graph) => GrantIndex = derived((g: Graph): GrantIndex => {
  const byGrantor = new Map<string, Grantor>();
  const order = new Map<string, number>();
  const lists = new ListIndex();
  for (const [by, sets] of g.grants) {
    order.set(by, order.size);
    byGrantor.set(by, new Grantor(sets, lists));
  }
  return { byGrantor, order, lists };
});

/**
 * Whether `from` can grant itself anything by its own steps: a grant by it
 * to itself, or to its stand-in without its permissions boundary (it can
 * delete or replace the boundary as well). Exact, not limited to the
 * reported paths.
 */
export function grantsItself(g: Graph, from: string, admin: AdminCheck): boolean {
  const mine = grantIndex(g).byGrantor.get(from);
  return mine !== undefined && (mine.has(from) || mine.has(unboundedArn(from))) && admin.onceGranted(from);
}
