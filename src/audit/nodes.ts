/**
 * The principals of an audit: every user and role of every modelled account
 * (one universe, whatever the number of accounts or files), plus one
 * stand-in member per group — a user with no policies of its own in that one
 * group — so "join this group" and "edit this group's policies" lead to a
 * principal the evaluator can decide for, and for every user or role with a
 * permissions boundary a stand-in without it (same name, policies and
 * groups or trust, under the path /iamsim-audit-unbounded/): what the
 * principal becomes once its boundary is deleted or replaced.
 */
import { Catalog } from '../catalog/catalog-object.js';
import type { Account, User } from '../account/model.js';
import { createUniverse, findPrincipal, principalPolicies, type Universe } from '../account/query.js';
import { WildcardCache } from '../primitives/wildcard.js';
import { parseModelPolicy } from '../account/parsed-policies.js';
import { partitionOf } from '../primitives/arn.js';
import { dependsOnCaller } from './share.js';

export interface AuditNode {
  readonly arn: string;
  readonly kind: 'user' | 'role' | 'group-member' | 'unbounded';
  readonly account: string;
  readonly name: string;
  /** For `group-member`: the group's ARN. */
  readonly group?: string;
  /** For `unbounded`: the user or role it stands for. */
  readonly of?: string;
  /** Has a permissions boundary (granting itself more cannot exceed it). */
  readonly bounded: boolean;
}

const MEMBER_PATH = '/iamsim-audit-group-member/';
const UNBOUNDED_PATH = '/iamsim-audit-unbounded/';

/** The stand-in for a user or role without its permissions boundary. */
export function unboundedArn(arn: string): string {
  return arn.replace(/:(user|role)\/(?:.*\/)?([^/]+)$/, `:$1${UNBOUNDED_PATH}$2`);
}

/** True for the ARN of a stand-in without a boundary. */
export function isUnboundedArn(arn: string): boolean {
  return /:(user|role)\/iamsim-audit-unbounded\/[^/]+$/.test(arn);
}

/** True for a stand-in without a boundary: reached only by removing the real one's boundary, never a target itself. */
export function isUnbounded(x: { readonly path: string }): boolean {
  return x.path === UNBOUNDED_PATH;
}

/** A service-linked role (path /aws-service-role/): AWS owns its policies and trust, and only its service assumes it. */
export function isServiceLinked(x: { readonly path: string }): boolean {
  return x.path.startsWith('/aws-service-role/');
}

