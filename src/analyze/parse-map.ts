/**
 * Maps the policy parser's diagnostics (policy/codes.ts) to lint findings,
 * using IAM Access Analyzer's issue codes where it has the same check
 * (access-analyzer-reference-policy-checks). The parser owns the grammar;
 * this file only renames and classifies.
 */
import type { Diagnostic, JsonPath } from '../diagnostics/diagnostic.js';
import { NO_POSITION } from '../diagnostics/diagnostic.js';
import type { ParseCode } from '../policy/codes.js';
import type { PolicyType } from '../policy/model.js';
import { learnMoreLink, toFindingSpan } from './finding.js';
import type { Finding, FindingType } from './finding.js';
import { RULES } from './registry.js';
import type { IssueCode } from './registry.js';

export interface MapInput {
  readonly type: PolicyType;
  readonly lenient: boolean;
  /** The JSON value at a path of the document (for codes that depend on it). */
  readonly valueAt: (path: JsonPath) => unknown;
}

type Mapped = IssueCode | readonly [IssueCode, FindingType];
type Mapper = (d: Diagnostic, input: MapInput) => Mapped | undefined;

const last = (path: JsonPath): string | number | undefined => path[path.length - 1];
const severityType = (d: Diagnostic): FindingType => (d.severity === 'error' ? 'ERROR' : d.severity === 'warning' ? 'WARNING' : 'SUGGESTION');
const stringAt = (input: MapInput, path: JsonPath): string => {
  const v = input.valueAt(path);
  return typeof v === 'string' ? v : '';
};

const SIZE_CODE: Partial<Record<PolicyType, IssueCode>> = {
  identity: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
  boundary: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
  session: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
  trust: 'POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA',
  scp: 'POLICY_SIZE_EXCEEDS_SCP_QUOTA',
  rcp: 'POLICY_SIZE_EXCEEDS_RCP_QUOTA',
};

