/**
 * Compiles a statement's Condition block into one evaluator.
 *
 * Operators are AND-ed, keys within an operator are AND-ed, values of one key
 * are OR-ed (IAM User Guide, reference_policies_multi-value-conditions.md).
 * Key names are case-insensitive (reference_policies_elements_condition.md);
 * the request context is keyed lower-case (request.ts).
 *
 * Fast path: clauses are evaluated until the first false one; the remaining
 * clauses are only scanned for missing keys (cheap map lookups). Nothing is
 * allocated unless a key is missing, a clause has an error, or `explain` is
 * requested. Missing keys are reported as written in the policy, once each
 * (case-insensitively): the clause key when the request lacks it, and every
 * policy variable without a default whose key the request lacks.
 */
import type { ConditionClause } from '../../policy/model.js';
import type { RequestContext } from '../request.js';
import { variablesEnabled } from '../variables.js';
import { collectMissing, compileClause, hasMissingVariable, type CompiledClause } from './clause.js';

export interface ClauseOutcome {
  readonly clause: ConditionClause;
  readonly matched: boolean;
  readonly missingKeys: readonly string[];
  readonly explanation?: string;
  readonly error?: string;
}

export interface ConditionOutcome {
  readonly matched: boolean;
  readonly missingKeys: readonly string[];
  /** Per clause, when `explain` is true. */
  readonly clauses?: readonly ClauseOutcome[];
  /** First policy error (unknown operator, unparsable value); the engine fails closed. */
  readonly error?: string;
}

export type CompiledConditions = (req: RequestContext, explain: boolean) => ConditionOutcome;

const NONE: readonly string[] = Object.freeze([]);
const MATCHED: ConditionOutcome = Object.freeze({ matched: true, missingKeys: NONE });
const NOT_MATCHED: ConditionOutcome = Object.freeze({ matched: false, missingKeys: NONE });

function explainAll(compiled: readonly CompiledClause[], req: RequestContext, error: string | undefined): ConditionOutcome {
  let matched = true;
  const missing: string[] = [];
  const missingLower: string[] = [];
  const clauses: ClauseOutcome[] = [];
  for (const c of compiled) {
    const cv = req.context.get(c.keyLower);
    const own: string[] = [];
    collectMissing(c, cv, req, own, []);
    collectMissing(c, cv, req, missing, missingLower);
    const r = c.explain(cv, req);
    if (!r.matched) matched = false;
    clauses.push({
      clause: c.clause,
      matched: r.matched,
      missingKeys: own.length === 0 ? NONE : own,
      explanation: r.text,
      ...(c.error !== undefined ? { error: c.error } : {}),
    });
  }
  return {
    matched: matched && error === undefined,
    missingKeys: missing.length === 0 ? NONE : missing,
    clauses,
    ...(error !== undefined ? { error } : {}),
  };
}

/** The first request value that a typed clause cannot read, as a message. */
function unreadableValue(compiled: readonly CompiledClause[], req: RequestContext): string | undefined {
  for (let i = 0; i < compiled.length; i++) {
    const c = compiled[i]!;
    if (c.unreadable === undefined) continue;
    const cv = req.context.get(c.keyLower);
    if (cv === undefined || cv.values.length === 0) continue;
    const problem = c.unreadable(cv);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

export function compileConditions(clauses: readonly ConditionClause[], version: string | undefined): CompiledConditions {
  const vars = variablesEnabled(version);
  const compiled = clauses.map((c) => compileClause(c, vars));
  if (compiled.length === 0) return (_req, explain) => (explain ? { matched: true, missingKeys: NONE, clauses: [] } : MATCHED);
  const policyError = compiled.find((c) => c.error !== undefined)?.error;
  const typed = compiled.some((c) => c.unreadable !== undefined);
  const n = compiled.length;
  return (req, explain) => {
    // An unreadable request value never lets a statement be skipped: it is an error, and errors deny.
    const error = policyError ?? (typed ? unreadableValue(compiled, req) : undefined);
    if (explain) return explainAll(compiled, req, error);
    const ctx = req.context;
    let matched = error === undefined;
    let missing: string[] | undefined;
    let missingLower: string[] | undefined;
    for (let i = 0; i < n; i++) {
      const c = compiled[i]!;
      const cv = ctx.get(c.keyLower);
      if (cv === undefined || (c.variables.length > 0 && hasMissingVariable(c, req))) {
        if (missing === undefined) {
          missing = [];
          missingLower = [];
        }
        collectMissing(c, cv, req, missing, missingLower!);
      }
      if (matched && !c.evaluate(cv, req)) matched = false;
    }
    if (error !== undefined) return { matched: false, missingKeys: missing && missing.length > 0 ? missing : NONE, error };
    if (missing === undefined || missing.length === 0) return matched ? MATCHED : NOT_MATCHED;
    return { matched, missingKeys: missing };
  };
}

export { compileClause, type CompiledClause } from './clause.js';
export { findOperator, OPERATOR_NAMES } from './registry.js';
export type { OperatorDef, CompiledOperator, OperatorFamily } from './operator.js';
