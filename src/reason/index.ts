/**
 * Reasoning over policies: Access Analyzer's custom policy checks
 * (CheckNoNewAccess, CheckAccessNotGranted, CheckNoPublicAccess), policy
 * comparison and discovery, decided over all requests. See docs/reason.md.
 */
export {
  checkNoNewAccess,
  checkAccessNotGranted,
  newReasonContext,
  type CheckResult,
  type CheckResultValue,
  type ReasonSummary,
  type AccessItem,
  type NoNewAccessInput,
  type AccessNotGrantedInput,
  type ReasonContext,
} from './checks.js';
export { checkNoPublicAccess, PUBLIC_RESOURCE_TYPES, RESTRICTING_KEYS, type NoPublicAccessInput } from './public.js';
export { publicProvider, FEDERATION_KEYS } from './federation.js';
export { ReasonInputError, NamedDocument, AWS_POLICY_TYPES, type AwsPolicyType, type PolicyDocument } from './input.js';
export { Reasoner, type Witness, type Group } from './engine.js';
export { Confirmer, type Counterexample } from './confirm.js';
export type { PolicySet } from './problem.js';
export {
  comparePolicies,
  type CompareInput,
  type CompareResult,
  type CompareSide,
  type PolicySetDocument,
  type Relation,
  type StatementAddition,
} from './compare.js';
export { discover, type DiscoveryResult, type Alternative } from './discover.js';
