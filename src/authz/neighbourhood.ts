/**
 * A bounded neighbourhood of one principal in the assume/pass graph: who can
 * assume or pass it (in), what it can assume or pass (out), k steps away, at
 * most `limit` neighbours per expanded node. The same decisions as
 * whoCanAssume, whoCanPass, rolesAssumableBy and rolesPassableBy (queries.ts),
 * with the requests that cannot be allowed left out before deciding:
 *  - sts:AssumeRole needs an Allow of the role's trust policy naming the
 *    caller (combine.ts resourcePolicyRequired), so only callers an Allow
 *    statement's Principal or NotPrincipal can match are decided;
 *  - iam:PassRole has no resource-based policy and never crosses accounts
 *    (id_roles_use_passrole), so only principals of the role's account with an
 *    identity-policy Allow whose Action and Resource match iam:PassRole on the
 *    role are decided.
 * Each candidate is first decided until one edge is found (one service for
 * PassRole), so the neighbours beyond the limit are counted, not dropped: the
 * count is exact unless the decision budget ran out, when it is a lower bound
 * and the candidates left undecided are counted too.
 */
import { findPrincipal, type Universe } from '../account/query.js';
import type { Role } from '../account/model.js';
import type { CompiledStatement } from '../eval/compile.js';
import { classifyCaller, matchNotPrincipalBlock, matchPrincipalBlock } from '../eval/principal.js';
import { parseModelPolicy } from '../account/parsed-policies.js';
import { AssemblyCache } from './assembly-cache.js';
import {
  assumeRequests,
  categoryOf,
  decide,
  findRole,
  passServices,
  resourceTags,
  value,
  type DecideRequest,
  type PrincipalCategory,
  type QueryDecision,
  type QueryOptions,
} from './queries.js';

export type Direction = 'in' | 'out' | 'both';

export interface NeighbourhoodOptions extends QueryOptions {
  /** Who can reach the focus (in), whom it reaches (out), or both (default). */
  readonly direction?: Direction;
  /** Steps from the focus (default 1). */
  readonly depth?: number;
  /** Neighbours kept per expanded node (default 24); allowed ones first, then by name. */
  readonly limit?: number;
  /** Decisions made in all before the remaining candidates are left undecided (default 20,000). */
  readonly budget?: number;
  /** Extra services to check iam:PassRole against (besides the trust policy's and COMMON_PASS_SERVICES). */
  readonly services?: readonly string[];
}

/** One edge: `from` can assume `to`, or pass `to` to `service`. */
export interface NeighbourEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'assume' | 'pass';
  readonly decision: QueryDecision;
}

export interface NeighbourNode {
  readonly id: string;
  readonly kind: PrincipalCategory;
  /** Steps from the focus. */
  readonly depth: number;
}

/** Neighbours of one expanded node left out by the limit. */
export interface LeftOut {
  readonly node: string;
  /** Neighbours found beyond the limit: exact when `unchecked` is 0, else a lower bound. */
  readonly count: number;
  readonly exact: boolean;
  /** Candidates not decided because the budget ran out. */
  readonly unchecked: number;
}

export interface Neighbourhood {
  readonly focus: string;
  readonly nodes: readonly NeighbourNode[];
  readonly edges: readonly NeighbourEdge[];
  /** Per expanded node with neighbours left out (none when everything found is here). */
  readonly more: readonly LeftOut[];
  /** Requests decided. */
  readonly decided: number;
}

/** A request that may be an edge: one sts:AssumeRole, or iam:PassRole to each service in turn. */
interface Candidate {
  readonly other: string;
  readonly from: string;
  readonly to: string;
  readonly kind: 'assume' | 'pass';
  readonly requests: readonly DecideRequest[];
  readonly decisions: QueryDecision[];
}

const DEFAULT_LIMIT = 24;
const DEFAULT_BUDGET = 20_000;

/** Whether an Allow statement of the role's trust policy can match the caller (its conditions aside). */
export function trustMayAdmit(u: Universe, role: Role, principal: string): boolean {
  const policy = parseModelPolicy(u, role.trustPolicy, 'trust', `${role.name} trust policy`, true).policy;
  const caller = classifyCaller(principal);
  return (policy?.statements ?? []).some(
    (st) =>
      st.effect === 'Allow' &&
      (st.notPrincipal !== undefined
        ? matchNotPrincipalBlock(st.notPrincipal, caller) !== undefined
        : st.principal !== undefined && matchPrincipalBlock(st.principal, caller) !== undefined),
  );
}

