/** All condition operators by lower-cased base name (Null is handled by clause.ts). */
import { ARN_OPERATORS } from './arn.js';
import { BINARY_OPERATORS } from './binary.js';
import { BOOL_OPERATORS } from './bool.js';
import { DATE_OPERATORS } from './date.js';
import { IP_OPERATORS } from './ip.js';
import { NUMERIC_OPERATORS } from './numeric.js';
import type { OperatorDef } from './operator.js';
import { STRING_OPERATORS } from './string.js';

export const OPERATORS: readonly OperatorDef[] = [
  ...STRING_OPERATORS,
  ...NUMERIC_OPERATORS,
  ...DATE_OPERATORS,
  ...BOOL_OPERATORS,
  ...BINARY_OPERATORS,
  ...IP_OPERATORS,
  ...ARN_OPERATORS,
];

const BY_NAME = new Map<string, OperatorDef>(OPERATORS.map((d) => [d.name.toLowerCase(), d]));

/** Looks up a base operator (without qualifier or IfExists), case-insensitively. */
export function findOperator(baseOperator: string): OperatorDef | undefined {
  return BY_NAME.get(baseOperator.toLowerCase());
}

/** Every base operator name, Null included (for linters and docs). */
export const OPERATOR_NAMES: readonly string[] = [...OPERATORS.map((d) => d.name), 'Null'];
