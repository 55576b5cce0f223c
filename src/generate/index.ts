/** Policy generation: execution roles from a workload spec, the MLSpace notebook policy, policies from CloudTrail activity. */
export { readExecutionRoleSpec, EXECUTION_APIS, type ExecutionRoleSpec, type SpecResult, type ApiProfile } from './execution-spec.js';
export { generateExecutionRole, dependentActions, roleArnOf, PASSES_ROLE, type ExecutionRolePolicies } from './execution-role.js';
export { readMlspaceParams, generateMlspaceNotebookPolicy, MLSPACE_PARAMS, type MlspaceParams, type MlspacePolicies } from './mlspace.js';
export { TrailAggregator, generateFromCloudTrail, type TrailOptions, type TrailResult, type TrailStats } from './cloudtrail.js';
export { RecordSplitter, splitRecords, type RecordSink, type RecordProblem } from './cloudtrail-read.js';
export { mapEvent, serviceOfSource, actionOfEvent, type MappedCall, type MapOutcome } from './cloudtrail-map.js';
export { generalize, matchFormat, type ResourceMode } from './generalize.js';
export {
  finishStatements,
  toDocument,
  toPolicy,
  printDocument,
  policySize,
  packDocuments,
  prune,
  MANAGED_POLICY_SIZE_LIMIT,
  type GenStatement,
  type PolicyDocument,
  type ConditionMap,
} from './policy-doc.js';
export { SourceDoc } from './source.js';
