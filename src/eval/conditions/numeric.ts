/**
 * Numeric condition operators (IAM User Guide,
 * reference_policies_elements_condition_operators.md, "Numeric condition operators"):
 * integers or decimals; no policy variables and no wildcards. Values are
 * compared exactly as decimals (no binary floating point rounding, so
 * 9007199254740992 and 9007199254740993 differ). A policy value that is not a
 * number is an error (fail closed); a request value that is not a number
 * makes the clause unreadable, which the evaluator turns into a denial.
 */
import { NO_VARIABLES, failed, q, type CompiledOperator, type OperatorDef } from './operator.js';

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,15}))?$/;

/** An exact decimal: value = (neg ? -1 : 1) × 0.digits × 10^exp; zero has digits ''. */
export interface Decimal {
  readonly neg: boolean;
  readonly digits: string;
  readonly exp: number;
}

/**
 * Parses an integer or decimal (optionally with an exponent); undefined when
 * `s` is not one (no blanks, no hex, no Infinity/NaN, no digit separators).
 */
export function parseDecimal(s: string): Decimal | undefined {
  const m = NUMBER_RE.exec(s);
  if (m === null) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  let all = int + frac;
  let exp = int.length + (m[4] !== undefined ? Number(m[4]) : 0);
  let lead = 0;
  while (lead < all.length && all.charCodeAt(lead) === 48) lead++;
  let end = all.length;
  while (end > lead && all.charCodeAt(end - 1) === 48) end--;
  all = all.slice(lead, end);
  exp -= lead;
  if (all === '') return { neg: false, digits: '', exp: 0 };
  return { neg: m[1] === '-', digits: all, exp };
}

function compareMagnitude(a: Decimal, b: Decimal): number {
  if (a.digits === '' || b.digits === '') return a.digits === b.digits ? 0 : a.digits === '' ? -1 : 1;
  if (a.exp !== b.exp) return a.exp < b.exp ? -1 : 1;
  return a.digits === b.digits ? 0 : a.digits < b.digits ? -1 : 1;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const sa = a.digits === '' ? 0 : a.neg ? -1 : 1;
  const sb = b.digits === '' ? 0 : b.neg ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const m = compareMagnitude(a, b);
  return sa < 0 ? -m : m;
}

type Cmp = (c: number) => boolean;

function numericOperator(name: string, negated: boolean, cmp: Cmp): OperatorDef {
  const compile = (values: readonly string[]): CompiledOperator => {
    const nums: Decimal[] = [];
    for (const v of values) {
      const n = parseDecimal(v);
      if (n === undefined) return failed(`${name}: policy value ${q(v)} is not a number`);
      nums.push(n);
    }
    const test = (value: string): boolean => {
      const r = parseDecimal(value);
      if (r === undefined) return false;
      for (let i = 0; i < nums.length; i++) if (cmp(compareDecimal(r, nums[i]!))) return true;
      return false;
    };
    return { test, variables: NO_VARIABLES, readable: (v) => parseDecimal(v) !== undefined };
  };
  return { name, family: 'Numeric', negated, compile };
}

export const NUMERIC_OPERATORS: readonly OperatorDef[] = [
  numericOperator('NumericEquals', false, (c) => c === 0),
  numericOperator('NumericNotEquals', true, (c) => c === 0),
  numericOperator('NumericLessThan', false, (c) => c < 0),
  numericOperator('NumericLessThanEquals', false, (c) => c <= 0),
  numericOperator('NumericGreaterThan', false, (c) => c > 0),
  numericOperator('NumericGreaterThanEquals', false, (c) => c >= 0),
];
