/**
 * Generic clause machinery: key lookup, IfExists, negation, set qualifiers
 * and Null, on top of an operator family's per-value `test`.
 *
 * Semantics (IAM User Guide):
 * - Absent key: the clause is false, except that negated operators are true
 *   and ...IfExists is true (reference_policies_elements_condition_operators.md,
 *   the "Important" note and "...IfExists condition operators").
 * - Several policy values for a key are OR-ed; for a negated operator the
 *   positive test is OR-ed and then negated, i.e. a NOR
 *   (reference_policies_multi-value-conditions.md, note on negated operators).
 * - ForAllValues: every request value must satisfy the (possibly negated)
 *   operator; true when the key is absent or has no values. ForAnyValue: at
 *   least one request value must; false when absent or empty
 *   (reference_policies_multi-value-conditions.md). The negated operator is
 *   applied per request value, as in the documented
 *   `ForAllValues:StringNotLike` on aws:TagKeys example.
 * - A set qualifier on a single-valued key treats its value as a one-element
 *   set.
 * - Without a qualifier, a key with more than one value never satisfies the
 *   clause (negated or not): multivalued keys require ForAllValues or
 *   ForAnyValue (reference_policies_single-vs-multi-valued-condition-keys.md).
 * - An empty value list counts as absent (a "null" data set,
 *   reference_policies_elements_condition.md, "The request context").
 */
import type { ConditionClause } from '../../policy/model.js';
import type { ContextValue, RequestContext } from '../request.js';
import { isVariableMissing, resolveVariable, type VariablePart } from '../variables.js';
import { compileNull } from './null.js';
import { NO_VARIABLES, q, type CompiledOperator, type OperatorDef } from './operator.js';
import { findOperator } from './registry.js';

export type ClauseEvaluator = (cv: ContextValue | undefined, req: RequestContext) => boolean;

export interface CompiledClause {
  readonly clause: ConditionClause;
  readonly keyLower: string;
  /** Variables used in the values (missing when absent and without default). */
  readonly variables: readonly VariablePart[];
  readonly error: string | undefined;
  readonly evaluate: ClauseEvaluator;
  /**
   * For typed operators: a message when a request value of the key cannot be
   * read as the operator's type (the statement then cannot be evaluated and
   * the engine denies); undefined otherwise.
   */
  readonly unreadable: ((cv: ContextValue) => string | undefined) | undefined;
  /** Same result as `evaluate`, plus a one-line human explanation. */
  readonly explain: (cv: ContextValue | undefined, req: RequestContext) => { matched: boolean; text: string };
}

const FALSE: ClauseEvaluator = () => false;

function present(cv: ContextValue | undefined): cv is ContextValue {
  return cv !== undefined && cv.values.length > 0;
}

function makeEvaluator(clause: ConditionClause, negated: boolean, test: CompiledOperator['test']): ClauseEvaluator {
  const ifExists = clause.ifExists;
  if (clause.setQualifier === 'ForAllValues') {
    return (cv, req) => {
      if (!present(cv)) return true;
      const vs = cv.values;
      for (let i = 0; i < vs.length; i++) if (test(vs[i]!, req) === negated) return false;
      return true;
    };
  }
  if (clause.setQualifier === 'ForAnyValue') {
    return (cv, req) => {
      if (!present(cv)) return ifExists;
      const vs = cv.values;
      for (let i = 0; i < vs.length; i++) if (test(vs[i]!, req) !== negated) return true;
      return false;
    };
  }
  const absent = ifExists || negated;
  return (cv, req) => {
    if (!present(cv)) return absent;
    const vs = cv.values;
    if (vs.length !== 1) return false;
    return test(vs[0]!, req) !== negated;
  };
}

function fmtList(vs: readonly string[]): string {
  return vs.length === 1 ? q(vs[0]!) : `[${vs.map(q).join(', ')}]`;
}

function variableNotes(vars: readonly VariablePart[], req: RequestContext): string {
  if (vars.length === 0) return '';
  const notes = vars.map((v) => {
    const r = resolveVariable(v, req.context);
    return r === undefined ? `\${${v.key}} has no value` : `\${${v.key}} = ${q(r)}`;
  });
  return ` (${notes.join('; ')})`;
}

function absentReason(clause: ConditionClause, negated: boolean): string {
  if (clause.setQualifier === 'ForAllValues') return 'ForAllValues holds for an absent or empty key';
  if (clause.ifExists) return 'IfExists treats an absent key as a match';
  if (clause.setQualifier === 'ForAnyValue') return 'ForAnyValue needs at least one request value';
  if (negated) return 'a negated operator matches an absent key';
  return 'the key must be present';
}

