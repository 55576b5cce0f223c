/**
 * Runs a workflow's steps against a model of the accounts. Each step is one
 * `authorize` call (with the principal and resource keys AWS adds to every
 * request). A step that does not get its expected decision is fixed on a
 * scratch copy of the model, one change at a time, until it passes; the
 * changes found are the step's suggested fix.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Universe } from '../account/query.js';
import { authorize, type Authorization } from '../authz/authorize.js';
import { makeContext } from '../eval/request.js';
import { applyFixes } from './apply.js';
import { causeKey, groupFixes, type FixGroup } from './group.js';
import { missingKeyAllows, nextFix, statementLine } from './fix.js';
import { planSteps, resolveParameters } from './plan.js';
import { resolveStepPrincipals } from './roles.js';
import type { ConcreteStep, DecidingStatement, Fix, PreflightResult, StepResult, WorkflowDef } from './types.js';

const MAX_FIX_ROUNDS = 6;

function request(step: ConcreteStep): Parameters<typeof authorize>[1] {
  return {
    principal: step.principal,
    action: step.action,
    resource: step.resource,
    context: makeContext(step.context.map((e) => ({ key: e.key, type: e.type, values: e.values }))),
    deriveContext: true,
    ...(step.vpcEndpointId !== undefined ? { vpcEndpointId: step.vpcEndpointId } : {}),
  };
}

function passes(step: ConcreteStep, auth: Authorization): boolean {
  return step.expect === 'allowed' ? auth.decision.decision === 'allowed' : auth.decision.decision !== 'allowed';
}

function decidedBy(auth: Authorization): DecidingStatement[] {
  return auth.decision.matchedStatements.map((ref) => {
    const src = auth.sources.get(ref.policyId);
    const where = statementLine(src, ref);
    return {
      policy: src?.name ?? ref.policyName,
      layer: src?.layer ?? ref.policyType,
      target: src?.target ?? '',
      effect: ref.effect,
      index: ref.index,
      ...(ref.sid !== undefined && ref.sid !== '' ? { sid: ref.sid } : {}),
      line: where.line,
      ...(where.file !== undefined ? { file: where.file } : {}),
    };
  });
}

function evaluate(u: Universe, step: ConcreteStep): Authorization {
  return authorize(u, request(step), { explain: true });
}

/** One step's decision, without a fix search: for callers that compare verdicts (iamsim diff). */
export function checkStep(
  u: Universe,
  step: ConcreteStep,
): Pick<StepResult, 'decision' | 'passed' | 'reason' | 'decidedBy'> & {
  readonly policyOrigins: readonly { readonly file?: string; readonly line?: number }[];
} {
  const auth = evaluate(u, step);
  // Where each deciding statement's policy came from (its file and the line of the policy or the block holding it).
  const policyOrigins = auth.decision.matchedStatements.map((ref) => {
    const src = auth.sources.get(ref.policyId);
    return { ...(src?.file !== undefined ? { file: src.file } : {}), ...(src?.line !== undefined ? { line: src.line } : {}) };
  });
  return { decision: auth.decision.decision, passed: passes(step, auth), reason: auth.decision.reason, decidedBy: decidedBy(auth), policyOrigins };
}

/** Finds the fixes that make one step pass on its own (empty when it passes or nothing is known). */
export function fixStep(u: Universe, step: ConcreteStep): { fixes: Fix[]; resolved: boolean } {
  const plan = planFixes(u, [step]);
  return { fixes: plan.groups.map((g) => g.fix), resolved: plan.verified };
}

export interface FixPlan {
  /** The edits, each once, with the steps that called for it, in the order to apply them. */
  readonly groups: readonly FixGroup[];
  /** True when every step gets its expected decision once all the edits are applied (the preflight rerun). */
  readonly verified: boolean;
  /** Steps still failing after the edits (empty when verified). */
  readonly unresolved: readonly string[];
}

/**
 * Fixes all failing steps together: each round asks every failing step for its
 * next fix, groups the answers by cause, applies them to a scratch copy of the
 * model and evaluates every step again (an edit for one step must not break
 * another), until all pass or no new edit is found.
 */
