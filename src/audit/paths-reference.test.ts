/**
 * The path search as it was before the search skipped what cannot change its
 * answer (paths.ts): every node it reaches is visited. Kept as the oracle of
 * the property test in paths.test.ts, which checks that the search returns
 * the same paths, in the same order, on random accounts.
 */
import type { Edge, Graph, Step } from './graph.js';
import { grantAt, type Grant } from './grant-sets.js';
import { type AdminCheck, type EscalationPath, grantIndex } from './paths.js';

interface Reach {
  readonly via: readonly Edge[];
  /** The path's length: its edges, the hop out of a role-subset node being part of the hop into it. */
  readonly len: number;
}

interface Candidate {
  readonly length: number;
  readonly arn: string;
  readonly grant?: Grant;
  /** The path's techniques and target: candidates with equal keys make one reported path. */
  readonly key: string;
}

/**
 * Candidate paths, kept as the first `cap` of their stable sort by length
 * (an account where one principal can reach thousands of grants would
 * otherwise collect millions): the first `limit` distinct paths of the
 * full list are among them whenever those `cap` hold `limit` distinct ones.
 */
class Found {
  items: Candidate[] = [];
  private worst = Number.POSITIVE_INFINITY;
  /** The distinct keys of the candidates no longer than `bound`. */
  private bound = Number.NEGATIVE_INFINITY;
  private keys = new Set<string>();
  constructor(private readonly cap: number) {}

  /** How many distinct paths are no longer than `bound` (from now on, until the next call). */
  distinctUpTo(bound: number): number {
    if (bound !== this.bound) {
      this.bound = bound;
      this.recount();
    }
    return this.keys.size;
  }

  get distinct(): number {
    return this.keys.size;
  }

  private recount(): void {
    this.keys = new Set(this.items.filter((c) => c.length <= this.bound).map((c) => c.key));
  }

  /** Whether a candidate of this length would be kept. */
  accepts(length: number): boolean {
    return length < this.worst;
  }

  add(c: Candidate): void {
    if (c.length >= this.worst) return;
    this.items.push(c);
    if (c.length <= this.bound) this.keys.add(c.key);
    if (this.items.length >= 2 * this.cap) {
      this.items.sort((a, b) => a.length - b.length);
      this.items.length = this.cap;
      this.worst = this.items[this.cap - 1]?.length ?? this.worst;
      this.recount();
    }
  }

  get size(): number {
    return this.items.length;
  }

  /** How many candidates are no longer than `length`. */
  countUpTo(length: number): number {
    let n = 0;
    for (const c of this.items) if (c.length <= length) n++;
    return n;
  }
}

/** The steps of consecutive edges; an edge out of a role-subset node names its role in the steps that named the node. */
function stepsOf(edges: readonly Edge[]): Step[] {
  const out: Step[] = [];
  for (const e of edges) {
    if (e.fill) for (let i = 0; i < out.length; i++) if (out[i]?.resource === e.from) out[i] = { ...(out[i] as Step), resource: e.to };
    out.push(...e.steps);
  }
  return out;
}

function techniquesOf(edges: readonly Edge[], grant?: Grant, after: readonly Edge[] = []): string[] {
  const techniques = edges.map((e) => e.technique).filter((x) => x !== '');
  if (grant) techniques.push(grant.technique, ...after.map((e) => e.technique).filter((x) => x !== ''));
  return techniques;
}

const pathKey = (techniques: readonly string[], target: string): string => `${techniques.join('>')}|${target}`;

function pathOf(edges: readonly Edge[], target: string, grant?: Grant, after: readonly Edge[] = []): EscalationPath {
  const hops = [...edges, ...after];
  const techniques = techniquesOf(edges, grant, after);
  const steps = [...stepsOf(edges), ...(grant ? grant.steps : []), ...stepsOf(after)];
  const through = [...edges.map((e) => e.to), ...after.map((e) => e.to)].filter((x) => x.startsWith('arn:'));
  if (through[through.length - 1] !== target) through.push(target);
  const length = hops.filter((e) => e.fill !== true).length + (grant ? 1 : 0);
  return {
    techniques,
    target,
    ...(grant ? { grantedBy: grant.by } : {}),
    length,
    hops: through,
    steps,
    assumesExistingResource: hops.some((e) => e.assumesExistingResource === true),
  };
}

/**
 * Escalation paths from `from`, breadth first (shortest first): to a
 * principal allowed everything, or to one that a principal on the way can
 * grant anything. The search stops once `limit` are found.
 */