function makeExplain(clause: ConditionClause, def: OperatorDef, op: CompiledOperator, evaluate: ClauseEvaluator): CompiledClause['explain'] {
  const policy = fmtList(clause.values);
  return (cv, req) => {
    const matched = evaluate(cv, req);
    const verdict = matched ? 'match' : 'no match';
    const head = `${clause.operator} ${clause.key}`;
    const vars = variableNotes(op.variables, req);
    if (!present(cv)) {
      const what = cv === undefined ? 'is absent from the request context' : 'has no values';
      return { matched, text: `${head}: key ${what}; ${absentReason(clause, def.negated)} → ${verdict}` };
    }
    if (clause.setQualifier === undefined && cv.values.length !== 1) {
      return {
        matched,
        text: `${head}: key has ${cv.values.length} values but the operator has no ForAnyValue/ForAllValues qualifier → ${verdict}`,
      };
    }
    const hits = cv.values.filter((v) => op.test(v, req));
    const misses = cv.values.filter((v) => !hits.includes(v));
    const parts: string[] = [];
    if (hits.length > 0) parts.push(`${fmtList(hits)} ${hits.length === 1 ? 'matches' : 'match'} ${policy}`);
    if (misses.length > 0) {
      parts.push(
        hits.length > 0
          ? `${fmtList(misses)} ${misses.length === 1 ? 'does' : 'do'} not`
          : `${fmtList(misses)} ${misses.length === 1 ? 'does' : 'do'} not match ${policy}`,
      );
    }
    const detail = parts.join('; ') + (def.negated ? ' (negated operator)' : '');
    return { matched, text: `${head}: request ${fmtList(cv.values)}; ${detail}${vars} → ${verdict}` };
  };
}

function unreadableCheck(clause: ConditionClause, family: string, readable: (v: string) => boolean): (cv: ContextValue) => string | undefined {
  return (cv) => {
    const vs = cv.values;
    for (let i = 0; i < vs.length; i++) {
      if (!readable(vs[i]!))
        return `${clause.operator} ${clause.key}: request value ${q(vs[i]!)} is not a valid ${family} value; the condition cannot be evaluated`;
    }
    return undefined;
  };
}

function errorClause(clause: ConditionClause, keyLower: string, error: string): CompiledClause {
  return {
    clause,
    keyLower,
    variables: NO_VARIABLES,
    error,
    evaluate: FALSE,
    unreadable: undefined,
    explain: () => ({ matched: false, text: `${clause.operator} ${clause.key}: ${error}` }),
  };
}

/** Compiles one clause; `variables` enables policy-variable substitution. */
export function compileClause(clause: ConditionClause, variables: boolean): CompiledClause {
  const keyLower = clause.key.toLowerCase();
  if (clause.baseOperator.toLowerCase() === 'null') {
    const check = compileNull(clause.values, clause.ifExists);
    if (check.error !== undefined) return errorClause(clause, keyLower, check.error);
    const evaluate: ClauseEvaluator = (cv) => check.test(present(cv));
    return {
      clause,
      keyLower,
      variables: NO_VARIABLES,
      error: undefined,
      evaluate,
      unreadable: undefined,
      explain: (cv) => {
        const matched = check.test(present(cv));
        const state = present(cv) ? 'present' : 'absent (null)';
        return { matched, text: `${clause.operator} ${clause.key}: key is ${state}; policy ${fmtList(clause.values)} → ${matched ? 'match' : 'no match'}` };
      },
    };
  }
  const def = findOperator(clause.baseOperator);
  if (def === undefined) return errorClause(clause, keyLower, `unknown condition operator ${q(clause.baseOperator)}`);
  const op = def.compile(clause.values, variables);
  if (op.error !== undefined) return errorClause(clause, keyLower, op.error);
  const evaluate = makeEvaluator(clause, def.negated, op.test);
  return {
    clause,
    keyLower,
    variables: op.variables,
    error: undefined,
    evaluate,
    unreadable: op.readable === undefined ? undefined : unreadableCheck(clause, def.family, op.readable),
    explain: makeExplain(clause, def, op, evaluate),
  };
}

/** Pushes the clause's missing keys (as written in the policy), deduplicated case-insensitively. */
export function collectMissing(c: CompiledClause, cv: ContextValue | undefined, req: RequestContext, out: string[], outLower: string[]): void {
  if (cv === undefined && !outLower.includes(c.keyLower)) {
    out.push(c.clause.key);
    outLower.push(c.keyLower);
  }
  for (const v of c.variables) {
    if (isVariableMissing(v, req.context) && !outLower.includes(v.keyLower)) {
      out.push(v.key);
      outLower.push(v.keyLower);
    }
  }
}

/** True when a policy variable of the clause has no value and no default. */
export function hasMissingVariable(c: CompiledClause, req: RequestContext): boolean {
  const vs = c.variables;
  for (let i = 0; i < vs.length; i++) if (isVariableMissing(vs[i]!, req.context)) return true;
  return false;
}
