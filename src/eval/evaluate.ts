/**
 * The decision procedure: a pure function from compiled policies and a request
 * to a Decision. Order and combination rules follow
 * reference_policies_evaluation-logic.md, reference_policies_evaluation-logic-cross-account.md,
 * access_policies_boundaries.md, orgs_manage_policies_inheritance_auth.md and
 * (RCPs) the Organizations guide's resource control policy pages.
 */
import type { RequestContext } from './request.js';
import type { CompiledPolicy, StatementRef } from './compile.js';
import { classifyCaller, isIamPrincipal, type Caller, type PrincipalMatch } from './principal.js';
import { scanPolicies, type ScanEnv, type ScanResult } from './scan.js';
import { combine, resourcePolicyRequired, type LayerScans } from './combine.js';
import { fastIdentityDecision, fastPathApplies } from './fast.js';
import type { Decision, EvaluateOptions, EvaluationInput, LayerResult } from './types.js';
import { rcpSupported } from '../catalog/catalog.js';

const GET_CALLER_IDENTITY = 'sts:getcalleridentity';

function serviceOfAction(actionLower: string): string {
  return actionLower.slice(0, Math.max(0, actionLower.indexOf(':')));
}

/**
 * Everything the evaluator reads from the action of a request on `input`
 * besides which statements' Action/NotAction match it: whether it is
 * sts:GetCallerIdentity, whether resource control policies cover its service,
 * and whether a resource policy must grant it by itself (combine.ts). Two
 * requests that differ only in their action, with the same matching statements
 * in every layer and equal values here, are decided alike (the audit decides
 * such actions once: src/audit/share.ts).
 */
export function actionBehaviour(actionLower: string, input: EvaluationInput): string {
  const rcp = input.rcp !== undefined && input.rcp.length > 0 && rcpSupported(serviceOfAction(actionLower));
  const own = input.resource !== undefined && resourcePolicyRequired(actionLower);
  return `${actionLower === GET_CALLER_IDENTITY ? actionLower : ''}|${rcp ? 1 : 0}${own ? 1 : 0}`;
}

/**
 * sts:GetCallerIdentity needs no permission and is not blocked by an explicit
 * Deny (STS API reference, GetCallerIdentity): the same information is
 * returned when access is denied.
 */
function callerIdentityDecision(explain: boolean): Decision {
  return {
    decision: 'allowed',
    matchedStatements: [],
    missingContextValues: NONE,
    crossAccount: false,
    allowedByOrganizations: undefined,
    allowedByResourceControlPolicies: undefined,
    allowedByPermissionsBoundary: undefined,
    details: undefined,
    layers: explain ? [] : undefined,
    reason:
      'Allowed: sts:GetCallerIdentity requires no permission and works even under an explicit Deny (STS API reference, GetCallerIdentity); no policy was evaluated.',
    errors: NONE,
  };
}

function scanLevels(levels: readonly (readonly CompiledPolicy[])[], env: ScanEnv, usesPrincipal: boolean): ScanResult[] {
  return levels.map((policies) => scanPolicies(policies, env, usesPrincipal));
}

/** Evaluates one request. Never throws: an internal error yields a denial carrying the error. */
export function evaluate(input: EvaluationInput, req: RequestContext, options: EvaluateOptions = {}): Decision {
  try {
    return evaluateUnchecked(input, req, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      decision: 'implicitDeny',
      matchedStatements: [],
      missingContextValues: [],
      crossAccount: false,
      allowedByOrganizations: undefined,
      allowedByResourceControlPolicies: undefined,
      allowedByPermissionsBoundary: undefined,
      details: undefined,
      layers: undefined,
      reason: `Denied: evaluation failed with an internal error (${message}); iamsim fails closed.`,
      errors: [`internal error: ${message}`],
    };
  }
}

