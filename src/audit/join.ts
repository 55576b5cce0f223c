/**
 * The join phase: the partitions' graphs merged into one (edges and grants
 * in the model's node order, whatever the partitions and their order; a
 * group or compute node that several partitions made once), then each
 * principal's escalation paths over the whole graph — paths cross accounts —
 * and its report entry.
 */
import { isRoleArn } from '../primitives/arn.js';
import type { GrantSet } from './grant-sets.js';
import type { Edge, Graph } from './graph.js';
import type { AuditModel } from './nodes.js';
import type { LocalVerdict, PartitionResult } from './partition.js';
import { type AdminCheck, confirmed, escalationPaths, grantsItself, type EscalationPath } from './paths.js';
import type { AuditDecider } from './decide.js';
import type { Risk } from './risks.js';

export interface AuditedPrincipal {
  readonly arn: string;
  readonly type: 'user' | 'role';
  readonly account: string;
  /** Allowed every action on every resource, or able to grant itself that. */
  readonly isAdmin: boolean;
  /** Allowed everything outright (no step needed). */
  readonly allowedEverything: boolean;
  /** Not allowed everything, but a path leads to admin. */
  readonly canEscalate: boolean;
  readonly paths: readonly (EscalationPath & { readonly technique: string })[];
  readonly risks: readonly Risk[];
}

/** One graph of the partitions' parts, in the model's node order. */
export function mergeGraph(model: AuditModel, results: readonly PartitionResult[]): Graph {
  const edgesBy = new Map<string, readonly Edge[]>();
  const grantsBy = new Map<string, readonly GrantSet[]>();
  for (const r of results) {
    for (const [from, list] of r.edges) if (!edgesBy.has(from)) edgesBy.set(from, list);
    for (const [by, sets] of r.grants)
      grantsBy.set(
        by,
        sets.map((s) => ({ ...s, to: r.lists[s.to] ?? { grantees: [], resources: [] } })),
      );
  }
  const edges = new Map<string, readonly Edge[]>();
  const grants = new Map<string, readonly GrantSet[]>();
  for (const n of model.nodes) {
    const e = edgesBy.get(n.arn);
    if (e !== undefined) edges.set(n.arn, e);
    const g = grantsBy.get(n.arn);
    if (g !== undefined) grants.set(n.arn, g);
  }
  for (const k of [...edgesBy.keys()].sort()) if (!edges.has(k)) edges.set(k, edgesBy.get(k) as readonly Edge[]);
  return { edges, grants };
}

export interface JoinContext {
  readonly model: AuditModel;
  readonly graph: Graph;
  readonly d: AuditDecider;
  readonly admin: AdminCheck;
  /** Every risk category (for a principal allowed everything). */
  readonly everything: readonly Risk[];
  /** Potential escalation of a principal with no path (by its policies alone). */
  readonly potential: (arn: string) => Risk[];
}

/** A principal's report entry. */
export function auditPrincipal(j: JoinContext, v: LocalVerdict): AuditedPrincipal {
  const n = j.model.byArn.get(v.arn);
  const allowedEverything = v.allowedEverything;
  // A service-linked role is used only by its service, with policies AWS maintains: no attacker starts from it.
  const paths = allowedEverything || isRoleArn(v.arn, 'aws-service-role/') ? [] : confirmed(j.d, escalationPaths(j.graph, j.admin, v.arn));
  // Admin by its own permissions: it can grant itself anything, every step its own (a grant made by another
  // principal it reaches is an escalation, not admin; reaching an admin allows that for anyone).
  const selfGrant = paths.length > 0 && grantsItself(j.graph, v.arn, j.admin);
  const escalation = (): Risk[] =>
    paths.length > 0
      ? [{ category: 'privilege-escalation', count: paths.length, actions: [...new Set(paths.flatMap((p) => p.steps.map((s) => s.action)))].slice(0, 25) }]
      : j.potential(v.arn);
  return {
    arn: v.arn,
    type: n?.kind === 'role' ? 'role' : 'user',
    account: n?.account ?? '',
    isAdmin: allowedEverything || selfGrant,
    allowedEverything,
    canEscalate: !allowedEverything && paths.length > 0,
    paths: paths.map((p) => ({ technique: p.techniques.join(' → '), ...p })),
    risks: allowedEverything ? j.everything : [...escalation(), ...v.risks],
  };
}
