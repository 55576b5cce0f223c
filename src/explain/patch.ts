/**
 * The fix plan of an explanation as a patch people can apply (the documents
 * before and after, the AWS CLI command for each, a unified diff: workflows/
 * patch buildPatch), with preflight's proof that each changed document grants
 * nothing beyond the denied request (workflows/prove checkFixScope: the
 * semantic engine's check-no-new-access) and the security warnings the change
 * would add (iamsim lint).
 */
import type { ReasonContext } from '../reason/index.js';
import type { Universe } from '../account/query.js';
import { buildPatch, newSecurityWarnings, type LintRegression, type PreflightPatch } from '../workflows/patch.js';
import { checkFixScope, type ScopeCheck } from '../workflows/prove.js';
import { runStep, type FixPlan } from '../workflows/run.js';
import type { ConcreteStep, PreflightResult } from '../workflows/types.js';

export interface ExplainPatch {
  readonly patch: PreflightPatch;
  readonly scope: readonly ScopeCheck[];
  readonly lint: readonly LintRegression[];
}

export async function patchOf(u: Universe, step: ConcreteStep, plan: FixPlan, reason?: ReasonContext): Promise<ExplainPatch> {
  const fixes = plan.groups.map((g) => g.fix);
  const patch = buildPatch(u, fixes);
  const result: PreflightResult = {
    workflow: 'explain-denied',
    passed: false,
    parameters: {},
    steps: [runStep(u, step, plan)],
    fixes: plan.groups,
    fixesVerified: plan.verified,
    unresolved: plan.unresolved,
  };
  return { patch, scope: await checkFixScope(result, patch, reason), lint: newSecurityWarnings(patch) };
}
