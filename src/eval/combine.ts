/**
 * Combines the per-layer scans into AWS's decision:
 *  1. an explicit Deny in any layer that takes part wins;
 *  2. RCPs of the resource owner's organization, then SCPs of the caller's:
 *     every level from the root to the account must allow;
 *  3. resource-based policy and identity-based policies, with the
 *     boundary and session-policy intersections and the documented
 *     exceptions for grants naming a user, role, or session directly
 *     (reference_policies_evaluation-logic.md), and for cross-account
 *     requests both sides must allow (reference_policies_evaluation-logic-cross-account.md).
 */
import { statementLabel } from '../policy/model.js';
import type { StatementRef } from './compile.js';
import type { Caller, PrincipalMatch } from './principal.js';
import type { ScanResult } from './scan.js';
import type { Decision, EvalDecision } from './types.js';

export interface LayerScans {
  readonly rcp: readonly ScanResult[] | undefined;
  readonly scp: readonly ScanResult[] | undefined;
  readonly endpoint: ScanResult | undefined;
  readonly resource: ScanResult | undefined;
  readonly identity: ScanResult | undefined;
  readonly boundary: ScanResult | undefined;
  readonly session: ScanResult | undefined;
}

interface CombineInput {
  readonly scans: LayerScans;
  readonly caller: Caller;
  readonly crossAccount: boolean;
  readonly actionLower: string;
  readonly hasResourcePolicy: boolean;
  readonly errors: readonly string[];
}

type Core = Pick<Decision, 'decision' | 'matchedStatements' | 'reason'> & { details?: Record<string, EvalDecision> };

/**
 * Actions for which the resource-based policy must itself allow the
 * principal (role trust policies and KMS key policies); an identity-based
 * Allow alone is not enough (reference_policies_evaluation-logic.md).
 */
export function resourcePolicyRequired(actionLower: string): boolean {
  if (actionLower.startsWith('kms:')) return true;
  return (
    actionLower === 'sts:assumerole' ||
    actionLower === 'sts:assumerolewithsaml' ||
    actionLower === 'sts:assumerolewithwebidentity' ||
    actionLower === 'sts:tagsession' ||
    actionLower === 'sts:setsourceidentity' ||
    actionLower === 'sts:setcontext'
  );
}

/** How a resource-policy Allow's principal match grants, given who calls. */
function grantKind(m: PrincipalMatch): 'direct' | 'role' | 'account' {
  switch (m) {
    case 'account':
      return 'account';
    case 'role':
      return 'role';
    default:
      // user, session, federated-user, service, federated, canonical-user, and a "*" or
      // NotPrincipal match (which names whoever calls, i.e. the caller's own ARN).
      return 'direct';
  }
}

/** Shared empty list (read-only). */
const NO_REFS: readonly StatementRef[] = [];

export const ALLOWED_BY_IDENTITY = 'Allowed: an identity-based policy allows the request.';
export const NO_IDENTITY_ALLOW = 'Denied: no identity-based policy allows it.';

export function explicitDenyReason(first: StatementRef): string {
  return `Denied: statement ${statementLabel(first.index, first.sid)} of ${first.policyId} explicitly denies the request.`;
}
const ALLOWED_WITHIN_BOUNDARY = 'Allowed: an identity-based policy allows the request within the permissions boundary.';

function levelsDenyCount(levels: readonly ScanResult[] | undefined): number {
  let n = 0;
  if (levels !== undefined) for (const l of levels) n += l.denies.length;
  return n;
}

const deny = (decision: EvalDecision, reason: string, matched: readonly StatementRef[] = []): Core => ({
  decision,
  matchedStatements: matched,
  reason,
});

export function combine(inp: CombineInput): Core {
  const core = decide(inp);
  // The VPC endpoint policy's Allow is part of what let an allowed request through.
  const ep = inp.scans.endpoint;
  if (core.decision === 'allowed' && ep !== undefined && ep.allows.length > 0) {
    return { ...core, matchedStatements: [...core.matchedStatements, ...ep.allows] };
  }
  return core;
}