export function referencePaths(g: Graph, admin: AdminCheck, from: string, opts: { maxDepth?: number; limit?: number } = {}): EscalationPath[] {
  const limit = opts.limit ?? 10;
  const reached = new Map<string, Reach>();
  const found = new Found(256);
  const index = grantIndex(g);
  // A grant's path: to the grantor, the grant, then on from where the two paths part to the grantee.
  const grantLength = (by: string, target: string): number => {
    const a = reached.get(by);
    const b = reached.get(target);
    if (a === undefined || b === undefined) return Number.POSITIVE_INFINITY;
    let n = 0;
    for (let i = commonPrefix(a.via, b.via); i < b.via.length; i++) if (b.via[i]?.fill !== true) n++;
    return a.len + 1 + n;
  };
  const grantable = (target: string): boolean => !admin.allowedEverything(target) && admin.onceGranted(target);
  // Called for a grantor that grants the target (Grantor.has): a grant too long to be kept is not listed.
  const grantsTo = (by: string, target: string): boolean => {
    const length = grantLength(by, target);
    if (!found.accepts(length)) return true;
    const list = index.byGrantor.get(by)?.grantsTo(target) ?? [];
    if (list.length === 0) return false;
    const via = reached.get(by)?.via ?? [];
    const to = reached.get(target)?.via ?? [];
    const after = to.slice(commonPrefix(via, to));
    for (const [set, i] of list) {
      const grant = grantAt(set, i);
      found.add({ length, arn: by, grant, key: pathKey(techniquesOf(via, grant, after), grant.target) });
    }
    return true;
  };
  // Grantors reached so far, in the graph's grant order (a target's grantors are looked up among them).
  const grantors: string[] = [];
  const reach = (arn: string, r: Reach): void => {
    reached.set(arn, r);
    const at = index.order.get(arn);
    if (at === undefined) return;
    let i = grantors.length;
    while (i > 0 && (index.order.get(grantors[i - 1] as string) ?? 0) > at) i--;
    grantors.splice(i, 0, arn);
  };
  // A grant by Y to X counts once both are reached: found when the second of them is visited
  // (at most `limit` per node: a principal that can edit every user's policies grants thousands).
  const visit = (arn: string): void => {
    const r = reached.get(arn);
    if (r === undefined) return;
    if (arn !== from && admin.allowedEverything(arn)) found.add({ length: r.len, arn, key: pathKey(techniquesOf(r.via), arn) });
    let hits = 0;
    if (grantable(arn)) for (const by of grantorsOf(index, arn, grantors, reached)) if (grantsTo(by, arn) && ++hits >= limit) break;
    const mine = index.byGrantor.get(arn);
    if (mine === undefined) return;
    hits = 0;
    const to = (target: string): boolean => target !== arn && grantable(target) && grantsTo(arn, target) && ++hits >= limit;
    if (mine.size < reached.size) {
      for (const target of mine.targets()) if (reached.has(target) && to(target)) break;
    } else for (const target of reached.keys()) if (mine.has(target) && to(target)) break;
  };
  reach(from, { via: [], len: 0 });
  visit(from);
  let frontier = [from];
  // Breadth first, a whole level at a time. Every path found later is at least as long as the shortest
  // node of the last level, so the search stops once `limit` paths are no longer than that.
  for (let depth = 0; depth < (opts.maxDepth ?? 16) && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const x of frontier) {
      const r = reached.get(x);
      for (const e of g.edges.get(x) ?? []) {
        if (reached.has(e.to) || r === undefined) continue;
        reach(e.to, { via: [...r.via, e], len: r.len + (e.fill === true ? 0 : 1) });
        next.push(e.to);
      }
    }
    // Every candidate found from here on is at least as long as the shortest node of this level: once `limit`
    // distinct paths are no longer than that, nothing later can come before them (the sort is stable).
    let bound = Number.POSITIVE_INFINITY;
    for (const y of next) bound = Math.min(bound, reached.get(y)?.len ?? Number.POSITIVE_INFINITY);
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
    const via = reached.get(c.arn)?.via ?? [];
    const p =
      c.grant === undefined
        ? pathOf(via, c.arn)
        : (() => {
            const to = reached.get(c.grant.target)?.via ?? [];
            return pathOf(via, c.grant.target, c.grant, to.slice(commonPrefix(via, to)));
          })();
    const key = `${p.techniques.join('>')}|${p.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * The reached grantors that grant `target`, in grant order: the reached
 * grantors that have it, or (when fewer) its grantors that are reached.
 */
function grantorsOf(
  index: ReturnType<typeof grantIndex>,
  target: string,
  reached: readonly string[],
  isReached: ReadonlyMap<string, unknown>,
): Iterable<string> {
  const lists = index.lists.grantorsOf(target);
  let n = 0;
  for (const l of lists) n += l.length;
  if (n >= reached.length) return reachedGrantorsOf(index, target, reached);
  const out = new Set<string>();
  for (const l of lists) for (const by of l) if (isReached.has(by)) out.add(by);
  const at = (by: string): number => index.order.get(by) ?? 0;
  return lists.length === 1 ? out : [...out].sort((a, b) => at(a) - at(b));
}

function* reachedGrantorsOf(index: ReturnType<typeof grantIndex>, target: string, reached: readonly string[]): Generator<string> {
  for (const by of reached) if (index.byGrantor.get(by)?.has(target) === true) yield by;
}

/** Edges `a` and `b` start with, never ending inside a role subset (its exit needs the edge in). */
function commonPrefix(a: readonly Edge[], b: readonly Edge[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  while (i > 0 && b[i]?.fill === true) i--;
  return i;
}
