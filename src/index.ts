/** iamsim's public library API. The CLI (src/cli/) is a thin shell over these. */
export type { Diagnostic, Severity, Position, Span, JsonPath } from './diagnostics/diagnostic.js';
export { formatDiagnostic, hasErrors } from './diagnostics/diagnostic.js';

export type { Policy, Statement, PolicyType, ConditionClause, PrincipalBlock, ValueList, Effect } from './policy/model.js';
export { POLICY_TYPES } from './policy/model.js';
export { parsePolicy, parsePolicyNode, type ParseOptions, type ParseResult } from './policy/parse.js';
export { printPolicy, policyToJson } from './policy/print.js';

export type { RequestContext, ContextValue, ContextKeyType } from './eval/request.js';
export { makeContext, CONTEXT_KEY_TYPES } from './eval/request.js';
export { compilePolicy, type CompiledPolicy, type StatementRef } from './eval/compile.js';
export { evaluate } from './eval/evaluate.js';
export type { Decision, EvalDecision, EvaluationInput, EvaluateOptions, LayerResult, StatementTrace } from './eval/types.js';
export { classifyCaller, type Caller, type PrincipalMatch } from './eval/principal.js';

export { readSimulateInputText, readSimulateInputValue, type InputOptions, type InputResult } from './simulate/input.js';
export { runSimulation, type SimulateResponse, type EvaluationResult, type MatchedStatement } from './simulate/run.js';
export type { SimulateRequest } from './simulate/request.js';

export * as catalog from './catalog/catalog.js';

export { lintPolicy, lintPolicies, toSarif, ISSUE_CODES, type Finding } from './analyze/index.js';
export { preflight, loadWorkflows, applyFixes, type PreflightResult } from './workflows/index.js';
export { authorize, assemble, loadUniverse, loadUniverseAsync, type Authorization } from './authz/index.js';
export { openAsyncStore, isPostgresUrl, type AsyncStore, type AsyncStoreOptions, type VersionedContents } from './account/index.js';
export {
  checkNoNewAccess,
  checkAccessNotGranted,
  checkNoPublicAccess,
  comparePolicies,
  discover,
  ReasonInputError,
  NamedDocument,
  PUBLIC_RESOURCE_TYPES,
  type CheckResult,
  type CompareResult,
  type DiscoveryResult,
  type Counterexample,
} from './reason/index.js';
export {
  diffFiles,
  diffChange,
  readIacInput,
  readTerraformPlan,
  readTemplate,
  readCloudAssembly,
  IamsimPolicyValidationPlugin,
  SymbolTable,
  IacInputError,
  toJson as diffToJson,
  toMarkdown as diffToMarkdown,
  toSarif as diffToSarif,
  toText as diffToText,
  type DiffReport,
  type DiffFilesOptions,
} from './iac/index.js';
export { Iamsim, DEFAULT_CACHE_SIZES, type IamsimOptions, type CacheSizes, type CacheStat } from './engine/iamsim.js';
export { EvalMemo, type EvalMemoSizes } from './eval/memo.js';
