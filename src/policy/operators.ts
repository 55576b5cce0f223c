/**
 * Condition operator names (reference_policies_elements_condition_operators):
 * the base operators, the ...IfExists suffix (not for Null) and the
 * ForAllValues:/ForAnyValue: set qualifiers (reference_policies_multi-value-conditions).
 */
import type { SetQualifier } from './model.js';

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

/** Every base condition operator and its family. */
export const CONDITION_OPERATORS: Readonly<Record<string, OperatorFamily>> = {
  StringEquals: 'String',
  StringNotEquals: 'String',
  StringEqualsIgnoreCase: 'String',
  StringNotEqualsIgnoreCase: 'String',
  StringLike: 'String',
  StringNotLike: 'String',
  NumericEquals: 'Numeric',
  NumericNotEquals: 'Numeric',
  NumericLessThan: 'Numeric',
  NumericLessThanEquals: 'Numeric',
  NumericGreaterThan: 'Numeric',
  NumericGreaterThanEquals: 'Numeric',
  DateEquals: 'Date',
  DateNotEquals: 'Date',
  DateLessThan: 'Date',
  DateLessThanEquals: 'Date',
  DateGreaterThan: 'Date',
  DateGreaterThanEquals: 'Date',
  Bool: 'Bool',
  BinaryEquals: 'Binary',
  IpAddress: 'IpAddress',
  NotIpAddress: 'IpAddress',
  ArnEquals: 'Arn',
  ArnLike: 'Arn',
  ArnNotEquals: 'Arn',
  ArnNotLike: 'Arn',
  Null: 'Null',
};

/**
 * Families whose values may contain policy variables. The condition operator
 * page allows variables with String, Bool and Arn operators and forbids them
 * for Numeric, Date, Binary, IpAddress and Null.
 */
export const VARIABLE_FAMILIES: ReadonlySet<OperatorFamily> = new Set<OperatorFamily>(['String', 'Arn', 'Bool']);

const SET_QUALIFIERS: readonly SetQualifier[] = ['ForAllValues', 'ForAnyValue'];
const BY_LOWER = new Map(Object.keys(CONDITION_OPERATORS).map((op) => [op.toLowerCase(), op] as const));

export interface ParsedOperator {
  /** Canonical base operator, e.g. 'StringLike'. */
  readonly baseOperator: string;
  readonly family: OperatorFamily;
  readonly setQualifier?: SetQualifier;
  readonly ifExists: boolean;
  /** True when the written operator differs from the canonical spelling only by case. */
  readonly caseMismatch: boolean;
}

export type OperatorParse = { readonly ok: true; readonly op: ParsedOperator } | { readonly ok: false; readonly reason: string };

/** Splits 'ForAnyValue:StringLikeIfExists' into qualifier, base operator and IfExists. */
export function parseConditionOperator(written: string): OperatorParse {
  let rest = written;
  let setQualifier: SetQualifier | undefined;
  let caseMismatch = false;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    const qualifier = SET_QUALIFIERS.find((q) => q.toLowerCase() === prefix.toLowerCase());
    if (!qualifier) {
      return { ok: false, reason: `"${prefix}" is not a set qualifier (use ForAllValues or ForAnyValue)` };
    }
    if (qualifier !== prefix) caseMismatch = true;
    setQualifier = qualifier;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  let base = BY_LOWER.get(rest.toLowerCase());
  if (base === undefined && rest.toLowerCase().endsWith('ifexists')) {
    base = BY_LOWER.get(rest.slice(0, -'IfExists'.length).toLowerCase());
    if (base !== undefined) {
      ifExists = true;
      if (rest.slice(-'IfExists'.length) !== 'IfExists') caseMismatch = true;
      rest = rest.slice(0, -'IfExists'.length);
    }
  }
  if (base === undefined) return { ok: false, reason: `"${rest}" is not an IAM condition operator` };
  if (base !== rest) caseMismatch = true;
  if (base === 'Null' && ifExists) {
    return { ok: false, reason: 'the Null operator has no IfExists form' };
  }
  const family = CONDITION_OPERATORS[base] ?? 'String';
  return {
    ok: true,
    op: { baseOperator: base, family, ifExists, caseMismatch, ...(setQualifier ? { setQualifier } : {}) },
  };
}

/** The canonical spelling of a parsed operator, e.g. 'ForAnyValue:StringLikeIfExists'. */
export function formatOperator(op: Pick<ParsedOperator, 'baseOperator' | 'setQualifier' | 'ifExists'>): string {
  return `${op.setQualifier ? `${op.setQualifier}:` : ''}${op.baseOperator}${op.ifExists ? 'IfExists' : ''}`;
}
