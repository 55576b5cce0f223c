/**
 * Every issue code the linter can report, with its default finding type and a
 * one-line summary. Codes that IAM Access Analyzer also reports use its name
 * (access-analyzer-reference-policy-checks) so existing suppressions carry
 * over; the others are iamsim's own. Each code has a page docs/lint/<CODE>.md.
 */
import type { FindingType } from './finding.js';

export type RuleFamily =
  | 'json'
  | 'grammar'
  | 'actions'
  | 'resources'
  | 'conditions'
  | 'tags'
  | 'passrole'
  | 'wildcards'
  | 'redundancy'
  | 'privesc'
  | 'exposure';

export interface RuleInfo {
  readonly findingType: FindingType;
  readonly family: RuleFamily;
  readonly summary: string;
  /** True when IAM Access Analyzer reports the same check under this code. */
  readonly accessAnalyzer: boolean;
}

const E = 'ERROR';
const SW = 'SECURITY_WARNING';
const W = 'WARNING';
const S = 'SUGGESTION';

type Row = readonly [FindingType, RuleFamily, boolean, string];

const ROWS = {
  // --- JSON -----------------------------------------------------------------
  JSON_SYNTAX_ERROR: [E, 'json', true, 'The document is not strict JSON (syntax error, comment or trailing comma)'],
  DOCUMENTATION_STYLE_JSON: [S, 'json', false, 'Comments or trailing commas were accepted because of --lenient; AWS rejects them'],
  DUPLICATE_JSON_KEY: [E, 'json', false, 'A key appears twice in one JSON object'],
  DATA_TYPE_MISMATCH: [E, 'json', true, 'An element or value has the wrong JSON type'],
  // --- grammar ----------------------------------------------------------------
  INVALID_POLICY_ELEMENT: [E, 'grammar', true, 'An element name the policy grammar does not define'],
  UNSUPPORTED_ELEMENT: [E, 'grammar', false, 'An element that this policy type does not support'],
  ID_IN_IDENTITY_POLICY: [W, 'grammar', false, 'The Id element is not meant for identity-based policies'],
  MISSING_VERSION: [W, 'grammar', true, 'No Version element, so policy variables are not substituted'],
  INVALID_VERSION: [E, 'grammar', true, 'Version is not 2012-10-17 or 2008-10-17 (or not one the policy type accepts)'],
  MISSING_STATEMENT: [E, 'grammar', true, 'The policy has no statement'],
  POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA: [
    W,
    'grammar',
    true,
    "The identity-based policy is larger than IAM's managed policy quota (6,144 characters without white space)",
  ],
  POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA: [
    W,
    'grammar',
    true,
    "The role trust policy is larger than IAM's default quota (2,048 characters without white space)",
  ],
  POLICY_SIZE_EXCEEDS_SCP_QUOTA: [E, 'grammar', true, 'The SCP is larger than the Organizations quota (5,120 characters)'],
  POLICY_SIZE_EXCEEDS_RCP_QUOTA: [E, 'grammar', false, 'The RCP is larger than the Organizations quota (5,120 characters)'],
  POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA: [W, 'grammar', true, 'The resource policy is larger than its service allows (or than any policy can be)'],
  UNIQUE_SIDS_REQUIRED: [E, 'grammar', true, 'Two statements share one Sid'],
  UNSUPPORTED_SID: [E, 'grammar', true, 'The Sid has characters this policy type does not accept'],
  EMPTY_SID_VALUE: [S, 'grammar', true, 'The Sid is an empty string'],
  MISSING_EFFECT: [E, 'grammar', true, 'The statement has no Effect'],
  INVALID_EFFECT: [E, 'grammar', true, 'Effect is not exactly Allow or Deny'],
  UNSUPPORTED_EFFECT: [E, 'grammar', false, 'This policy type does not support the Effect used'],
  MISSING_ACTION: [E, 'grammar', true, 'The statement has neither Action nor NotAction'],
  MISSING_RESOURCE: [E, 'grammar', true, 'The statement has neither Resource nor NotResource'],
  MISSING_PRINCIPAL: [E, 'grammar', true, 'The statement needs a Principal in this policy type'],
  UNSUPPORTED_ELEMENT_COMBINATION: [E, 'grammar', true, 'An element is combined with its Not form (Action and NotAction, ...)'],
  UNSUPPORTED_PRINCIPAL: [E, 'grammar', true, 'This policy type does not support this Principal element or value'],
  SCP_SYNTAX_ERROR_PRINCIPAL: [E, 'grammar', true, 'Service control policies cannot name principals'],
  ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL: [E, 'grammar', true, 'Role trust policies do not support NotPrincipal'],
  ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE: [E, 'grammar', true, 'Role trust policies do not take Resource or NotResource'],
  ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL: [E, 'grammar', true, 'A trust policy principal uses a partial wildcard'],
  INVALID_PRINCIPAL_FORMAT: [E, 'grammar', true, 'A principal value is not a form IAM accepts'],
  INVALID_PRINCIPAL_KEY: [E, 'grammar', true, 'A principal map key other than AWS, Service, Federated or CanonicalUser'],
  INVALID_SERVICE_PRINCIPAL_FORMAT: [W, 'grammar', true, 'A service principal does not look like service.amazonaws.com'],
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: [E, 'grammar', true, 'A wildcard matches part of a principal name, which IAM does not support'],
  PRINCIPAL_UNIQUE_ID: [S, 'grammar', false, 'A principal is a unique ID: the user or role it named was probably deleted'],
  MISMATCHED_ACTION_FOR_PRINCIPAL: [
    E,
    'grammar',
    true,
    'A federated principal with an assume-role action that never matches it (SAML needs AssumeRoleWithSAML, OIDC AssumeRoleWithWebIdentity)',
  ],
  ALLOW_WITH_NOT_PRINCIPAL: [SW, 'grammar', true, 'Allow with NotPrincipal grants access to every principal not listed'],
  INVALID_CONDITION_OPERATOR: [E, 'grammar', true, 'A condition operator IAM does not define'],
  CONDITION_OPERATOR_CASE: [W, 'grammar', false, 'A condition operator is spelled with non-standard letter case'],
  NULL_WITH_IF_EXISTS: [E, 'grammar', true, 'The Null operator has no IfExists form'],
  INVALID_CONDITION_KEY_FORMAT: [E, 'grammar', true, 'A condition key is not of the form prefix:name'],
  EMPTY_OBJECT_CONDITION: [S, 'grammar', true, 'A Condition block or operator has no entries'],
  EMPTY_ARRAY_ACTION: [E, 'grammar', true, 'The Action array is empty'],
  EMPTY_ARRAY_RESOURCE: [E, 'grammar', true, 'The Resource array is empty'],
  EMPTY_ARRAY_PRINCIPAL: [E, 'grammar', true, 'A principal array is empty'],
  EMPTY_ARRAY_CONDITION: [E, 'grammar', true, 'A condition key has an empty array of values'],
  VARIABLE_UNSUPPORTED_IN_VERSION: [E, 'grammar', true, 'A policy variable is used without Version 2012-10-17'],
  VARIABLE_UNSUPPORTED_IN_ELEMENT: [W, 'grammar', true, 'A policy variable where IAM does not substitute variables'],
  INVALID_VARIABLE_FOR_OPERATOR: [E, 'grammar', true, 'A policy variable in a condition operator that does not substitute variables'],
  MISSING_BRACE_IN_VARIABLE: [E, 'grammar', true, 'A ${...} policy variable is not closed'],
  EMPTY_VARIABLE: [E, 'grammar', true, 'A ${} policy variable is empty'],
  // --- actions and services -----------------------------------------------------
  INVALID_ACTION: [W, 'actions', true, 'The action does not exist (or the pattern matches no action)'],
  INVALID_SERVICE_IN_ACTION: [W, 'actions', true, 'The service prefix of an action does not exist'],
  WILDCARD_IN_SERVICE_NAME: [E, 'actions', true, 'A wildcard in a service prefix: IAM refuses it in an action and in an ARN'],
  // --- resources ------------------------------------------------------------------
  INVALID_ARN_PREFIX: [E, 'resources', true, 'A resource is neither "*" nor an ARN'],
  MISSING_ARN_FIELD: [E, 'resources', true, 'A resource ARN has fewer than six colon-separated fields'],
  INVALID_PARTITION: [E, 'resources', true, 'The ARN partition is not an AWS partition'],
  INVALID_SERVICE: [W, 'resources', true, 'A service prefix (in an ARN or condition key) does not exist'],
  INVALID_ARN_SERVICE_CASE: [E, 'resources', true, 'The service in a resource ARN is not lower case'],
  MISSING_ARN_REGION: [W, 'resources', true, 'The ARN has an empty Region but the service requires one'],
  ARN_REGION_NOT_ALLOWED: [W, 'resources', true, "The ARN has a Region but the service's ARNs have none"],
  ARN_ACCOUNT_NOT_ALLOWED: [W, 'resources', true, "The ARN has an account ID but the service's ARNs have none"],
  INVALID_ARN_ACCOUNT: [E, 'resources', true, 'The ARN account is not a 12-digit account ID'],
  INVALID_ARN_RESOURCE: [W, 'resources', true, "The ARN fits none of the service's resource types"],
  ACTION_RESOURCE_MISMATCH: [W, 'resources', false, 'No listed resource is of a type the action is authorized against'],
  RESOURCE_ACTION_MISMATCH: [W, 'resources', false, 'No listed action is authorized against this resource'],
  STATEMENT_NEVER_MATCHES: [W, 'resources', false, 'No action of the statement applies to any of its resources'],
  // --- conditions -------------------------------------------------------------------
  INVALID_GLOBAL_CONDITION_KEY: [W, 'conditions', true, 'An aws: condition key that does not exist'],
  INVALID_SERVICE_CONDITION_KEY: [W, 'conditions', true, 'A service condition key that the service does not define'],
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE: [E, 'conditions', true, 'One condition key appears twice with different capitalization'],
  TYPE_MISMATCH: [W, 'conditions', true, "The condition operator does not fit the key's data type"],
  TYPE_MISMATCH_BOOLEAN: [W, 'conditions', true, 'A Bool (or Null) condition value is not true or false'],
  TYPE_MISMATCH_DATE: [W, 'conditions', true, 'A Date condition value is not an ISO 8601 date or epoch time'],
  TYPE_MISMATCH_NUMBER: [W, 'conditions', true, 'A Numeric condition value is not a number'],
  TYPE_MISMATCH_IP_RANGE: [W, 'conditions', true, 'An IpAddress condition value is not an IP address or CIDR range'],
  MISSING_QUALIFIER: [W, 'conditions', true, 'A multivalued key is used without ForAllValues or ForAnyValue'],
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: [SW, 'conditions', true, 'ForAllValues on a single-valued key is true when the key is absent'],
  FORANYVALUE_WITH_SINGLE_VALUED_KEY: [S, 'conditions', false, 'ForAnyValue on a single-valued key adds nothing'],
  NULL_WITH_QUALIFIER: [S, 'conditions', true, 'Null combined with ForAllValues or ForAnyValue'],
  WILDCARD_WITHOUT_LIKE_OPERATOR: [W, 'conditions', true, 'A condition value has * or ? but the operator compares literally'],
  UNSUPPORTED_ACTION_FOR_CONDITION_KEY: [
    W,
    'conditions',
    true,
    'A condition key (or a required request-tag key) is never present for some actions of the statement',
  ],
  // --- tag logic ----------------------------------------------------------------------
  TAG_ENFORCEMENT_DENY_AND: [SW, 'tags', false, 'A tag-enforcing Deny whose conditions AND together, so it misses requests lacking only one tag'],
  ALLOW_ONLY_WHEN_TAGS_ABSENT: [SW, 'tags', false, 'An Allow that applies only when the tags it names are absent (Null: true)'],
  // --- iam:PassRole -----------------------------------------------------------------
  PASS_ROLE_WITH_STAR_IN_RESOURCE: [SW, 'passrole', true, 'iam:PassRole on every role without an iam:PassedToService condition'],
  PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE: [SW, 'passrole', true, 'A wildcard action grants iam:PassRole on every role'],
  PASS_ROLE_WITH_NOT_RESOURCE: [SW, 'passrole', true, 'iam:PassRole granted with NotResource'],
  PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION: [SW, 'passrole', true, 'NotAction grants iam:PassRole on every role'],
  PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE: [SW, 'passrole', true, 'NotAction with NotResource grants iam:PassRole'],
  // --- broad grants ---------------------------------------------------------------------
  ALLOW_WITH_NOT_ACTION: [SW, 'wildcards', false, 'Allow with NotAction grants every action not listed, including future ones'],
  ALLOW_WITH_NOT_RESOURCE: [SW, 'wildcards', false, 'Allow with NotResource grants access to every resource not listed'],
  SENSITIVE_SERVICE_WILDCARD: [SW, 'wildcards', false, 'A service-wide wildcard on a sensitive service (or "*") on all resources'],
  // --- redundancy -------------------------------------------------------------------------
  REDUNDANT_ACTION: [S, 'redundancy', true, 'An action is listed twice or covered by another entry of the same list'],
  REDUNDANT_RESOURCE: [S, 'redundancy', true, 'A resource is listed twice or covered by another entry of the same list'],
  REDUNDANT_STATEMENT: [S, 'redundancy', true, 'A statement is covered by another statement of the policy'],
  // --- privilege escalation -------------------------------------------------------------
  PRIVILEGE_ESCALATION: [SW, 'privesc', false, 'The permissions let the principal gain the permissions of other roles or policies'],
  // --- exposure -----------------------------------------------------------------------
  CREDENTIALS_EXPOSURE: [SW, 'exposure', false, 'An Allow on every resource for an action that returns passwords, keys, tokens or credentials'],
  DATA_EXFILTRATION: [SW, 'exposure', false, 'An Allow on every resource for an action that returns stored data (objects, secret values, items, messages)'],
  RESOURCE_EXPOSURE: [SW, 'exposure', false, 'An Allow on every resource for an action that changes who may access a resource'],
} as const satisfies Record<string, Row>;

export type IssueCode = keyof typeof ROWS;

export const RULES: Readonly<Record<IssueCode, RuleInfo>> = Object.fromEntries(
  Object.entries(ROWS).map(([code, [findingType, family, accessAnalyzer, summary]]) => [code, { findingType, family, accessAnalyzer, summary }]),
) as Record<IssueCode, RuleInfo>;

export const ISSUE_CODES: readonly IssueCode[] = Object.keys(ROWS) as IssueCode[];

export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(ROWS, code);
}
