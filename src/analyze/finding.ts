/**
 * Lint findings, shaped like IAM Access Analyzer's ValidatePolicy findings
 * (access-analyzer-reference-policy-checks): a finding type, an issue code, a
 * one-line message and a location, plus a link to our page for the code.
 */
import type { JsonPath, Span } from '../diagnostics/diagnostic.js';

export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export const FINDING_TYPES: readonly FindingType[] = ['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'];

/** Higher is more severe; `--fail-on X` fails on findings with rank >= rank(X). */
export function findingRank(type: FindingType): number {
  return 4 - FINDING_TYPES.indexOf(type);
}

export function isFindingType(value: string): value is FindingType {
  return (FINDING_TYPES as readonly string[]).includes(value);
}

export interface FindingPosition {
  readonly line: number;
  readonly column: number;
}

export interface FindingSpan {
  readonly start: FindingPosition;
  readonly end: FindingPosition;
}

export interface Finding {
  readonly findingType: FindingType;
  readonly issueCode: string;
  /** One line. */
  readonly message: string;
  /** JSON path from the document root, e.g. ['Statement', 3, 'Condition']. */
  readonly path: JsonPath;
  readonly span: FindingSpan;
  /** The file (or policy name) the finding refers to, when known. */
  readonly file?: string;
  /**
   * Which policy of an account model the finding is in, e.g.
   * `arn:aws:iam::111122223333:role/Job (inline policy s3)` (lint --account/--db).
   */
  readonly policy?: string;
  /** Repository-relative link to the issue code's page: `docs/lint/<CODE>.md`. */
  readonly learnMoreLink: string;
}

export function learnMoreLink(issueCode: string): string {
  return `docs/lint/${issueCode}.md`;
}

/** Drops offsets from a parser span. */
export function toFindingSpan(span: Span): FindingSpan {
  return {
    start: { line: span.start.line, column: span.start.column },
    end: { line: span.end.line, column: span.end.column },
  };
}

/** Document order, then severity, then code. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    a.span.start.line - b.span.start.line ||
    a.span.start.column - b.span.start.column ||
    findingRank(b.findingType) - findingRank(a.findingType) ||
    a.issueCode.localeCompare(b.issueCode)
  );
}
