/**
 * The contract between the generic clause machinery (clause.ts) and the
 * operator families (string.ts, numeric.ts, ...). A family compiles the
 * policy values of one clause once; `test` then answers, for ONE request
 * value, whether it matches at least one policy value (values of one key are
 * OR-ed; IAM User Guide, reference_policies_multi-value-conditions.md).
 * Negation, IfExists, set qualifiers and missing keys are applied by
 * clause.ts, never by a family.
 */
import type { RequestContext } from '../request.js';
import { parseTemplate, variablesOf, type TemplatePart, type VariablePart } from '../variables.js';

export interface CompiledOperator {
  /** True when `value` matches at least one policy value (before negation). */
  readonly test: (value: string, req: RequestContext) => boolean;
  /** Policy variables used by the values (for missing-key reporting). */
  readonly variables: readonly VariablePart[];
  /** Set when a policy value is unusable; the clause then fails closed. */
  readonly error?: string;
  /**
   * For typed families (numeric, date, IP, Bool, binary): false when a request
   * value cannot be read as the family's type. The evaluator then reports an
   * error for the statement, which can only deny.
   */
  readonly readable?: (value: string) => boolean;
}

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

export interface OperatorDef {
  /** Canonical name, e.g. 'StringNotLike'. */
  readonly name: string;
  readonly family: OperatorFamily;
  /** Negated operators OR-reduce their values and then negate (a NOR). */
  readonly negated: boolean;
  /** `variables` is true when policy variables are substituted (Version 2012-10-17). */
  readonly compile: (values: readonly string[], variables: boolean) => CompiledOperator;
}

export const NO_VARIABLES: readonly VariablePart[] = [];

/** A compiled operator that fails closed with a message. */
export function failed(error: string): CompiledOperator {
  return { test: () => false, variables: NO_VARIABLES, error };
}

/** Template parts of a value when variables are enabled and present; undefined otherwise. */
export function templateOf(value: string, variables: boolean): TemplatePart[] | undefined {
  if (!variables || !value.includes('${')) return undefined;
  const parts = parseTemplate(value);
  return parts.some((p) => p.kind !== 'text') ? parts : undefined;
}

/** Collects the variables of several templates, deduplicated by key. */
export function collectVariables(templates: readonly (readonly TemplatePart[])[]): readonly VariablePart[] {
  if (templates.length === 0) return NO_VARIABLES;
  const all = variablesOf(templates.flat());
  return all.length === 0 ? NO_VARIABLES : all;
}

/** JSON-ish quoting for messages. */
export function q(s: string): string {
  return JSON.stringify(s);
}
