/**
 * Format checks for individual string values of a policy: actions,
 * resources, principals and policy variables. Pure functions; the caller
 * attaches positions.
 */
import type { Severity } from '../diagnostics/diagnostic.js';
import { parseArn } from '../primitives/arn.js';
import type { ParseCode } from './codes.js';
import type { PrincipalKind } from './model.js';

export interface ValueIssue {
  readonly code: ParseCode;
  readonly severity: Severity;
  readonly message: string;
}

const issue = (code: ParseCode, severity: Severity, message: string): ValueIssue => ({ code, severity, message });

// Service prefixes are lowercase letters, digits and hyphens (e.g. 'execute-api');
// action names are letters and digits, with * and ? wildcards
// (reference_policies_grammar, "action_string"; reference_policies_elements_action).
const SERVICE_PREFIX = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const ACTION_NAME = /^[A-Za-z0-9*?]+$/;
/** Every action the checks below accept, in one test (the common case: no issue to explain). */
const WELL_FORMED_ACTION = /^[A-Za-z0-9][A-Za-z0-9-]*:[A-Za-z0-9*?]+$/;
const NO_ISSUES: readonly ValueIssue[] = Object.freeze([]);

/** Checks one Action/NotAction value. */
export function checkAction(action: string): readonly ValueIssue[] {
  if (action === '*' || WELL_FORMED_ACTION.test(action)) return NO_ISSUES;
  if (action.includes('${')) {
    return [issue('VARIABLE_UNSUPPORTED_HERE', 'warning', `Action "${action}": policy variables are not substituted in actions`)];
  }
  const parts = action.split(':');
  if (parts.length !== 2) {
    return [issue('ACTION_MALFORMED', 'error', `Action "${action}" must be "*" or "service:action"`)];
  }
  const [service = '', name = ''] = parts;
  if (/[*?]/.test(service)) {
    return [issue('ACTION_MALFORMED', 'error', `Action "${action}": the service prefix cannot contain wildcards`)];
  }
  if (!SERVICE_PREFIX.test(service)) {
    return [issue('ACTION_MALFORMED', 'error', `Action "${action}": "${service}" is not a valid service prefix`)];
  }
  if (!ACTION_NAME.test(name)) {
    return [issue('ACTION_MALFORMED', 'error', `Action "${action}": the action name may only contain letters, digits, * and ?`)];
  }
  return [];
}

/**
 * Checks one Resource/NotResource value: "*" or an ARN with at least six
 * colon-separated segments (reference_policies_elements_resource). Some
 * documentation uses placeholders such as "your_KMS_key_ARN"; IAM rejects
 * them, but the grammar only says "in most cases" an ARN, so a non-ARN is a
 * warning. A wildcard in the service segment is documented as not allowed.
 */
export function checkResource(resource: string, variablesSupported: boolean): ValueIssue[] {
  if (resource === '*') return [];
  const out: ValueIssue[] = [];
  const arn = parseArn(resource);
  if (arn === undefined) {
    out.push(issue('RESOURCE_MALFORMED', 'warning', `Resource "${resource}" is not "*" or an ARN (arn:partition:service:region:account:resource)`));
    return out;
  }
  const service = arn.service;
  if (/[*?]/.test(service)) {
    out.push(issue('RESOURCE_SERVICE_WILDCARD', 'error', `Resource "${resource}": wildcards are not allowed in the service segment of an ARN`));
  } else if (service === '') {
    out.push(issue('RESOURCE_MALFORMED', 'warning', `Resource "${resource}" has an empty service segment`));
  }
  // Variables may only replace the resource part, after the fifth colon
  // (reference_policies_variables, "Resource element").
  if (variablesSupported && [arn.partition, arn.service, arn.region, arn.account].some((s) => s.includes('${'))) {
    out.push(issue('VARIABLE_UNSUPPORTED_HERE', 'warning', `Resource "${resource}": policy variables are only substituted after the fifth colon of an ARN`));
  }
  return out;
}

