/**
 * The escalation graph's parts (graph.ts builds them): edges, grant sets,
 * the steps they are made of, and the non-principal nodes and targets the
 * techniques lead to.
 */
import type { Account, ManagedPolicy } from '../account/model.js';
import type { ContextValue } from '../eval/request.js';
import { partitionOf } from '../primitives/arn.js';
import { contextOf, type AuditDecider, type Verdict } from './decide.js';
import type { GrantSet } from './grant-sets.js';
import { isServiceLinked, isUnbounded, memberArn } from './nodes.js';
import type { Step } from './step.js';

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly technique: string;
  readonly steps: readonly Step[];
  /** The edge needs a resource the model does not list (a function, instance, stack running as the role). */
  readonly assumesExistingResource?: boolean;
  /** The edge out of a role-subset node (hubs.ts): the previous edge's steps name the subset's node; this role is the resource. */
  readonly fill?: boolean;
}

export interface Graph {
  readonly edges: ReadonlyMap<string, readonly Edge[]>;
  /** Grants by grantor, as sets sharing their target lists (grant-sets.ts). */
  readonly grants: ReadonlyMap<string, readonly GrantSet[]>;
}

/** A step of an edge or grant, citing the statement of its verdict. */
export const step = (principal: string, action: string, resource: string, v: Verdict, note?: string, extra?: ReadonlyMap<string, ContextValue>): Step => ({
  principal,
  action,
  resource,
  ...(v.statement ? { statement: v.statement } : {}),
  ...(note ? { note } : {}),
  ...(extra ? { context: Object.fromEntries([...extra.values()].map((c) => [c.key, c.values[0] ?? ''])) } : {}),
});

/** Request context of one key. */
export function ctx(key: string, value: string): Map<string, ContextValue> {
  return contextOf({ [key]: value });
}

/** The node standing for a service's existing compute in an account (not a principal). */
export function computeNode(service: string, account: string): string {
  return `compute:${service}:${account}`;
}

/** Principals (and group stand-ins) a customer managed policy is attached to, directly or through a group. */
export function holders(a: Account, mp: ManagedPolicy): string[] {
  const attached = (refs: readonly { arn: string }[]): boolean => refs.some((r) => r.arn === mp.arn);
  const groups = a.groups.filter((g) => attached(g.managedPolicies));
  const out: string[] = [];
  for (const x of a.users)
    if (!x.permissionsBoundary && (attached(x.managedPolicies) || x.groups.some((gn) => groups.some((g) => g.name === gn)))) out.push(x.arn);
  for (const r of a.roles) if (!r.permissionsBoundary && !isServiceLinked(r) && attached(r.managedPolicies)) out.push(r.arn);
  for (const g of groups) out.push(memberArn(a.id, g.name, partitionOf(g.arn)));
  return out;
}

/** A target of a policy edit: a user, role or group, and who is given the permission (a group's members). */
export interface EditTarget {
  readonly arn: string;
  readonly bounded: boolean;
  readonly grantees: readonly string[];
}

/** The users, roles (not service-linked) or groups of an account whose own policies a technique edits, and by ARN. */
export function editTargets(a: Account, target: string | undefined): { targets: EditTarget[]; byArn: Map<string, EditTarget> } {
  const grantee = (x: { arn: string; permissionsBoundary?: string }): EditTarget => ({
    arn: x.arn,
    bounded: x.permissionsBoundary !== undefined,
    grantees: [x.arn],
  });
  const targets: EditTarget[] =
    target === 'user'
      ? a.users.filter((x) => !isUnbounded(x)).map(grantee)
      : target === 'role'
        ? a.roles.filter((x) => !isUnbounded(x) && !isServiceLinked(x)).map(grantee)
        : a.groups.map((g) => ({
            arn: g.arn,
            bounded: false,
            grantees: [
              memberArn(a.id, g.name, partitionOf(g.arn)),
              ...a.users.filter((x) => x.groups.includes(g.name) && !x.permissionsBoundary).map((x) => x.arn),
            ],
          }));
  return { targets, byArn: new Map(targets.map((x) => [x.arn, x])) };
}

/** AdministratorAccess in the partition of `arn`. */
export function adminPolicyArn(arn: string): string {
  return `arn:${partitionOf(arn)}:iam::aws:policy/AdministratorAccess`;
}

/**
 * The step deleting a user's or role's permissions boundary, or putting
 * AdministratorAccess in its place (iam:PermissionsBoundary names the
 * policy set), when the caller may; undefined otherwise.
 */
export function unboundStep(d: AuditDecider, caller: string, target: string, kind: 'User' | 'Role'): Step | undefined {
  const del = `iam:Delete${kind}PermissionsBoundary`;
  const v = d.decide(caller, del, target);
  if (v.allowed) return step(caller, del, target, v, 'remove the boundary');
  const put = `iam:Put${kind}PermissionsBoundary`;
  const admin = ctx('iam:PermissionsBoundary', adminPolicyArn(caller));
  const w = d.decide(caller, put, target, admin);
  return w.allowed ? step(caller, put, target, w, 'replace the boundary with AdministratorAccess', admin) : undefined;
}
