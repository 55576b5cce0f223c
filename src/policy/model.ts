/**
 * The in-memory model of an IAM policy document. Produced by `parsePolicy`
 * (policy/parse.ts); consumed by eval/, lint and generate. Every element keeps
 * its source span so results can cite statements by line and column.
 */
import type { Span } from '../diagnostics/diagnostic.js';

/** Which kind of policy a document is; grammar rules depend on it. */
export type PolicyType = 'identity' | 'resource' | 'trust' | 'boundary' | 'session' | 'scp' | 'rcp' | 'vpc-endpoint';

export const POLICY_TYPES: readonly PolicyType[] = ['identity', 'resource', 'trust', 'boundary', 'session', 'scp', 'rcp', 'vpc-endpoint'];

export type Effect = 'Allow' | 'Deny';

/** The principal-type keys allowed inside a Principal / NotPrincipal map. */
export type PrincipalKind = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/**
 * `Principal: "*"` is `{ wildcard: true }`. A map form keeps each kind's
 * values as written (a single string becomes a one-element array).
 */
export type PrincipalBlock =
  | { readonly wildcard: true; readonly span: Span }
  | {
      readonly wildcard: false;
      readonly values: Readonly<Partial<Record<PrincipalKind, readonly string[]>>>;
      readonly span: Span;
    };

/** A string list element (Action, Resource, ...) with the span of each value. */
export interface ValueList {
  readonly values: readonly string[];
  readonly spans: readonly Span[];
  /** Span of the whole element (key through value). */
  readonly span: Span;
}

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

/** One operator/key pair of a Condition block, e.g. StringEquals: {aws:username: [...]}. */
export interface ConditionClause {
  /** The operator exactly as written, e.g. 'ForAnyValue:StringLikeIfExists'. */
  readonly operator: string;
  /** The operator without qualifier or IfExists suffix, e.g. 'StringLike'. */
  readonly baseOperator: string;
  readonly setQualifier?: SetQualifier;
  readonly ifExists: boolean;
  /** The condition key as written (matching is case-insensitive). */
  readonly key: string;
  /** Values as strings (numbers and booleans are converted with String()). */
  readonly values: readonly string[];
  readonly span: Span;
}

export interface Statement {
  /** 0-based position in the Statement array (0 when Statement is an object). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly principal?: PrincipalBlock;
  readonly notPrincipal?: PrincipalBlock;
  readonly action?: ValueList;
  readonly notAction?: ValueList;
  readonly resource?: ValueList;
  readonly notResource?: ValueList;
  readonly conditions: readonly ConditionClause[];
  readonly span: Span;
}

/**
 * How messages name a statement: its Sid when it has one, else its 1-based
 * number (`"ReadOnly"`, `#3`). Statement.index stays 0-based for data.
 */
export function statementLabel(index: number, sid?: string): string {
  return sid !== undefined && sid !== '' ? JSON.stringify(sid) : `#${index + 1}`;
}

export interface Policy {
  /** A name for citing the policy in results: file name, policy name or `PolicyInputList.1`. */
  readonly name: string;
  readonly type: PolicyType;
  /** '2012-10-17', '2008-10-17', or undefined when absent. */
  readonly version?: string;
  readonly id?: string;
  readonly statements: readonly Statement[];
  readonly span: Span;
}