function roleOwner(role: Role): string | undefined {
  return classifyCaller(role.arn).account;
}

class Search {
  readonly assemblies = new AssemblyCache();
  readonly opts: QueryOptions;
  decided = 0;
  /** Per principal: its identity-policy Allow statements whose Action matches iam:PassRole. */
  private readonly passers = new Map<string, readonly CompiledStatement[]>();

  constructor(
    readonly u: Universe,
    readonly o: NeighbourhoodOptions,
  ) {
    this.opts = { ...o, assemblies: this.assemblies };
  }

  get budgetLeft(): boolean {
    return this.decided < (this.o.budget ?? DEFAULT_BUDGET);
  }

  /** One decision; for iam:PassRole, with the iam:PassedToService value decided (as whoCanPass reports it). */
  decide(r: DecideRequest): QueryDecision {
    this.decided++;
    const d = decide(this.u, r, this.opts);
    const service = r.action === 'iam:PassRole' ? r.context?.get('iam:passedtoservice')?.values[0] : undefined;
    return service === undefined ? d : { ...d, service };
  }

  /**
   * Whether an identity-policy Allow of the principal can match iam:PassRole on the role: the
   * evaluator's own action and resource matchers; a Resource with a policy variable the empty
   * context cannot resolve counts as a match.
   */
  mayPass(principal: string, role: Role): boolean {
    let statements = this.passers.get(principal);
    if (statements === undefined) {
      const a = this.assemblies.get(this.u, { principal, action: 'iam:PassRole', resource: role.arn });
      statements = a.resolved === undefined ? [] : a.input.identity.flatMap((p) => p.candidates('iam:passrole').filter((st) => !st.isDeny));
      this.passers.set(principal, statements);
    }
    const req = { action: 'iam:PassRole', resource: role.arn, context: new Map() };
    return statements.some((st) => {
      const missing: string[] = [];
      return st.matchesResource(role.arn, req, missing) || missing.length > 0;
    });
  }

  passRequests(principal: string, role: Role): DecideRequest[] {
    return passServices(role, this.o.services).map((s) => ({
      principal,
      action: 'iam:PassRole',
      resource: role.arn,
      context: new Map([['iam:passedtoservice', value('iam:PassedToService', 'string', [s])]]),
    }));
  }

  /** The requests that may be edges into or out of `node`. */
  candidates(node: string, direction: Direction): Candidate[] {
    const out: Candidate[] = [];
    const add = (other: string, from: string, to: string, kind: 'assume' | 'pass', requests: readonly DecideRequest[]): void => {
      if (other !== node && requests.length > 0) out.push({ other, from, to, kind, requests, decisions: [] });
    };
    const caller = classifyCaller(node);
    const member = caller.kind === 'user' || caller.kind === 'role' ? findPrincipal(this.u, node) : undefined;
    // Only the model's users and roles and service principals call; anything else (`*`, another account) is a leaf.
    if (member === undefined && caller.kind !== 'service') return out;
    const role = findRole(this.u, node);
    if (direction !== 'out' && role !== undefined) {
      for (const r of assumeRequests(this.u, role)) {
        if (trustMayAdmit(this.u, role, r.principal)) add(r.label ?? r.principal, r.label ?? r.principal, node, 'assume', [r]);
      }
      const account = this.u.accounts.get(roleOwner(role) ?? '');
      for (const p of [...(account?.users ?? []), ...(account?.roles ?? [])]) {
        if (this.mayPass(p.arn, role)) add(p.arn, p.arn, node, 'pass', this.passRequests(p.arn, role));
      }
    }
    if (direction !== 'in') {
      for (const a of this.u.accounts.values()) {
        for (const r of a.roles) {
          if (!trustMayAdmit(this.u, r, node)) continue;
          add(r.arn, node, r.arn, 'assume', [{ principal: node, action: 'sts:AssumeRole', resource: r.arn, context: resourceTags(r) }]);
        }
      }
      const own = caller.kind === 'service' ? undefined : this.u.accounts.get(caller.account ?? '');
      for (const r of own?.roles ?? []) {
        if (this.mayPass(node, r)) add(r.arn, node, r.arn, 'pass', this.passRequests(node, r));
      }
    }
    return out.sort((a, b) => a.other.localeCompare(b.other) || a.kind.localeCompare(b.kind) || a.from.localeCompare(b.from));
  }

