/**
 * The shape of the HTML report's data (report-data.ts makes it, the page's
 * script src/web/audit-report.ts reads it). Types only, importing nothing, so
 * the browser code can share them.
 */

/** Indexes into `strings`, joined: one text. */
export type Text = readonly number[];

/** One path: techniques, target, what the principal becomes (render.ts pathEnd), length, needs an existing resource (1/0), hops, step indexes. */
export type PathRow = readonly [techniques: Text, target: number, end: Text, length: number, existing: number, hops: Text, steps: readonly number[]];

export interface ReportData {
  readonly version: 1;
  readonly strings: readonly string[];
  /** Every step of every path, once. */
  readonly steps: readonly Text[];
  /** Principals that can escalate (report order): ARN, 1 when admin, paths shortest first. */
  readonly escalating: readonly (readonly [arn: number, admin: number, paths: readonly PathRow[]])[];
  /** Admin principals: ARN, 1 when allowed everything outright (0: can grant itself everything). */
  readonly admins: readonly (readonly [arn: number, outright: number])[];
  /** Every finding: code, severity, subject, message. */
  readonly findings: readonly (readonly [code: number, severity: number, subject: number, message: Text])[];
  /** Principals allowed a risky action on every resource (infrastructure modification aside): ARN, one text per category (its first actions, and how many more). */
  readonly risky: readonly (readonly [arn: number, risks: readonly Text[]])[];
}
