/**
 * Every diagnostic code the policy parser and grammar validator can emit,
 * with a one-line description. Codes are stable identifiers: tools and tests
 * match on them, so never rename one. (Once, in issue 20, the X_MISSING codes
 * took Access Analyzer's MISSING_X names, so that the parser, simulate, import
 * and lint say the same thing: RETIRED_PARSE_CODES lists the old names.)
 */
export const RETIRED_PARSE_CODES: Readonly<Record<string, string>> = {
  VERSION_MISSING: 'MISSING_VERSION',
  STATEMENT_MISSING: 'MISSING_STATEMENT',
  EFFECT_MISSING: 'MISSING_EFFECT',
  ACTION_MISSING: 'MISSING_ACTION',
  RESOURCE_MISSING: 'MISSING_RESOURCE',
  PRINCIPAL_MISSING: 'MISSING_PRINCIPAL',
};

export const PARSE_CODES = {
  // --- JSON layer --------------------------------------------------------
  JSON_SYNTAX: 'The text is not valid JSON (unexpected or missing token)',
  JSON_COMMENT: 'A comment appears in strict JSON; IAM does not accept comments',
  INPUT_TOO_DEEP: 'The document nests objects and arrays deeper than any policy does (64 levels); it is not read',
  INPUT_TOO_LARGE: 'The document is larger than any AWS policy size quota allows (1 MiB); it is not read',
  JSON_TRAILING_COMMA: 'A comma before a closing bracket or brace; IAM does not accept trailing commas',
  LENIENT_COMMENT: 'A comment was accepted in lenient mode; remove it before using the policy with AWS',
  LENIENT_TRAILING_COMMA: 'A trailing comma was accepted in lenient mode; remove it before using the policy with AWS',
  NOT_AN_OBJECT: 'The policy document is not a JSON object',
  DUPLICATE_KEY: 'The same key appears twice in one JSON object; IAM rejects duplicate keys',
  // --- policy / statement structure ---------------------------------------
  UNKNOWN_ELEMENT: 'An element name that the IAM policy grammar does not define',
  ELEMENT_TYPE: 'An element has the wrong JSON type (for example a number where a string is required)',
  ELEMENT_NOT_ALLOWED: 'The element is not supported in this policy type',
  TRUST_POLICY_RESOURCE: 'A role trust policy has a Resource or NotResource element, which IAM refuses',
  ELEMENT_DISCOURAGED: 'The element is documented as not belonging in this policy type',
  EMPTY_ARRAY: 'An array that must hold at least one value is empty',
  MISSING_VERSION: 'No Version element: the policy is processed as 2008-10-17 and policy variables are not supported',
  VERSION_INVALID: "Version is not '2012-10-17' or '2008-10-17' (or not a version this policy type accepts)",
  MISSING_STATEMENT: 'The policy has no Statement element',
  STATEMENT_EMPTY: 'The Statement array has no statements',
  SID_DUPLICATE: 'Two statements in the policy share the same Sid',
  SID_FORMAT: 'The Sid contains characters other than A-Z, a-z and 0-9',
  MISSING_EFFECT: 'The statement has no Effect element',
  EFFECT_INVALID: "Effect is not exactly 'Allow' or 'Deny' (the value is case-sensitive)",
  EFFECT_NOT_ALLOWED: 'This policy type does not support the given Effect',
  MISSING_ACTION: 'The statement has neither Action nor NotAction',
  ACTION_CONFLICT: 'The statement has both Action and NotAction',
  ACTION_WILDCARD_NOT_ALLOWED: 'An action of "*" alone, which this policy type reserves to its AWS-managed full-access policy (RCPFullAWSAccess)',
  ACTION_MALFORMED: "An action is not '*' or 'service:action' (wildcards * and ? allowed in the action name)",
  MISSING_RESOURCE: 'The statement has neither Resource nor NotResource, which this policy type requires',
  RESOURCE_CONFLICT: 'The statement has both Resource and NotResource',
  RESOURCE_MALFORMED: "A resource is neither '*' nor an ARN of the form arn:partition:service:region:account:resource",
  RESOURCE_SERVICE_WILDCARD: 'A resource ARN uses a wildcard in its service segment',
  // --- principals ----------------------------------------------------------
  MISSING_PRINCIPAL: 'The statement has neither Principal nor NotPrincipal, which this policy type requires',
  PRINCIPAL_CONFLICT: 'The statement has both Principal and NotPrincipal',
  PRINCIPAL_INVALID_BLOCK: 'A Principal/NotPrincipal value is neither "*" nor a non-empty map of principal types',
  PRINCIPAL_UNKNOWN_TYPE: 'A principal map key other than AWS, Service, Federated or CanonicalUser',
  PRINCIPAL_MALFORMED: 'An AWS principal is not "*", a 12-digit account ID or a supported IAM/STS principal ARN',
  PRINCIPAL_WILDCARD: 'A wildcard is used to match part of a principal name or ARN, which IAM does not support',
  PRINCIPAL_UNRECOGNIZED: 'A Service, Federated or CanonicalUser principal does not have the usual format',
  PRINCIPAL_UNIQUE_ID: 'A principal is an IAM unique ID, which usually means the user or role it named was deleted',
  PRINCIPAL_MUST_BE_WILDCARD: 'This policy type only accepts "*" as the Principal',
  NOTPRINCIPAL_WITH_ALLOW: 'NotPrincipal is combined with "Effect": "Allow"',
  // --- conditions -----------------------------------------------------------
  CONDITION_UNKNOWN_OPERATOR: 'A condition operator that IAM does not define (or an invalid qualifier/IfExists form)',
  CONDITION_OPERATOR_CASE: 'A condition operator is written with non-standard letter case',
  CONDITION_VALUE_TYPE: 'A condition value is not a string, number or boolean',
  CONDITION_EMPTY: 'A Condition block or operator block has no entries',
  CONDITION_KEY_MALFORMED: "A condition key does not have the form 'prefix:name'",
  // --- policy variables -------------------------------------------------------
  VARIABLE_UNSUPPORTED_VERSION: 'A policy variable is used without Version 2012-10-17, so it is treated as literal text',
  VARIABLE_UNSUPPORTED_HERE: 'A policy variable appears where IAM does not substitute variables, so it is literal text',
  VARIABLE_MALFORMED: 'A ${...} policy variable is not terminated or is empty',
} as const;

export type ParseCode = keyof typeof PARSE_CODES;
