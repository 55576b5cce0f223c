/**
 * The pieces of one path search (paths.ts): the paths it reports, the
 * candidates it collects, the breadth-first tree it grows, the grantors it
 * has reached, and a path made of a tree's edges and a grant.
 */
import type { Edge } from './edges.js';
import type { Step } from './step.js';
import type { Grant } from './grant-sets.js';

export interface EscalationPath {
  /** The technique of each hop, in order, e.g. ["sts-assume-role", "iam-attach-role-policy"]. */
  readonly techniques: readonly string[];
  /**
   * The admin principal the path ends as: allowed everything, or (with `grantedBy`)
   * given AdministratorAccess by a step of the path before the path acts as it.
   */
  readonly target: string;
  /** The principal on the way whose step gives `target` any permission (a policy or policy-version edit). */
  readonly grantedBy?: string;
  /** Hops: edges followed, plus one for the grant. */
  readonly length: number;
  /** The principals the path passes through after the start, in order (the target last). */
  readonly hops: readonly string[];
  readonly steps: readonly Step[];
  /** True when a hop runs code on compute the model does not list (it must exist). */
  readonly assumesExistingResource: boolean;
}

/** What a path ends as, in words: itself, an admin principal, or a principal a step of the path makes admin. */
export function pathEnd(from: string, path: EscalationPath): string {
  if (path.target === from) return 'itself';
  return path.grantedBy !== undefined ? `${path.target} (given any permission by ${path.grantedBy === from ? 'itself' : path.grantedBy})` : path.target;
}

export interface Candidate {
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
export class Found {
  items: Candidate[] = [];
  private worst = Number.POSITIVE_INFINITY;
  /** The distinct keys of the candidates no longer than `bound`. */
  private bound = Number.NEGATIVE_INFINITY;
  private keys = new Set<string>();
  /** Each key's shortest candidate, and the `limit`-th shortest of those (undefined: to be computed again). */
  private readonly shortest = new Map<string, number>();
  private last: number | undefined = Number.POSITIVE_INFINITY;
  constructor(
    private readonly cap: number,
    private readonly limit: number,
  ) {}

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
    const known = this.shortest.get(c.key);
    if (known === undefined || c.length < known) {
      this.shortest.set(c.key, c.length);
      this.last = undefined;
    }
    if (this.items.length >= 2 * this.cap) {
      this.items.sort((a, b) => a.length - b.length);
      this.items.length = this.cap;
      this.worst = this.items[this.cap - 1]?.length ?? this.worst;
      this.recount();
    }
  }

  /**
   * The length of the `limit`-th distinct path so far (infinite while fewer).
   * A candidate found from now on that is no shorter cannot change what is
   * reported: it sorts after every candidate of that length found so far.
   */
  get longestNeeded(): number {
    if (this.last === undefined) {
      if (this.shortest.size < this.limit) this.last = Number.POSITIVE_INFINITY;
      else this.last = [...this.shortest.values()].sort((a, b) => a - b)[this.limit - 1] as number;
    }
    return this.last;
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

export function techniquesOf(edges: readonly Edge[], grant?: Grant, after: readonly Edge[] = []): string[] {
  const techniques = edges.map((e) => e.technique).filter((x) => x !== '');
  if (grant) techniques.push(grant.technique, ...after.map((e) => e.technique).filter((x) => x !== ''));
  return techniques;
}

export const pathKey = (techniques: readonly string[], target: string): string => `${techniques.join('>')}|${target}`;

export function pathOf(edges: readonly Edge[], target: string, grant?: Grant, after: readonly Edge[] = []): EscalationPath {
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
 * The breadth-first tree of one search: each reached node with the edge it
 * was first reached by and its path's length (edges, the hop out of a
 * role-subset node being part of the hop into it). Parallel arrays by the
 * order of reaching, so a search allocates no object per node.
 */
export class Reached {
  private readonly index = new Map<string, number>();
  private readonly into: (Edge | undefined)[] = [];
  private readonly lens: number[] = [];

  add(arn: string, edge: Edge | undefined, len: number): void {
    this.index.set(arn, this.lens.length);
    this.into.push(edge);
    this.lens.push(len);
  }

  has(arn: string): boolean {
    return this.index.has(arn);
  }

  get size(): number {
    return this.lens.length;
  }

  keys(): IterableIterator<string> {
    return this.index.keys();
  }

  len(arn: string): number | undefined {
    const i = this.index.get(arn);
    return i === undefined ? undefined : this.lens[i];
  }

  /** The edges from the start to `arn`, in order (empty for the start or a node not reached). */
  via(arn: string): Edge[] {
    const out: Edge[] = [];
    for (let e = this.edgeInto(arn); e !== undefined; e = this.edgeInto(e.from)) out.push(e);
    return out.reverse();
  }

  private edgeInto(arn: string): Edge | undefined {
    const i = this.index.get(arn);
    return i === undefined ? undefined : this.into[i];
  }
}

/** The grantors reached so far, in the graph's grant order (sorted when asked, after a level added some). */
export class ReachedGrantors {
  private readonly list: string[] = [];
  private sorted = true;
  constructor(private readonly order: ReadonlyMap<string, number>) {}

  reach(arn: string): void {
    if (!this.order.has(arn)) return;
    this.list.push(arn);
    this.sorted = false;
  }

  inOrder(): readonly string[] {
    if (!this.sorted) {
      const at = (x: string): number => this.order.get(x) ?? 0;
      this.list.sort((a, b) => at(a) - at(b));
      this.sorted = true;
    }
    return this.list;
  }
}

/** Edges `a` and `b` start with, never ending inside a role subset (its exit needs the edge in). */
export function commonPrefix(a: readonly Edge[], b: readonly Edge[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  while (i > 0 && b[i]?.fill === true) i--;
  return i;
}
