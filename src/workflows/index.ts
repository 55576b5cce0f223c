export type {
  ConcreteStep,
  ContextEntryDef,
  DecidingStatement,
  Fix,
  FixLayer,
  ParameterDef,
  PreflightResult,
  StatementPatch,
  StepDef,
  StepResult,
  WhenDef,
  WorkflowDef,
} from './types.js';
export { evalWhen, expand } from './template.js';
export { validateWorkflow } from './validate.js';
export { defaultDefsDir, loadWorkflows, parseWorkflow, type LoadedWorkflows } from './load.js';
export { planSteps, resolveParameters } from './plan.js';
export { FIX_POLICY_NAME, nextFix } from './fix.js';
export { applyFixes, applyToDocument, documentOf, patchStatement } from './apply.js';
export { describePolicy } from './describe.js';
export { allFixes, checkStep, fixStep, preflight, runStep, type PreflightOutcome } from './run.js';
export { resolveStepPrincipals } from './roles.js';
