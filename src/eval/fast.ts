/**
 * The fast path for the most common request: only identity-based policies
 * take part (no boundary, session, resource, endpoint, SCP or RCP), the
 * caller is an IAM user or role (session) of the resource's account, and no
 * explanation is asked for. It scans the same compiled statements as the
 * general path and builds the same Decision, without the per-layer
 * bookkeeping. Property tests check it against the plain evaluator.
 */
import type { RequestContext } from './request.js';
import type { Caller } from './principal.js';
import { scanPolicies, type ScanEnv } from './scan.js';
import type { Decision, EvaluationInput } from './types.js';
import { ALLOWED_BY_IDENTITY, explicitDenyReason, NO_IDENTITY_ALLOW } from './combine.js';

const NONE: readonly string[] = Object.freeze([]);

/** True when `fastIdentityDecision` gives the same answer as the general path. */
export function fastPathApplies(input: EvaluationInput, req: RequestContext, caller: Caller): boolean {
  if ((input.boundary !== undefined && input.boundary.length > 0) || (input.session !== undefined && input.session.length > 0)) return false;
  if (input.resource !== undefined || input.endpoint !== undefined) return false;
  if ((input.scp !== undefined && input.scp.length > 0) || (input.rcp !== undefined && input.rcp.length > 0)) return false;
  const k = caller.kind;
  if (k !== 'user' && k !== 'role' && k !== 'role-session' && k !== 'unspecified') return false;
  const owner = req.resourceOwner ?? input.resourceOwnerAccount;
  return caller.account === undefined || owner === undefined || owner === caller.account;
}

export function fastIdentityDecision(input: EvaluationInput, env: ScanEnv): Decision {
  const scan = scanPolicies(input.identity, env, false);
  let decision: Decision['decision'];
  let matched = scan.allows;
  let reason = ALLOWED_BY_IDENTITY;
  if (scan.denies.length > 0) {
    decision = 'explicitDeny';
    matched = scan.denies;
    reason = explicitDenyReason(scan.denies[0]!);
  } else if (env.errors !== undefined) {
    decision = 'implicitDeny';
    matched = [];
    reason = `Denied: a policy could not be evaluated (${env.errors[0]}); iamsim fails closed.`;
  } else if (scan.allows.length > 0) {
    decision = 'allowed';
  } else {
    decision = 'implicitDeny';
    reason = NO_IDENTITY_ALLOW;
  }
  return {
    decision,
    matchedStatements: matched,
    missingContextValues: env.missing ?? NONE,
    crossAccount: false,
    allowedByOrganizations: undefined,
    allowedByResourceControlPolicies: undefined,
    allowedByPermissionsBoundary: undefined,
    details: undefined,
    reason,
    layers: undefined,
    errors: env.errors ?? NONE,
  };
}