export function planFixes(u: Universe, steps: readonly ConcreteStep[]): FixPlan {
  const groups: FixGroup[] = [];
  const applied = new Set<string>();
  let cur = u;
  let failing: string[] = [];
  for (let round = 0; round <= MAX_FIX_ROUNDS; round++) {
    const proposed: { step: string; fix: Fix }[] = [];
    failing = [];
    for (const step of steps) {
      const auth = evaluate(cur, step);
      if (passes(step, auth)) continue;
      failing.push(step.name);
      const fix = round < MAX_FIX_ROUNDS ? nextFix(step, auth, cur) : undefined;
      if (fix !== undefined) proposed.push({ step: step.name, fix });
    }
    if (failing.length === 0) return { groups, verified: true, unresolved: [] };
    const fresh = groupFixes(proposed).filter((g) => !applied.has(causeKey(g.fix)));
    if (fresh.length === 0) break;
    for (const g of fresh) applied.add(causeKey(g.fix));
    groups.push(...fresh);
    cur = applyFixes(
      cur,
      fresh.map((g) => g.fix),
    );
  }
  return { groups, verified: false, unresolved: failing };
}

/** The step's request lacks condition keys an Allow tests: say so (the workflow, not the policy, may be what is missing). */
function missingKeyWarnings(auth: Authorization): string[] {
  return missingKeyAllows(auth).map(
    (m) =>
      `${m.statement} of ${m.policy} allows this request only with ${m.keys.join(', ')}, which this step's request does not carry; ` +
      'no fix is proposed (it would drop that condition): if the service sends the key, give it in the workflow definition',
  );
}

export function runStep(u: Universe, step: ConcreteStep, plan?: FixPlan): StepResult {
  const auth = evaluate(u, step);
  const passed = passes(step, auth);
  const fix = passed ? [] : (plan ?? planFixes(u, [step])).groups.filter((g) => g.steps.includes(step.name)).map((g) => g.fix);
  return {
    name: step.name,
    title: step.title,
    principal: step.principal,
    action: step.action,
    resource: step.resource,
    expect: step.expect,
    decision: auth.decision.decision,
    passed,
    reason: auth.decision.reason,
    decidedBy: decidedBy(auth),
    fix,
    why: step.why,
    warnings: passed ? auth.warnings : [...auth.warnings, ...missingKeyWarnings(auth)],
    ...(step.fixResource !== undefined ? { fixResource: step.fixResource } : {}),
  };
}

export interface PreflightOutcome {
  readonly result?: PreflightResult;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The KMS keys (ARNs) or VPC endpoints (vpce- IDs) with a policy in the loaded accounts, in `accountId` when given:
 * what a `fromAccount` parameter reads when it is not set.
 */
function impliedResources(u: Universe, kind: 'kms-key' | 'vpc-endpoint', accountId: string | undefined): string[] {
  const inAccount = (arn: string): boolean => accountId === undefined || accountId === '' || arn.split(':')[4] === accountId;
  if (kind === 'vpc-endpoint') return [...u.vpcEndpoints].filter(([, rp]) => inAccount(rp.arn)).map(([id]) => id);
  return [...u.resourcePolicies.values()].filter((rp) => rp.kind === 'kms-key' && inAccount(rp.arn)).map((rp) => rp.arn);
}

/** Resolves parameters, checks the model, runs every step. Errors (bad input) leave `result` undefined. */
export function preflight(u: Universe, wf: WorkflowDef, settings: ReadonlyMap<string, string>): PreflightOutcome {
  const { params, diagnostics, implied } = resolveParameters(wf, settings, (kind, accountId) => impliedResources(u, kind, accountId));
  if (diagnostics.length > 0) return { diagnostics };
  const { steps, diagnostics: modelErrors } = resolveStepPrincipals(u, planSteps(wf, params));
  if (modelErrors.length > 0) return { diagnostics: modelErrors };
  const plan = planFixes(u, steps);
  const results = steps.map((s) => runStep(u, s, plan));
  const passed = results.every((r) => r.passed);
  return {
    result: {
      workflow: wf.id,
      passed,
      parameters: Object.fromEntries(params),
      steps: results,
      fixes: passed ? [] : plan.groups,
      fixesVerified: passed || plan.verified,
      unresolved: passed ? [] : plan.unresolved,
      ...(implied.size > 0 ? { impliedParameters: Object.fromEntries(implied) } : {}),
    },
    diagnostics: [],
  };
}

/** Every edit of the preflight's fix plan, each once, in the order to apply them. */
export function allFixes(result: PreflightResult): Fix[] {
  return result.fixes.map((g) => g.fix);
}