export function memberArn(account: string, groupName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:user${MEMBER_PATH}${groupName}`;
}

function withMembers(a: Account): Account {
  const members: User[] = a.groups.map((g) => ({
    arn: memberArn(a.id, g.name, partitionOf(g.arn)),
    name: g.name,
    path: MEMBER_PATH,
    groups: [g.name],
    inlinePolicies: [],
    managedPolicies: [],
    tags: [],
  }));
  const free = <T extends { arn: string; permissionsBoundary?: string }>(x: T): T => {
    const { permissionsBoundary: _boundary, ...rest } = x;
    return { ...rest, arn: unboundedArn(x.arn), path: UNBOUNDED_PATH } as unknown as T;
  };
  const users = a.users.filter((x) => x.permissionsBoundary !== undefined).map(free);
  const roles = a.roles.filter((x) => x.permissionsBoundary !== undefined).map(free);
  return { ...a, users: [...a.users, ...members, ...users], roles: [...a.roles, ...roles] };
}

export interface AuditModel {
  /** The model with the group stand-ins added. */
  readonly universe: Universe;
  readonly nodes: readonly AuditNode[];
  readonly byArn: ReadonlyMap<string, AuditNode>;
  /** Compiled Action patterns (case-insensitive), shared by the pre-filters. */
  readonly patterns: WildcardCache;
  /** The catalog the audit asks (Action patterns expanded once per audit, not per partition). */
  readonly catalog: Catalog;
}

export function auditModel(u: Universe, catalog: Catalog = new Catalog()): AuditModel {
  const accounts = [...u.accounts.values()].map(withMembers);
  const universe = createUniverse({
    accounts,
    resourcePolicies: [...u.resourcePolicies.values()],
    ...(u.organization ? { organization: u.organization } : {}),
  });
  const nodes: AuditNode[] = [];
  for (const a of u.accounts.values()) {
    for (const x of a.users) nodes.push({ arn: x.arn, kind: 'user', account: a.id, name: x.name, bounded: x.permissionsBoundary !== undefined });
    for (const r of a.roles) nodes.push({ arn: r.arn, kind: 'role', account: a.id, name: r.name, bounded: r.permissionsBoundary !== undefined });
    for (const g of a.groups) {
      nodes.push({ arn: memberArn(a.id, g.name, partitionOf(g.arn)), kind: 'group-member', account: a.id, name: g.name, group: g.arn, bounded: false });
    }
    for (const x of [...a.users, ...a.roles]) {
      if (x.permissionsBoundary !== undefined)
        nodes.push({ arn: unboundedArn(x.arn), kind: 'unbounded', account: a.id, name: x.name, of: x.arn, bounded: false });
    }
  }
  return { universe, nodes, byArn: new Map(nodes.map((n) => [n.arn, n])), patterns: new WildcardCache(true), catalog };
}

/**
 * The technique actions some Allow statement of the principal's identity
 * policies names (Action or NotAction): only these are sent to the
 * evaluator. A pre-filter, never a decision: the evaluator decides each.
 */
export function mentionedActions(
  u: Universe,
  arn: string,
  actions: readonly string[],
  patterns: WildcardCache,
  memo?: Map<string, ReadonlySet<string>>,
): Set<string> {
  const out = new Set<string>();
  const p = findPrincipal(u, arn);
  if (p === undefined) return out;
  for (const pp of principalPolicies(p).identity) {
    let named = memo?.get(pp.document);
    if (named === undefined) {
      named = namedBy(u, pp.document, pp.name, actions, patterns);
      memo?.set(pp.document, named);
    }
    for (const a of named) out.add(a);
  }
  return out;
}

/** The actions (of `actions`) an Allow statement of one identity policy names. */
function namedBy(u: Universe, document: string, name: string, actions: readonly string[], patterns: WildcardCache): Set<string> {
  const out = new Set<string>();
  const policy = parseModelPolicy(u, document, 'identity', name, true).policy;
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    for (const a of actions) {
      if (st.action?.values.some((v) => patterns.matches(v, a))) out.add(a);
      else if (st.notAction && !st.notAction.values.some((v) => patterns.matches(v, a))) out.add(a);
    }
  }
  return out;
}

/**
 * A key shared by principals whose requests on `*` decide alike: same
 * account, same policies (managed by ARN, inline by text) and boundary, and
 * no condition or resource in them that depends on who the principal is
 * (aws:Principal…, aws:username, policy variables). Undefined when the
 * principal's decisions must be made on their own.
 */
export function policySignature(u: Universe, arn: string): string | undefined {
  const p = findPrincipal(u, arn);
  if (p === undefined || p.kind === 'root') return undefined;
  const pp = principalPolicies(p);
  const all = pp.boundary ? [...pp.identity, pp.boundary] : pp.identity;
  for (const x of all) {
    const policy = parseModelPolicy(u, x.document, 'identity', x.name, true).policy;
    if (policy === undefined || policy.statements.some(dependsOnCaller)) return undefined;
  }
  const account = p.account.id;
  const slr = p.kind !== 'user' && p.role.path.startsWith('/aws-service-role/');
  const parts = pp.identity.map((x) => x.policyArn ?? `inline:${x.document}`).sort();
  // Users and roles decide alike (aws:PrincipalType makes a statement caller-specific); service-linked roles skip SCPs.
  return `${account}|${slr ? 'slr' : ''}|${pp.boundary?.policyArn ?? ''}|${parts.join('|')}`;
}
