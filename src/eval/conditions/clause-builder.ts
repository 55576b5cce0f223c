/**
 * Builds ConditionClause objects from a plain IAM Condition block, for tests
 * and data-driven cases (the real parser lives in src/policy/). Spans are dummies.
 */
import type { Span } from '../../diagnostics/diagnostic.js';
import type { ConditionClause, SetQualifier } from '../../policy/model.js';
import type { ContextKeyType } from '../request.js';
import { makeContext } from '../request.js';
import type { RequestContext } from '../request.js';
import { compileConditions, type ConditionOutcome } from './index.js';

const POS = { line: 1, column: 1, offset: 0 };
const SPAN: Span = { start: POS, end: POS };

/** Splits `ForAnyValue:StringLikeIfExists` into qualifier, base operator and IfExists. */
export function splitOperator(operator: string): { setQualifier?: SetQualifier; baseOperator: string; ifExists: boolean } {
  let rest = operator;
  let setQualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') setQualifier = 'ForAllValues';
    else if (prefix === 'foranyvalue') setQualifier = 'ForAnyValue';
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.length > 8 && rest.toLowerCase().endsWith('ifexists');
  const baseOperator = ifExists ? rest.slice(0, -8) : rest;
  return { baseOperator, ifExists, ...(setQualifier !== undefined ? { setQualifier } : {}) };
}

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export function clause(operator: string, key: string, values: unknown): ConditionClause {
  const list = Array.isArray(values) ? values : [values];
  return { operator, key, values: list.map((v) => String(v)), span: SPAN, ...splitOperator(operator) };
}

export function clausesFromBlock(block: ConditionBlock): ConditionClause[] {
  const out: ConditionClause[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, values] of Object.entries(keys)) out.push(clause(operator, key, values));
  }
  return out;
}

export interface ContextEntryJson {
  readonly ContextKeyName: string;
  readonly ContextKeyValues: readonly string[];
  readonly ContextKeyType: ContextKeyType;
}

/** A request with the given context entries (SimulateCustomPolicy shape). */
export function requestWith(entries: readonly ContextEntryJson[], action = 's3:GetObject', resource = '*'): RequestContext {
  return {
    action,
    resource,
    context: makeContext(entries.map((e) => ({ key: e.ContextKeyName, type: e.ContextKeyType, values: e.ContextKeyValues }))),
  };
}

/** Shorthand: `ctx({ 'aws:username': 'bob', 'aws:TagKeys': ['a', 'b'] })` — arrays become stringList. */
export function ctx(values: Readonly<Record<string, string | readonly string[]>>): RequestContext {
  return requestWith(
    Object.entries(values).map(([k, v]) =>
      typeof v === 'string'
        ? { ContextKeyName: k, ContextKeyValues: [v], ContextKeyType: 'string' as const }
        : { ContextKeyName: k, ContextKeyValues: v as readonly string[], ContextKeyType: 'stringList' as const },
    ),
  );
}

/** Compiles and evaluates a Condition block (both fast and explain paths; they must agree). */
export function evaluateBlock(block: ConditionBlock, req: RequestContext, version: string | undefined = '2012-10-17'): ConditionOutcome {
  const compiled = compileConditions(clausesFromBlock(block), version);
  const fast = compiled(req, false);
  const slow = compiled(req, true);
  if (fast.matched !== slow.matched || fast.missingKeys.join('|') !== slow.missingKeys.join('|') || fast.error !== slow.error) {
    throw new Error(`fast and explain paths disagree: ${JSON.stringify({ fast, slow })}`);
  }
  return slow;
}
