/**
 * Numeric condition operators (IAM User Guide,
 * reference_policies_elements_condition_operators.md, "Numeric condition operators"):
 * integers or decimals; no policy variables and no wildcards. A policy value
 * that is not a number is an error (fail closed); a request value that is not
 * a number simply does not match. Context values may be given as strings.
 */
import { NO_VARIABLES, failed, q, type CompiledOperator, type OperatorDef } from './operator.js';

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a decimal number; NaN when `s` is not one (no hex, no blanks, no Infinity). */
export function parseNumber(s: string): number {
  if (!NUMBER_RE.test(s)) return NaN;
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

type Cmp = (request: number, policy: number) => boolean;

function numericOperator(name: string, negated: boolean, cmp: Cmp): OperatorDef {
  const compile = (values: readonly string[]): CompiledOperator => {
    const nums: number[] = [];
    for (const v of values) {
      const n = parseNumber(v);
      if (Number.isNaN(n)) return failed(`${name}: policy value ${q(v)} is not a number`);
      nums.push(n);
    }
    const test = (value: string): boolean => {
      const r = parseNumber(value);
      if (Number.isNaN(r)) return false;
      for (let i = 0; i < nums.length; i++) if (cmp(r, nums[i]!)) return true;
      return false;
    };
    return { test, variables: NO_VARIABLES };
  };
  return { name, family: 'Numeric', negated, compile };
}

export const NUMERIC_OPERATORS: readonly OperatorDef[] = [
  numericOperator('NumericEquals', false, (r, p) => r === p),
  numericOperator('NumericNotEquals', true, (r, p) => r === p),
  numericOperator('NumericLessThan', false, (r, p) => r < p),
  numericOperator('NumericLessThanEquals', false, (r, p) => r <= p),
  numericOperator('NumericGreaterThan', false, (r, p) => r > p),
  numericOperator('NumericGreaterThanEquals', false, (r, p) => r >= p),
];
