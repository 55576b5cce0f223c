/**
 * Accounts, principals with their effective policies, and the assume/pass
 * graph for the console's Account page. The graph's edges are decisions of
 * src/authz's queries (who can assume each role, who can pass it to which
 * service), nothing decided here.
 */
import type { Universe } from '../../account/query.js';
import { findPrincipal, groupPolicies, orgPoliciesFor, principalPolicies } from '../../account/query.js';
import { whoCanAssume, whoCanPass, type QueryDecision, type QueryOptions } from '../../authz/queries.js';
import { neighbourhood } from '../../authz/neighbourhood.js';
import type { EvalMemo } from '../../eval/memo.js';
import { classifyCaller } from '../../eval/principal.js';
import type { ModelResolver } from './model.js';
import { readSource } from './model.js';
import { ApiError, objectBody, ok, optionalString, requiredString, type ApiInput, type ApiReply } from './types.js';

/** Beyond this many role × principal pairs the graph is refused with a clear message. */
const MAX_GRAPH_PAIRS = 20_000;

/**
 * `POST accounts {"source"}`, and `GET accounts` for the server's store: a listing only (no decision), so
 * the GET is answered on the server's event loop (routes/console.ts) and the Account page's first answer
 * never waits for a request thread.
 */
export async function listAccounts(models: ModelResolver, { body }: ApiInput): Promise<ApiReply> {
  const u = await models.resolve(body === undefined ? { kind: 'store' } : readSource(objectBody(body)['source']));
  return ok({
    accounts: [...u.accounts.values()].map((a) => ({
      id: a.id,
      name: a.name ?? null,
      users: a.users.map((x) => ({ arn: x.arn, name: x.name, groups: x.groups })),
      roles: a.roles.map((r) => ({ arn: r.arn, name: r.name })),
      groups: a.groups.map((g) => ({ arn: g.arn, name: g.name })),
      resourcePolicies: a.resourcePolicies.map((r) => r.arn),
    })),
    organization: u.organization ? { id: u.organization.id ?? null, managementAccountId: u.organization.managementAccountId ?? null } : null,
  });
}

/**
 * A principal's policies: identity (own, attached, through groups), boundary,
 * trust, and the organization's on its path. A group ARN answers the group's
 * own policies (kind "group"), as AWS's policy simulator simulates a group.
 */
export async function principal(models: ModelResolver, { body }: ApiInput): Promise<ApiReply> {
  const o = objectBody(body);
  const u = await models.resolve(readSource(o['source']));
  const arn = requiredString(o, 'arn');
  const group = [...u.accounts.values()].flatMap((a) => a.groups.map((g) => ({ a, g }))).find((x) => x.g.arn === arn);
  const p = group === undefined ? findPrincipal(u, arn) : undefined;
  if (group === undefined && (p === undefined || p.kind === 'root')) {
    throw new ApiError(404, 'NoSuchEntity', `${arn} is not a user, group or role in the loaded accounts`);
  }
  const member = p !== undefined && p.kind !== 'root' ? p : undefined;
  const account = group?.a.id ?? member?.account.id ?? '';
  const pol = group !== undefined ? groupPolicies(group.a, group.g) : principalPolicies(member!);
  const org = (type: 'SCP' | 'RCP') => {
    const path = orgPoliciesFor(u, account, type);
    if (path === undefined) return null;
    return {
      enabled: path.enabled,
      managementAccount: path.managementAccount,
      levels: path.levels.map((l) => ({
        nodeId: l.nodeId,
        kind: l.kind,
        name: l.name,
        policies: l.policies.map((x) => ({ name: x.name, document: x.content })),
      })),
    };
  };
  return ok({
    arn,
    kind: group !== undefined ? 'group' : member?.kind,
    account,
    identity: pol.identity.map((x) => ({ name: x.name, source: x.source, owner: x.ownerArn, policyArn: x.policyArn ?? null, document: x.document })),
    boundary: pol.boundary ? { name: pol.boundary.name, policyArn: pol.boundary.policyArn ?? null, document: pol.boundary.document } : null,
    trustPolicy: member !== undefined && member.kind !== 'user' ? member.role.trustPolicy : null,
    missing: pol.missing,
    scps: org('SCP'),
  });
}

interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
}

interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'assume' | 'pass';
  readonly label: string;
  readonly decision: 'allowed' | 'conditional';
  readonly missingContextValues: readonly string[];
  readonly reason: string;
}

function labelOf(id: string): string {
  const c = classifyCaller(id);
  if (c.kind === 'service') return id;
  const slash = id.lastIndexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id;
}