function evaluateUnchecked(input: EvaluationInput, req: RequestContext, options: EvaluateOptions): Decision {
  const explain = options.explain ?? false;
  const memo = options.memo;
  const caller = memo !== undefined ? memo.caller(req.principal) : classifyCaller(req.principal);
  const env: ScanEnv = {
    req,
    actionLower: memo !== undefined ? memo.lowerAction(req.action) : req.action.toLowerCase(),
    caller,
    missing: undefined,
    missingLower: undefined,
    errors: undefined,
    explain,
    useIndex: options.useIndex ?? true,
    buf: memo !== undefined ? memo.scratch : [],
    callerHasBoundary: false,
  };
  if (env.actionLower === GET_CALLER_IDENTITY && isIamPrincipal(caller)) return callerIdentityDecision(explain);
  if (!explain && env.useIndex && fastPathApplies(input, req, caller)) return fastIdentityDecision(input, env);
  const iam = isIamPrincipal(caller);
  const serviceOf = (): string => serviceOfAction(env.actionLower);

  const scpGiven = input.scp !== undefined && input.scp.length > 0;
  const scpApplies = scpGiven && iam && !input.callerIsManagementAccount && !input.callerIsServiceLinkedRole;
  const rcpGiven = input.rcp !== undefined && input.rcp.length > 0;
  const rcpApplies = rcpGiven && !input.resourceOwnerIsManagementAccount && !input.callerIsServiceLinkedRole && rcpSupported(serviceOf());
  const identityApplies = iam && caller.kind !== 'root';
  const boundaryApplies = identityApplies && input.boundary !== undefined && input.boundary.length > 0;
  env.callerHasBoundary = boundaryApplies;
  const sessionApplies =
    input.session !== undefined &&
    input.session.length > 0 &&
    (caller.kind === 'role-session' || caller.kind === 'role' || caller.kind === 'federated-user' || caller.kind === 'unspecified');

  const scans: LayerScans = {
    rcp: rcpApplies ? scanLevels(input.rcp ?? [], env, true) : undefined,
    scp: scpApplies ? scanLevels(input.scp ?? [], env, false) : undefined,
    endpoint: input.endpoint !== undefined ? scanPolicies([input.endpoint], env, true) : undefined,
    resource: input.resource !== undefined ? scanPolicies([input.resource], env, true) : undefined,
    identity: identityApplies ? scanPolicies(input.identity, env, false) : undefined,
    boundary: boundaryApplies ? scanPolicies(input.boundary ?? [], env, false) : undefined,
    session: sessionApplies ? scanPolicies(input.session ?? [], env, false) : undefined,
  };
  // Only layers that take part contribute missing keys: an exempt layer's keys are never needed.

  const callerAccount = caller.account;
  const ownerAccount = req.resourceOwner ?? input.resourceOwnerAccount ?? callerAccount;
  const crossAccount = iam && callerAccount !== undefined && ownerAccount !== undefined && callerAccount !== ownerAccount;

  const result = combine({
    scans,
    caller,
    crossAccount,
    actionLower: env.actionLower,
    hasResourcePolicy: input.resource !== undefined,
    errors: env.errors ?? NONE,
  });

  const decision: Decision = {
    decision: result.decision,
    matchedStatements: result.matchedStatements,
    missingContextValues: env.missing ?? NONE,
    crossAccount,
    allowedByOrganizations: scpGiven ? !scpApplies || (allLevelsAllow(scans.scp) && !anyDeny(scans.scp)) : undefined,
    allowedByResourceControlPolicies: rcpGiven ? !rcpApplies || (allLevelsAllow(scans.rcp) && !anyDeny(scans.rcp)) : undefined,
    allowedByPermissionsBoundary: boundaryApplies ? (scans.boundary?.allows.length ?? 0) > 0 && (scans.boundary?.denies.length ?? 0) === 0 : undefined,
    details: result.details,
    reason: result.reason,
    layers: explain ? describeLayers(input, scans, { scpGiven, scpApplies, rcpGiven, rcpApplies, caller, service: serviceOf() }) : undefined,
    errors: env.errors ?? NONE,
  };
  return decision;
}

const NONE: readonly string[] = Object.freeze([]);

