/**
 * Access Analyzer's ValidatePolicy, offline: the linter's findings in the
 * API's response shape (`findings[]` with `findingType`, `issueCode`,
 * `findingDetails`, `learnMoreLink`, `locations[].path` and `.span`).
 * Positions follow the API: line from 1, column and offset from 0.
 */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { PolicyType } from '../policy/model.js';
import type { Finding, FindingPosition, FindingType } from './finding.js';
import { lintPolicy } from './lint.js';
import { lineStarts } from '../diagnostics/position.js';

/** Access Analyzer's policyType values. */
export const AA_POLICY_TYPES = ['IDENTITY_POLICY', 'RESOURCE_POLICY', 'SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const;
export type AaPolicyType = (typeof AA_POLICY_TYPES)[number];

/** validatePolicyResourceType values (ValidatePolicy API reference). */
export const AA_VALIDATE_RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::S3::AccessPoint',
  'AWS::S3::MultiRegionAccessPoint',
  'AWS::S3ObjectLambda::AccessPoint',
  'AWS::IAM::AssumeRolePolicyDocument',
  'AWS::DynamoDB::Table',
] as const;

export type PathElement =
  | { readonly key: string }
  | { readonly index: number }
  | { readonly value: string }
  | { readonly substring: { readonly start: number; readonly length: number } };

export interface AaPosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface ValidatePolicyFinding {
  readonly findingDetails: string;
  readonly findingType: FindingType;
  readonly issueCode: string;
  readonly learnMoreLink: string;
  readonly locations: readonly { readonly path: readonly PathElement[]; readonly span: { readonly start: AaPosition; readonly end: AaPosition } }[];
}

export interface ValidatePolicyResponse {
  readonly findings: readonly ValidatePolicyFinding[];
  readonly nextToken?: string;
}

export interface ValidatePolicyRequest {
  readonly policyDocument: string;
  readonly policyType: AaPolicyType;
  readonly validatePolicyResourceType?: string;
  /** Accept comments and trailing commas (iamsim extension). */
  readonly lenient?: boolean;
}

export function isAaPolicyType(v: unknown): v is AaPolicyType {
  return typeof v === 'string' && (AA_POLICY_TYPES as readonly string[]).includes(v);
}

/** The linter's policy type for an Access Analyzer policy type (a trust policy when the resource type says so). */
export function lintTypeOf(policyType: AaPolicyType, resourceType?: string): PolicyType {
  switch (policyType) {
    case 'IDENTITY_POLICY':
      return 'identity';
    case 'SERVICE_CONTROL_POLICY':
      return 'scp';
    case 'RESOURCE_CONTROL_POLICY':
      return 'rcp';
    default:
      return resourceType === 'AWS::IAM::AssumeRolePolicyDocument' ? 'trust' : 'resource';
  }
}

function position(p: FindingPosition, starts: readonly number[], length: number): AaPosition {
  const column = Math.max(0, p.column - 1);
  const lineStart = starts[p.line - 1] ?? 0;
  return { line: Math.max(1, p.line), column, offset: Math.min(length, lineStart + column) };
}

function pathOf(path: JsonPath): PathElement[] {
  return path.map((p) => (typeof p === 'number' ? { index: p } : { key: p }));
}

export function toValidatePolicyFinding(f: Finding, starts: readonly number[], length: number): ValidatePolicyFinding {
  return {
    findingDetails: f.message,
    findingType: f.findingType,
    issueCode: f.issueCode,
    learnMoreLink: f.learnMoreLink,
    locations: [{ path: pathOf(f.path), span: { start: position(f.span.start, starts, length), end: position(f.span.end, starts, length) } }],
  };
}

/** All findings for one policy document, in document order. */
export function validatePolicy(req: ValidatePolicyRequest): ValidatePolicyResponse {
  const findings = lintPolicy(req.policyDocument, { type: lintTypeOf(req.policyType, req.validatePolicyResourceType), lenient: req.lenient ?? false });
  const starts = lineStarts(req.policyDocument);
  return { findings: findings.map((f) => toValidatePolicyFinding(f, starts, req.policyDocument.length)) };
}