  /** Decides the candidate's requests until one is an edge (all of them when `all`). */
  probe(c: Candidate, all: boolean): void {
    for (let i = c.decisions.length; i < c.requests.length; i++) {
      if (!all && c.decisions.some((d) => d.decision === 'allowed')) return;
      c.decisions.push(this.decide(c.requests[i]!));
    }
  }
}

/** By the name after the last `/` (a role's or user's name, a service principal), then the whole id. */
const byName = (a: string, b: string): number => a.slice(a.lastIndexOf('/') + 1).localeCompare(b.slice(b.lastIndexOf('/') + 1)) || a.localeCompare(b);

const rank = (cs: readonly Candidate[]): number =>
  cs.some((c) => c.decisions.some((d) => d.decision === 'allowed')) ? 0 : cs.some((c) => c.decisions.some((d) => d.decision === 'conditional')) ? 1 : 2;

/** Expands one node: its neighbours (up to the limit, allowed first), their edges, and how many were left out. */
function expand(s: Search, node: string, direction: Direction): { neighbours: string[]; edges: NeighbourEdge[]; more?: LeftOut } {
  const all = s.candidates(node, direction);
  let unchecked = 0;
  for (const c of all) {
    if (s.budgetLeft) s.probe(c, false);
    else unchecked++;
  }
  const byOther = new Map<string, Candidate[]>();
  for (const c of all) (byOther.get(c.other) ?? byOther.set(c.other, []).get(c.other)!).push(c);
  const found = [...byOther].filter(([, cs]) => rank(cs) < 2);
  found.sort(([a, x], [b, y]) => rank(x) - rank(y) || byName(a, b));
  const limit = s.o.limit ?? DEFAULT_LIMIT;
  const kept = found.slice(0, limit);
  const edges: NeighbourEdge[] = [];
  for (const [, cs] of kept) {
    for (const c of cs) {
      s.probe(c, true);
      for (const d of c.decisions) if (d.decision !== 'denied') edges.push({ from: c.from, to: c.to, kind: c.kind, decision: d });
    }
  }
  const left = found.length - kept.length;
  const more = left > 0 || unchecked > 0 ? { node, count: left, exact: unchecked === 0, unchecked } : undefined;
  return { neighbours: kept.map(([other]) => other), edges, ...(more ? { more } : {}) };
}

/**
 * The neighbourhood of `focus` (a user, role or service principal): breadth
 * first, `depth` steps, each expanded node keeping at most `limit` neighbours.
 */
export function neighbourhood(u: Universe, focus: string, o: NeighbourhoodOptions = {}): Neighbourhood {
  const s = new Search(u, o);
  const direction = o.direction ?? 'both';
  const nodes = new Map<string, NeighbourNode>([[focus, { id: focus, kind: categoryOf(focus), depth: 0 }]]);
  const edges: NeighbourEdge[] = [];
  const more: LeftOut[] = [];
  let frontier = [focus];
  for (let depth = 1; depth <= Math.max(1, o.depth ?? 1) && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const node of frontier) {
      const r = expand(s, node, direction);
      edges.push(...r.edges);
      if (r.more) more.push(r.more);
      for (const n of r.neighbours) {
        if (nodes.has(n)) continue;
        nodes.set(n, { id: n, kind: n === '*' ? 'any' : categoryOf(n), depth });
        next.push(n);
      }
    }
    frontier = next;
  }
  return { focus, nodes: [...nodes.values()], edges: dedupe(edges), more, decided: s.decided };
}

/** An edge found from both of its ends (depth > 1) is listed once. */
function dedupe(edges: readonly NeighbourEdge[]): NeighbourEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.from}|${e.to}|${e.kind}|${e.decision.action}|${e.decision.service ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
