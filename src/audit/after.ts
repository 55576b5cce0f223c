/**
 * The second half of two-step techniques, decided by the evaluator on the
 * model as it is once the first step is done:
 * - after rewriting a role's trust policy to trust everyone (what the caller
 *   writes naming itself), sts:AssumeRole is still subject to the caller's
 *   identity Deny statements, its boundary and the SCPs (IAM User Guide,
 *   reference_policies_evaluation-logic: an explicit deny in any policy wins);
 * - a role is used by an EC2 instance only through an instance profile
 *   (id_roles_use_switch-role-ec2_instance-profiles): a role the export lists
 *   in no instance profile needs iam:CreateInstanceProfile and
 *   iam:AddRoleToInstanceProfile first.
 */
import type { Role } from '../account/model.js';
import type { Universe } from '../account/query.js';
import { AuditDecider } from './decide.js';
import { RoleSubsets, type RoleGroup } from './hubs.js';

const TRUST_ANYONE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }],
});

export class AfterFirstStep {
  private rewritten: AuditDecider | undefined;
  private subsets: RoleSubsets | undefined;

  constructor(private readonly d: AuditDecider) {}

  private decider(): AuditDecider {
    if (this.rewritten === undefined) {
      const u = this.d.universe;
      const accounts = new Map([...u.accounts].map(([id, a]) => [id, { ...a, roles: a.roles.map((r) => ({ ...r, trustPolicy: TRUST_ANYONE })) }] as const));
      const world: Universe = { ...u, accounts };
      this.rewritten = new AuditDecider(world, this.d.at, this.d.sharing);
    }
    return this.rewritten;
  }

  /**
   * The roles of `group` (but the caller) `caller` may assume once their trust policies let it in, in group
   * order: decided once per subset of roles the caller's statements cannot tell apart (hubs.ts), as the graph's
   * first steps are; role by role when a statement depends on the exact caller or decisions are not shared.
   */
  openAfterTrustEdit(caller: string, group: RoleGroup): string[] {
    const d = this.decider();
    this.subsets ??= new RoleSubsets(d);
    const split = this.subsets.split(caller, 'sts:AssumeRole', group);
    if (split === undefined) return group.roles.filter((r) => r !== caller && d.decide(caller, 'sts:AssumeRole', r).allowed);
    const open = new Set<string>();
    for (const subset of split) {
      const first = subset.roles.find((r) => r !== caller);
      if (first !== undefined && d.decide(caller, 'sts:AssumeRole', first).allowed) for (const r of subset.roles) open.add(r);
    }
    return group.roles.filter((r) => r !== caller && open.has(r));
  }
}

/** False when the export says the role is in no instance profile (an instance cannot run as it yet). */
export function hasInstanceProfile(r: Role): boolean {
  return r.instanceProfiles === undefined || r.instanceProfiles.length > 0;
}

/** The actions that put a role into a new instance profile. */
export const NEW_INSTANCE_PROFILE = ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'] as const;