function allLevelsAllow(levels: readonly ScanResult[] | undefined): boolean {
  return levels === undefined || levels.every((l) => l.allows.length > 0);
}

function anyDeny(levels: readonly ScanResult[] | undefined): boolean {
  return levels?.some((l) => l.denies.length > 0) ?? false;
}

interface LayerFlags {
  readonly scpGiven: boolean;
  readonly scpApplies: boolean;
  readonly rcpGiven: boolean;
  readonly rcpApplies: boolean;
  readonly caller: Caller;
  readonly service: string;
}

function single(layer: LayerResult['layer'], scan: ScanResult | undefined, given: boolean, skippedNote: string): LayerResult {
  if (scan === undefined) {
    return { layer, applies: false, outcome: 'skipped', note: given ? skippedNote : 'none given', allows: [], denies: [] };
  }
  const outcome = scan.denies.length > 0 ? 'deny' : scan.allows.length > 0 ? 'allow' : 'none';
  const note = outcome === 'deny' ? 'an explicit Deny applies' : outcome === 'allow' ? 'an Allow applies' : 'no statement allows the request';
  return { layer, applies: true, outcome, note, allows: scan.allows, denies: scan.denies, ...(scan.traces ? { statements: scan.traces } : {}) };
}

function levelsLayer(layer: 'scp' | 'rcp', scans: readonly ScanResult[] | undefined, given: boolean, skippedNote: string): LayerResult {
  if (scans === undefined) {
    return { layer, applies: false, outcome: 'skipped', note: given ? skippedNote : 'none given', allows: [], denies: [] };
  }
  const levels = scans.map((s, i) => ({ level: i, allowed: s.allows.length > 0 }));
  const allows: StatementRef[] = scans.flatMap((s) => s.allows);
  const denies: StatementRef[] = scans.flatMap((s) => s.denies);
  const missingLevel = levels.find((l) => !l.allowed);
  const outcome = denies.length > 0 ? 'deny' : missingLevel === undefined ? 'allow' : 'none';
  const note =
    outcome === 'deny'
      ? 'an explicit Deny applies'
      : outcome === 'allow'
        ? 'every level from the root to the account allows'
        : `no policy attached at level ${missingLevel?.level ?? 0} (0 = root) allows the request`;
  const statements = scans.flatMap((s) => s.traces ?? []);
  return { layer, applies: true, outcome, note, allows, denies, levels, ...(statements.length > 0 ? { statements } : {}) };
}

function describeLayers(input: EvaluationInput, scans: LayerScans, f: LayerFlags): LayerResult[] {
  const scpWhy =
    f.caller.kind === 'service' || f.caller.kind === 'anonymous' || f.caller.kind === 'canonical-user'
      ? 'SCPs restrict only principals of member accounts, not this caller'
      : input.callerIsManagementAccount
        ? 'SCPs do not restrict the management account'
        : 'SCPs do not restrict service-linked roles';
  const rcpWhy = input.resourceOwnerIsManagementAccount
    ? 'RCPs do not restrict resources of the management account'
    : input.callerIsServiceLinkedRole
      ? 'RCPs do not restrict service-linked roles'
      : `the ${f.service} service does not support RCPs`;
  const idWhy =
    f.caller.kind === 'root' ? 'the account root user has full access in its own account' : `a ${f.caller.kind} caller has no identity-based policies`;
  return [
    levelsLayer('rcp', scans.rcp, f.rcpGiven, rcpWhy),
    levelsLayer('scp', scans.scp, f.scpGiven, scpWhy),
    single('endpoint', scans.endpoint, input.endpoint !== undefined, ''),
    single('resource', scans.resource, input.resource !== undefined, ''),
    single('identity', scans.identity, input.identity.length > 0, idWhy),
    single('boundary', scans.boundary, (input.boundary?.length ?? 0) > 0, 'boundaries apply only to IAM users and roles'),
    single('session', scans.session, (input.session?.length ?? 0) > 0, 'session policies apply only to role and federated-user sessions'),
  ];
}

export type { PrincipalMatch };