/** Nodes and edges as the page draws them; each edge is one decision of src/authz's queries. */
class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: GraphEdge[] = [];
  private readonly seen = new Set<string>();

  node(id: string, kind: string): void {
    if (!this.nodes.has(id)) this.nodes.set(id, { id, label: labelOf(id), kind });
  }

  edge(d: QueryDecision, to: string, kind: 'assume' | 'pass', label: string): void {
    const key = `${d.principal}|${to}|${kind}|${label}`;
    if (d.principal === to || this.seen.has(key)) return;
    this.seen.add(key);
    this.node(d.principal, d.kind);
    if (kind === 'pass' && d.service !== undefined) this.node(d.service, 'service');
    this.edges.push({
      from: d.principal,
      to,
      kind,
      label,
      decision: d.decision === 'allowed' ? 'allowed' : 'conditional',
      missingContextValues: d.missingContextValues,
      reason: d.reason,
    });
  }

  /** Who can assume and who can pass the role. */
  into(u: Universe, role: string, opts: QueryOptions): void {
    const assume = whoCanAssume(u, role, opts);
    for (const d of [...(assume?.allowed ?? []), ...(assume?.conditional ?? [])]) this.edge(d, role, 'assume', d.action);
    for (const g of whoCanPass(u, role, opts)?.principals ?? []) {
      for (const d of [...g.services, ...g.conditional])
        this.edge({ ...d, principal: g.principal, kind: g.kind }, role, 'pass', `PassRole → ${d.service ?? '?'}`);
    }
  }
}

/**
 * `{"source"}`: every assume and pass edge between the model's principals,
 * roles and services (refused beyond MAX_GRAPH_PAIRS). `{"source","focus":ARN,
 * "limit"?,"depth"?,"direction"?}`: the bounded neighbourhood of that principal
 * (a user, role or service principal), with `more` saying how many neighbours
 * each expanded node has beyond the limit; the page expands node by node.
 */
export async function graph(models: ModelResolver, { body }: ApiInput, memo?: EvalMemo): Promise<ApiReply> {
  const o = objectBody(body);
  const u = await models.resolve(readSource(o['source']));
  const focus = optionalString(o, 'focus');
  const opts: QueryOptions = memo !== undefined ? { memo } : {};
  if (focus !== undefined) return ok(focused(u, focus, o, opts));
  checkSize(u);
  const g = new GraphBuilder();
  for (const a of u.accounts.values()) {
    for (const r of a.roles) g.node(r.arn, 'role');
    for (const x of a.users) g.node(x.arn, 'user');
  }
  for (const a of u.accounts.values()) for (const r of a.roles) g.into(u, r.arn, opts);
  return ok({ nodes: [...g.nodes.values()], edges: g.edges });
}

/** A whole number in [min, max], or undefined when absent. */
function optionalCount(o: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const v = o[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ApiError(400, 'InvalidInput', `${field} must be a whole number from ${min} to ${max}`);
  }
  return v;
}

/** The bounded neighbourhood of one principal (authz/neighbourhood.ts), as the page draws it. */
function focused(u: Universe, focus: string, o: Record<string, unknown>, opts: QueryOptions): object {
  const caller = classifyCaller(focus);
  const p = caller.kind === 'service' ? undefined : findPrincipal(u, focus);
  if (caller.kind !== 'service' && (p === undefined || p.kind === 'root')) {
    throw new ApiError(404, 'NoSuchEntity', `${focus} is not a user, role or service principal of the loaded accounts`);
  }
  const direction = optionalString(o, 'direction') ?? 'both';
  if (direction !== 'in' && direction !== 'out' && direction !== 'both') throw new ApiError(400, 'InvalidInput', 'direction must be "in", "out" or "both"');
  const n = neighbourhood(u, focus, {
    ...opts,
    direction,
    limit: optionalCount(o, 'limit', 1, 1000) ?? 24,
    depth: optionalCount(o, 'depth', 1, 3) ?? 1,
  });
  const g = new GraphBuilder();
  g.node(focus, caller.kind === 'service' ? 'service' : (p?.kind ?? 'role'));
  for (const x of n.nodes) g.node(x.id, x.kind);
  for (const e of n.edges) {
    const label = e.kind === 'assume' ? e.decision.action : `PassRole → ${e.decision.service ?? '?'}`;
    g.edge({ ...e.decision, principal: e.from }, e.to, e.kind, label);
  }
  return { focus, nodes: [...g.nodes.values()], edges: g.edges, more: n.more, decided: n.decided };
}

function checkSize(u: Universe): void {
  let roles = 0;
  let principals = 0;
  for (const a of u.accounts.values()) {
    roles += a.roles.length;
    principals += a.roles.length + a.users.length;
  }
  if (roles * principals > MAX_GRAPH_PAIRS) {
    throw new ApiError(413, 'ModelTooLarge', `the graph of ${roles} roles and ${principals} principals is too large to draw; use 'iamsim who-can' on one role`);
  }
}
