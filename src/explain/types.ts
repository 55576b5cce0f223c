/**
 * What an AccessDenied report says, read from the forms AWS prints (IAM User
 * Guide: troubleshoot_access-denied; Amazon S3 User Guide:
 * troubleshoot-403-errors; AWS STS API Reference:
 * DecodeAuthorizationMessage; AWS CloudTrail User Guide: CloudTrail record
 * contents), and what iamsim makes of it.
 */
import type { ContextKeyType } from '../eval/request.js';

/** The policy type an AWS message blames, in the evaluator's layer names. */
export type AwsLayer = 'identity' | 'resource' | 'session' | 'boundary' | 'scp' | 'rcp' | 'endpoint';

export type DenialKind = 'implicit' | 'explicit';

/**
 * How the report was written:
 *  - typed: "… because no TYPE allows …" or "… with an explicit deny in a TYPE[: POLICY-ARN]";
 *  - untyped: the older "User: … is not authorized to perform: … [on resource: …]" without the clause;
 *  - bare: S3's "Access Denied" (or EC2's "You are not authorized to perform this operation.") alone;
 *  - encoded: EC2's message with an encoded authorization failure message still to decode;
 *  - decoded: `aws sts decode-authorization-message` output;
 *  - cloudtrail: a CloudTrail record whose errorCode is a denial.
 */
export type DenialForm = 'typed' | 'untyped' | 'bare' | 'encoded' | 'decoded' | 'cloudtrail';

export interface ContextEntry {
  readonly key: string;
  readonly type: ContextKeyType;
  readonly values: readonly string[];
}

/**
 * Something a report leaves out that the user can give (a value, not words): each shell says how —
 * the CLI by its flags (--context KEY=VALUE, --region…), the console by its fields.
 */
export type Ask =
  | { readonly what: 'principal' | 'action' | 'resource' | 'region' | 'vpc-endpoint' | 'session-policy' }
  | { readonly what: 'context'; readonly key: string };

export interface Denial {
  readonly form: DenialForm;
  /** 1-based line of the input where the report starts. */
  readonly line: number;
  /** The report as read (the message line, or the record's errorMessage). */
  readonly text: string;
  readonly principal?: string;
  readonly action?: string;
  readonly resource?: string;
  /** The policy type AWS names (undefined when the message names none). */
  readonly layer?: AwsLayer;
  /** implicit (no Allow) or explicit (a Deny); undefined when the message does not say. */
  readonly kind?: DenialKind;
  /** The ARN of the denying policy, in the messages that carry it. */
  readonly policyArn?: string;
  /** The wrapper's error code (AccessDenied, UnauthorizedOperation…) and API operation, when present. */
  readonly errorCode?: string;
  readonly operation?: string;
  /** Request context the report implies (aws:SourceIp, aws:RequestedRegion, tags…). */
  readonly context: readonly ContextEntry[];
  readonly vpcEndpointId?: string;
  /** EC2's encoded authorization failure message, when not decoded yet. */
  readonly encoded?: string;
  /** Notes on what the report left out or how it was read. */
  readonly notes: readonly string[];
  /** What the user can give to fill what the report leaves out. */
  readonly asks?: readonly Ask[];
}

/** A report that could not be read: bad input, with where it is. */
export interface DenialProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** What the user can give to make the report explainable. */
  readonly asks?: readonly Ask[];
}

export interface ReadDenials {
  readonly denials: readonly Denial[];
  readonly problems: readonly DenialProblem[];
  /** CloudTrail records read that were no denial (allowed calls, other errors). */
  readonly skipped: number;
}
