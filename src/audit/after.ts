/**
 * The second half of two-step techniques, decided by the evaluator on the
 * model as it is once the first step is done:
 * - after rewriting a role's trust policy, the caller assumes the role. What
 *   it writes names itself: a user its own ARN, a role the ARN of the session
 *   it acts in. Within the account such a grant goes to the caller directly,
 *   so an implicit deny of its identity policies or its permissions boundary
 *   does not limit it (IAM User Guide access_policies_boundaries, "IAM user"
 *   and "IAM role session"; reference_policies_elements_principal: role
 *   session principals), while an explicit Deny in any policy and the SCPs
 *   still decide (reference_policies_evaluation-logic);
 * - a role is used by an EC2 instance only through an instance profile
 *   (id_roles_use_switch-role-ec2_instance-profiles): a role the export lists
 *   in no instance profile needs iam:CreateInstanceProfile and
 *   iam:AddRoleToInstanceProfile first.
 */
import type { Role } from '../account/model.js';
import type { Universe } from '../account/query.js';
import { parseArn } from '../primitives/arn.js';
import { assemble, type Assembled } from '../authz/assemble.js';
import type { AuditDecider } from './decide.js';
import { isUnboundedArn } from './nodes.js';

/** The session name the audit gives a role caller's own session. */
const SESSION = 'iamsim-audit';

/**
 * Who a caller names when it rewrites a trust policy to let itself in, and makes sts:AssumeRole as: a user its
 * ARN; a role the session it acts in; a role's stand-in without its boundary its role ARN (a session ARN names a
 * role by name only, which would be the real role; the stand-in has no boundary to limit a grant to the role).
 */
export function trustEditPrincipal(caller: string): string {
  const arn = parseArn(caller);
  if (arn === undefined || arn.service !== 'iam' || !arn.resource.startsWith('role/') || isUnboundedArn(caller)) return caller;
  const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  return `arn:${arn.partition}:sts::${arn.account}:assumed-role/${name}/${SESSION}`;
}

/** The trust policy a caller writes to let itself in. */
export function trustNaming(principal: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'] }],
  });
}

export class AfterFirstStep {
  /** The input of the last caller's request after its rewrite (callers come one after another). */
  private current: { readonly who: string; readonly account: string; readonly assembled: Assembled | undefined } | undefined;

  constructor(private readonly d: AuditDecider) {}

  /**
   * Whether `caller` may assume `role` (of the caller's account) once the role's trust policy names the caller
   * (trustEditPrincipal). Of the role, `assemble` takes its trust policy and its account only (the rest of the
   * request — its ARN, its tags — the evaluator reads from the request): with every role of the account trusting
   * the same rewritten policy, one input serves them all. It is assembled once per caller and account, on the
   * model with one role rewritten (a delta: no other account or role is copied), and each role's request is
   * decided on it by the evaluator.
   */
  assumeAfterTrustEdit(caller: string, role: string): boolean {
    const who = trustEditPrincipal(caller);
    const account = parseArn(role)?.account ?? '';
    if (this.current?.who !== who || this.current.account !== account) {
      this.current = { who, account, assembled: rewritten(this.d, who, account, role) };
    }
    const assembled = this.current.assembled;
    return assembled !== undefined && this.d.decideOn(assembled, who, 'sts:AssumeRole', role);
  }
}

/** The input of `who`'s sts:AssumeRole on a role of `account` whose trust policy names `who` (undefined: no such role). */
function rewritten(d: AuditDecider, who: string, account: string, role: string): Assembled | undefined {
  const u = d.universe;
  const a = u.accounts.get(account);
  const r = a?.roles.find((x) => x.arn === role);
  if (a === undefined || r === undefined) return undefined;
  const { trustPolicyOrigin: _written, ...rest } = r;
  const edited: Role = { ...rest, trustPolicy: trustNaming(who) };
  const world: Universe = { ...u, accounts: new Map(u.accounts).set(account, { ...a, roles: a.roles.map((x) => (x === r ? edited : x)) }) };
  return assemble(world, { principal: who, action: 'sts:AssumeRole', resource: role }, d.policies);
}

/** False when the export says the role is in no instance profile (an instance cannot run as it yet). */
export function hasInstanceProfile(r: Role): boolean {
  return r.instanceProfiles === undefined || r.instanceProfiles.length > 0;
}

/** The actions that put a role into a new instance profile. */
export const NEW_INSTANCE_PROFILE = ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'] as const;