const ACCOUNT_ID = /^\d{12}$/;
const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
const IAM_PRINCIPAL_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):(root|user/.+|role/.+)$`);
const STS_PRINCIPAL_ARN = new RegExp(`^arn:${PARTITION}:sts::(\\d{12}):(assumed-role/[^/]+/.+|federated-user/.+)$`);
// A CloudFront origin access identity as S3 bucket policies name it (Amazon CloudFront Developer
// Guide: "Restricting access to an Amazon S3 origin", the legacy OAI form): the account field is
// the word cloudfront and the user name contains spaces.
const CLOUDFRONT_OAI_ARN = new RegExp(`^arn:${PARTITION}:iam::cloudfront:user/CloudFront Origin Access Identity [A-Z0-9]+$`);
const FEDERATED_PROVIDER_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(saml-provider|oidc-provider)/.+$`);
// IAM unique IDs: AIDA (user), AROA (role), AIPA, ANPA, ... 21 characters.
const UNIQUE_ID = /^A[A-Z0-9]{3}[A-Z0-9]{12,}$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+(\/.*)?$/;
const CANONICAL_USER = /^[0-9a-f]{64}$/;

/**
 * Checks one principal value of a Principal/NotPrincipal map entry
 * (reference_policies_elements_principal: accepted AWS principal forms;
 * "*" only as a whole value, never part of a name or ARN).
 */
export function checkPrincipal(kind: PrincipalKind, value: string): ValueIssue[] {
  if (value.includes('${')) {
    return [issue('VARIABLE_UNSUPPORTED_HERE', 'warning', `Principal "${value}": policy variables are not substituted in principals`)];
  }
  switch (kind) {
    case 'AWS': {
      if (value === '*' || ACCOUNT_ID.test(value) || CLOUDFRONT_OAI_ARN.test(value)) return [];
      if (IAM_PRINCIPAL_ARN.test(value) || STS_PRINCIPAL_ARN.test(value)) {
        return /[*?]/.test(value) ? [issue('PRINCIPAL_WILDCARD', 'error', `AWS principal "${value}": wildcards cannot match part of a principal ARN`)] : [];
      }
      if (UNIQUE_ID.test(value)) {
        return [issue('PRINCIPAL_UNIQUE_ID', 'info', `AWS principal "${value}" is a unique ID; the user or role it referred to was probably deleted`)];
      }
      if (value.includes('*') && value !== '*') {
        return [issue('PRINCIPAL_WILDCARD', 'error', `AWS principal "${value}": "*" can only be used alone, not as part of a principal`)];
      }
      return [issue('PRINCIPAL_MALFORMED', 'error', `AWS principal "${value}" is not "*", a 12-digit account ID, or an IAM user/role/root or STS session ARN`)];
    }
    case 'Service':
      if (SERVICE_PRINCIPAL.test(value)) return [];
      return [issue('PRINCIPAL_UNRECOGNIZED', 'warning', `Service principal "${value}" does not look like "service-name.amazonaws.com"`)];
    case 'Federated':
      if (FEDERATED_PROVIDER_ARN.test(value) || (HOST_NAME.test(value) && !value.startsWith('arn:'))) return [];
      return [
        issue('PRINCIPAL_UNRECOGNIZED', 'warning', `Federated principal "${value}" is neither a SAML/OIDC provider ARN nor an identity provider host name`),
      ];
    case 'CanonicalUser':
      if (CANONICAL_USER.test(value)) return [];
      return [issue('PRINCIPAL_UNRECOGNIZED', 'warning', `CanonicalUser principal "${value}" is not a 64-character hexadecimal canonical user ID`)];
  }
}

/** Result of scanning a string for ${...} policy variables. */
export interface VariableScan {
  readonly variables: readonly string[];
  readonly malformed: boolean;
}

/** Finds `${...}` policy variables (reference_policies_variables). */
export function scanVariables(value: string): VariableScan {
  const variables: string[] = [];
  let malformed = false;
  let i = value.indexOf('${');
  while (i >= 0) {
    const close = value.indexOf('}', i + 2);
    if (close < 0) {
      malformed = true;
      break;
    }
    const inner = value.slice(i + 2, close);
    if (inner.trim() === '') malformed = true;
    else variables.push(inner);
    i = value.indexOf('${', close + 1);
  }
  return { variables, malformed };
}

/** IAM Sids: ASCII letters and digits only (reference_policies_elements_sid). */
export function isAlphanumericSid(sid: string): boolean {
  return /^[A-Za-z0-9]*$/.test(sid);
}
