/** Public API of the policy linter. */
export { crossPolicyFindings, inferDocumentType, inferPolicyType, lintPolicies, lintPolicy, looksLikeTrustPolicy } from './lint.js';
export type { InferredPolicyType } from './lint.js';
export { lintModel, modelDocuments } from './model-lint.js';
export type { ModelDocument, ModelLintOptions } from './model-lint.js';
export { CREDENTIAL_ACTIONS, SHARING_ACTIONS, isCredentialAction, isResourceExposureAction } from './exposure.js';
export type { LintOptions, PrincipalDocument } from './lint.js';
export { FINDING_TYPES, compareFindings, findingRank, isFindingType, learnMoreLink } from './finding.js';
export type { Finding, FindingPosition, FindingSpan, FindingType } from './finding.js';
export { ISSUE_CODES, RULES, isIssueCode } from './registry.js';
export type { IssueCode, RuleFamily, RuleInfo } from './registry.js';
export { applySuppressions, fileGlob, readSuppressionConfig } from './suppress.js';
export type { Suppression, SuppressionConfig } from './suppress.js';
export { sarifLevel, toSarif } from './sarif.js';
export type { SarifLevel, SarifOptions } from './sarif.js';
export { validatePolicy, toValidatePolicyFinding, lintTypeOf, isAaPolicyType, AA_POLICY_TYPES, AA_VALIDATE_RESOURCE_TYPES } from './validate-policy.js';
export type { AaPolicyType, ValidatePolicyFinding, ValidatePolicyRequest, ValidatePolicyResponse, PathElement, AaPosition } from './validate-policy.js';