const MAP: Readonly<Record<ParseCode, Mapper>> = {
  JSON_SYNTAX: () => 'JSON_SYNTAX_ERROR',
  // Comments and trailing commas are aggregated by mapDiagnostics.
  JSON_COMMENT: () => 'JSON_SYNTAX_ERROR',
  JSON_TRAILING_COMMA: () => 'JSON_SYNTAX_ERROR',
  INPUT_TOO_DEEP: () => 'JSON_SYNTAX_ERROR',
  INPUT_TOO_LARGE: (_d, { type }) => SIZE_CODE[type] ?? 'POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA',
  LENIENT_COMMENT: () => 'DOCUMENTATION_STYLE_JSON',
  LENIENT_TRAILING_COMMA: () => 'DOCUMENTATION_STYLE_JSON',
  NOT_AN_OBJECT: () => 'DATA_TYPE_MISMATCH',
  DUPLICATE_KEY: () => 'DUPLICATE_JSON_KEY',
  UNKNOWN_ELEMENT: () => 'INVALID_POLICY_ELEMENT',
  ELEMENT_TYPE: () => 'DATA_TYPE_MISMATCH',
  ELEMENT_NOT_ALLOWED: (d, { type }) => {
    const el = last(d.path);
    if (el === 'Principal') return type === 'scp' ? 'SCP_SYNTAX_ERROR_PRINCIPAL' : 'UNSUPPORTED_PRINCIPAL';
    if (el === 'NotPrincipal') {
      if (type === 'trust') return 'ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL';
      return type === 'scp' ? 'SCP_SYNTAX_ERROR_PRINCIPAL' : 'UNSUPPORTED_PRINCIPAL';
    }
    return 'UNSUPPORTED_ELEMENT';
  },
  // IAM rejects Resource in a role trust policy (access-analyzer-reference-policy-checks).
  ELEMENT_DISCOURAGED: (d) => (last(d.path) === 'Id' ? 'ID_IN_IDENTITY_POLICY' : 'ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE'),
  TRUST_POLICY_RESOURCE: () => 'ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE',
  EMPTY_ARRAY: (d) => {
    if (d.path.includes('Condition')) return 'EMPTY_ARRAY_CONDITION';
    if (d.path.includes('Principal') || d.path.includes('NotPrincipal')) return 'EMPTY_ARRAY_PRINCIPAL';
    if (d.path.includes('Action') || d.path.includes('NotAction')) return 'EMPTY_ARRAY_ACTION';
    return 'EMPTY_ARRAY_RESOURCE';
  },
  MISSING_VERSION: (d) => ['MISSING_VERSION', severityType(d)],
  VERSION_INVALID: () => 'INVALID_VERSION',
  MISSING_STATEMENT: () => 'MISSING_STATEMENT',
  STATEMENT_EMPTY: () => 'MISSING_STATEMENT',
  SID_DUPLICATE: () => 'UNIQUE_SIDS_REQUIRED',
  SID_FORMAT: (d) => ['UNSUPPORTED_SID', severityType(d)],
  MISSING_EFFECT: () => 'MISSING_EFFECT',
  EFFECT_INVALID: () => 'INVALID_EFFECT',
  EFFECT_NOT_ALLOWED: () => 'UNSUPPORTED_EFFECT',
  MISSING_ACTION: () => 'MISSING_ACTION',
  ACTION_CONFLICT: () => 'UNSUPPORTED_ELEMENT_COMBINATION',
  ACTION_WILDCARD_NOT_ALLOWED: () => 'UNSUPPORTED_ELEMENT',
  ACTION_MALFORMED: (d, input) => {
    const value = stringAt(input, d.path);
    const colon = value.indexOf(':');
    return colon > 0 && /[*?]/.test(value.slice(0, colon)) ? 'WILDCARD_IN_SERVICE_NAME' : 'INVALID_ACTION';
  },
  MISSING_RESOURCE: () => 'MISSING_RESOURCE',
  RESOURCE_CONFLICT: () => 'UNSUPPORTED_ELEMENT_COMBINATION',
  RESOURCE_MALFORMED: (d, input) => (stringAt(input, d.path).startsWith('arn:') ? 'MISSING_ARN_FIELD' : 'INVALID_ARN_PREFIX'),
  // reference_policies_elements_resource: no wildcard in an ARN's service segment.
  RESOURCE_SERVICE_WILDCARD: () => ['WILDCARD_IN_SERVICE_NAME', 'ERROR'],
  MISSING_PRINCIPAL: () => 'MISSING_PRINCIPAL',
  PRINCIPAL_CONFLICT: () => 'UNSUPPORTED_ELEMENT_COMBINATION',
  PRINCIPAL_INVALID_BLOCK: () => 'INVALID_PRINCIPAL_FORMAT',
  PRINCIPAL_UNKNOWN_TYPE: () => 'INVALID_PRINCIPAL_KEY',
  PRINCIPAL_MALFORMED: () => 'INVALID_PRINCIPAL_FORMAT',
  PRINCIPAL_WILDCARD: (_d, { type }) => (type === 'trust' ? 'ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL' : 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL'),
  PRINCIPAL_UNRECOGNIZED: (d) => (d.path.includes('Service') ? 'INVALID_SERVICE_PRINCIPAL_FORMAT' : ['INVALID_PRINCIPAL_FORMAT', severityType(d)]),
  PRINCIPAL_UNIQUE_ID: () => 'PRINCIPAL_UNIQUE_ID',
  PRINCIPAL_MUST_BE_WILDCARD: () => 'UNSUPPORTED_PRINCIPAL',
  NOTPRINCIPAL_WITH_ALLOW: () => 'ALLOW_WITH_NOT_PRINCIPAL',
  CONDITION_UNKNOWN_OPERATOR: (d) =>
    /^(?:for(?:all|any)values:)?nullifexists$/i.test(String(last(d.path) ?? '')) ? 'NULL_WITH_IF_EXISTS' : 'INVALID_CONDITION_OPERATOR',
  CONDITION_OPERATOR_CASE: () => 'CONDITION_OPERATOR_CASE',
  CONDITION_VALUE_TYPE: () => 'DATA_TYPE_MISMATCH',
  CONDITION_EMPTY: () => 'EMPTY_OBJECT_CONDITION',
  // Identity-provider keys have a host name (and path) as prefix:
  // token.actions.githubusercontent.com:sub, oidc.eks.<region>.amazonaws.com/id/<id>:aud
  // (reference_policies_iam-condition-keys); they are well-formed.
  CONDITION_KEY_MALFORMED: (d) => (/^[A-Za-z0-9][A-Za-z0-9.\-_/]*:[^:]+$/.test(String(last(d.path) ?? '')) ? undefined : 'INVALID_CONDITION_KEY_FORMAT'),
  VARIABLE_UNSUPPORTED_VERSION: () => 'VARIABLE_UNSUPPORTED_IN_VERSION',
  VARIABLE_UNSUPPORTED_HERE: (d) => (d.path.includes('Condition') ? 'INVALID_VARIABLE_FOR_OPERATOR' : 'VARIABLE_UNSUPPORTED_IN_ELEMENT'),
  VARIABLE_MALFORMED: (d, input) => (/\$\{\s*\}/.test(stringAt(input, d.path)) ? 'EMPTY_VARIABLE' : 'MISSING_BRACE_IN_VARIABLE'),
};

function toFinding(d: Diagnostic, code: IssueCode, findingType: FindingType, message: string): Finding {
  const span = d.span ?? { start: { ...NO_POSITION, line: d.line, column: d.column }, end: { ...NO_POSITION, line: d.line, column: d.column } };
  return {
    findingType,
    issueCode: code,
    message,
    path: d.path,
    span: toFindingSpan(span),
    learnMoreLink: learnMoreLink(code),
    ...(d.file !== undefined ? { file: d.file } : {}),
  };
}

const DEVIATIONS = new Set<string>(['JSON_COMMENT', 'JSON_TRAILING_COMMA', 'LENIENT_COMMENT', 'LENIENT_TRAILING_COMMA']);

/**
 * Converts parser diagnostics to findings. Comments and trailing commas give
 * one finding at the first of them: JSON_SYNTAX_ERROR (AWS rejects the
 * document), or DOCUMENTATION_STYLE_JSON when the caller asked for lenient JSON.
 */
export function mapDiagnostics(diagnostics: readonly Diagnostic[], input: MapInput): Finding[] {
  const out: Finding[] = [];
  const deviations = diagnostics.filter((d) => DEVIATIONS.has(d.code));
  const first = deviations[0];
  if (first) {
    const comments = deviations.filter((d) => d.code.endsWith('COMMENT')).length;
    const commas = deviations.length - comments;
    const parts = [comments ? `${comments} comment${comments > 1 ? 's' : ''}` : '', commas ? `${commas} trailing comma${commas > 1 ? 's' : ''}` : '']
      .filter(Boolean)
      .join(' and ');
    if (input.lenient) {
      out.push(
        toFinding(
          first,
          'DOCUMENTATION_STYLE_JSON',
          'SUGGESTION',
          `Accepted ${parts} because of --lenient (first here); AWS rejects them, so remove them before use`,
        ),
      );
    } else {
      out.push(
        toFinding(
          first,
          'JSON_SYNTAX_ERROR',
          'ERROR',
          `Not strict JSON: ${parts} (first here); AWS rejects the document — remove them (use --lenient to lint documentation-style JSON)`,
        ),
      );
    }
  }
  for (const d of diagnostics) {
    if (DEVIATIONS.has(d.code)) continue;
    const mapper = MAP[d.code as ParseCode];
    const mapped = mapper ? mapper(d, input) : 'DATA_TYPE_MISMATCH';
    if (mapped === undefined) continue;
    const [code, type] = typeof mapped === 'string' ? [mapped, RULES[mapped].findingType] : mapped;
    // One grammar, one verdict: what the parser rejects (and simulate refuses) is an ERROR here too.
    out.push(toFinding(d, code, d.severity === 'error' ? 'ERROR' : type, d.message));
  }
  return out;
}