function decide(inp: CombineInput): Core {
  const { scans, caller } = inp;
  const denyCount =
    levelsDenyCount(scans.rcp) +
    levelsDenyCount(scans.scp) +
    (scans.endpoint?.denies.length ?? 0) +
    (scans.resource?.denies.length ?? 0) +
    (scans.identity?.denies.length ?? 0) +
    (scans.boundary?.denies.length ?? 0) +
    (scans.session?.denies.length ?? 0);
  if (denyCount > 0) {
    const denies: StatementRef[] = [];
    for (const l of scans.rcp ?? []) denies.push(...l.denies);
    for (const l of scans.scp ?? []) denies.push(...l.denies);
    if (scans.endpoint) denies.push(...scans.endpoint.denies);
    if (scans.resource) denies.push(...scans.resource.denies);
    if (scans.identity) denies.push(...scans.identity.denies);
    if (scans.boundary) denies.push(...scans.boundary.denies);
    if (scans.session) denies.push(...scans.session.denies);
    return deny('explicitDeny', explicitDenyReason(denies[0]!), denies);
  }
  if (inp.errors.length > 0) {
    return deny('implicitDeny', `Denied: a policy could not be evaluated (${inp.errors[0]}); iamsim fails closed.`);
  }
  const rcpGap = scans.rcp?.findIndex((l) => l.allows.length === 0) ?? -1;
  if (rcpGap >= 0) {
    return deny('implicitDeny', `Denied: no resource control policy at organization level ${rcpGap} (0 = root) allows the request.`);
  }
  const scpGap = scans.scp?.findIndex((l) => l.allows.length === 0) ?? -1;
  if (scpGap >= 0) {
    return deny('implicitDeny', `Denied: no service control policy at organization level ${scpGap} (0 = root) allows the request.`);
  }

  if (scans.endpoint !== undefined && scans.endpoint.allows.length === 0) {
    return deny('implicitDeny', 'Denied: the VPC endpoint policy does not allow the request.');
  }

  const id = scans.identity;
  const identityAllows = caller.kind === 'root' ? true : (id?.allows.length ?? 0) > 0;
  const boundaryOk = scans.boundary === undefined || scans.boundary.allows.length > 0;
  // A federated-user session (GetFederationToken) without a session policy has no permissions
  // beyond what resource-based policies grant it directly (reference_policies_evaluation-logic.md).
  const sessionOk = scans.session === undefined ? caller.kind !== 'federated-user' : scans.session.allows.length > 0;
  const iamSide = id !== undefined || caller.kind === 'root';
  const identityPath = iamSide && identityAllows && boundaryOk && sessionOk;
  const identityMatched =
    scans.boundary === undefined && scans.session === undefined
      ? (id?.allows ?? [])
      : [...(id?.allows ?? []), ...(scans.boundary?.allows ?? []), ...(scans.session?.allows ?? [])];

  let direct: readonly StatementRef[] = NO_REFS;
  let viaRole: readonly StatementRef[] = NO_REFS;
  let viaAccount: readonly StatementRef[] = NO_REFS;
  const r = scans.resource;
  if (r !== undefined && r.allows.length > 0) {
    const d: StatementRef[] = [];
    const vr: StatementRef[] = [];
    const va: StatementRef[] = [];
    for (let i = 0; i < r.allows.length; i++) {
      const kind = grantKind(r.allowMatches[i] ?? 'wildcard');
      (kind === 'direct' ? d : kind === 'role' ? vr : va).push(r.allows[i]!);
    }
    direct = d;
    viaRole = vr;
    viaAccount = va;
  }
  const resourceAllows = direct.length + viaRole.length + viaAccount.length > 0;

  const whyIdentity = (): string =>
    !identityAllows ? 'no identity-based policy allows it' : !boundaryOk ? 'the permissions boundary does not allow it' : 'no session policy allows it';

  if (!iamSide) {
    // Service principals and anonymous callers: only the resource-based policy can grant.
    if (direct.length > 0)
      return { decision: 'allowed', matchedStatements: direct, reason: 'Allowed: the resource-based policy grants the request to this principal.' };
    return deny(
      'implicitDeny',
      inp.hasResourcePolicy
        ? `Denied: the resource-based policy does not grant the request to ${caller.id ?? 'this caller'}.`
        : `Denied: ${caller.id ?? 'this caller'} has no identity-based policies and no resource-based policy was given.`,
    );
  }

  if (inp.crossAccount) {
    const details: Record<string, EvalDecision> = {
      'IAM Policy': identityPath ? 'allowed' : 'implicitDeny',
      'Resource Policy': resourceAllows ? 'allowed' : 'implicitDeny',
    };
    if (identityPath && resourceAllows) {
      return {
        decision: 'allowed',
        matchedStatements: [...identityMatched, ...direct, ...viaRole, ...viaAccount],
        reason: "Allowed: cross-account request allowed by both the caller's identity-based policies and the resource-based policy.",
        details,
      };
    }
    const why = !resourceAllows ? "the resource owner's resource-based policy does not allow the caller" : whyIdentity();
    return { ...deny('implicitDeny', `Denied: cross-account request needs an Allow on both sides, and ${why}.`), details };
  }

  if (direct.length > 0) {
    return { decision: 'allowed', matchedStatements: direct, reason: 'Allowed: the resource-based policy grants the request directly to this principal.' };
  }
  if (viaRole.length > 0 && boundaryOk && sessionOk) {
    return {
      decision: 'allowed',
      matchedStatements: [...viaRole, ...(scans.boundary?.allows ?? []), ...(scans.session?.allows ?? [])],
      reason: 'Allowed: the resource-based policy grants the request to the role.',
    };
  }
  const required = inp.hasResourcePolicy && resourcePolicyRequired(inp.actionLower);
  if (required && viaAccount.length === 0) {
    return deny(
      'implicitDeny',
      viaRole.length > 0
        ? `Denied: the resource-based policy names the role, but ${!boundaryOk ? 'the permissions boundary' : 'the session policy'} does not allow the request.`
        : 'Denied: this action needs the resource-based policy (role trust policy or KMS key policy) to allow the caller, and it does not.',
    );
  }
  if (identityPath) {
    return {
      decision: 'allowed',
      matchedStatements: viaAccount.length === 0 ? identityMatched : [...identityMatched, ...viaAccount],
      reason: scans.boundary ? ALLOWED_WITHIN_BOUNDARY : ALLOWED_BY_IDENTITY,
    };
  }
  return deny(
    'implicitDeny',
    viaRole.length > 0
      ? `Denied: the resource-based policy names the role, but ${!boundaryOk ? 'the permissions boundary' : 'the session policy'} does not allow the request.`
      : `Denied: ${whyIdentity()}${r ? ' and the resource-based policy does not grant it to this principal' : ''}.`,
  );
}
