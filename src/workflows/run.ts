/**
 * Runs a workflow's steps against a model of the accounts. Each step is one
 * `authorize` call (with the principal and resource keys AWS adds to every
 * request). A step that does not get its expected decision is fixed on a
 * scratch copy of the model, one change at a time, until it passes; the
 * changes found are the step's suggested fix.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Universe } from '../account/query.js';
import { authorize, type Authorization } from '../authz/authorize.js';
import { makeContext } from '../eval/request.js';
import { applyFixes } from './apply.js';
import { nextFix, statementLine } from './fix.js';
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
      policy: src?.name ?? ref.policyName, layer: src?.layer ?? ref.policyType, target: src?.target ?? '', effect: ref.effect, index: ref.index,
      ...(ref.sid !== undefined && ref.sid !== '' ? { sid: ref.sid } : {}), line: where.line, ...(where.file !== undefined ? { file: where.file } : {}),
    };
  });
}

/** Finds the fixes that make one step pass (empty when it passes or nothing is known). */
export function fixStep(u: Universe, step: ConcreteStep): { fixes: Fix[]; resolved: boolean } {
  const fixes: Fix[] = [];
  let cur = u;
  for (let round = 0; round <= MAX_FIX_ROUNDS; round++) {
    const auth = authorize(cur, request(step), { explain: true });
    if (passes(step, auth)) return { fixes, resolved: true };
    if (round === MAX_FIX_ROUNDS) break;
    const fix = nextFix(step, auth, cur);
    if (fix === undefined || fixes.some((f) => isDeepStrictEqual(f, fix))) break;
    fixes.push(fix);
    cur = applyFixes(cur, [fix]);
  }
  return { fixes, resolved: false };
}

export function runStep(u: Universe, step: ConcreteStep): StepResult {
  const auth = authorize(u, request(step), { explain: true });
  const passed = passes(step, auth);
  const fix = passed ? [] : fixStep(u, step).fixes;
  return {
    name: step.name, title: step.title, principal: step.principal, action: step.action, resource: step.resource,
    expect: step.expect, decision: auth.decision.decision, passed, reason: auth.decision.reason,
    decidedBy: decidedBy(auth), fix, why: step.why, warnings: auth.warnings,
  };
}

export interface PreflightOutcome {
  readonly result?: PreflightResult;
  readonly diagnostics: readonly Diagnostic[];
}

/** Resolves parameters, checks the model, runs every step. Errors (bad input) leave `result` undefined. */
export function preflight(u: Universe, wf: WorkflowDef, settings: ReadonlyMap<string, string>): PreflightOutcome {
  const { params, diagnostics } = resolveParameters(wf, settings);
  if (diagnostics.length > 0) return { diagnostics };
  const { steps, diagnostics: modelErrors } = resolveStepPrincipals(u, planSteps(wf, params));
  if (modelErrors.length > 0) return { diagnostics: modelErrors };
  const results = steps.map((s) => runStep(u, s));
  return {
    result: { workflow: wf.id, passed: results.every((r) => r.passed), parameters: Object.fromEntries(params), steps: results },
    diagnostics: [],
  };
}

/** Every step's fixes, in step order, without repeats. */
export function allFixes(result: PreflightResult): Fix[] {
  const out: Fix[] = [];
  for (const s of result.steps) for (const f of s.fix) if (!out.some((g) => isDeepStrictEqual(g, f))) out.push(f);
  return out;
}
