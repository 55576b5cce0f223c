/**
 * Bool (IAM User Guide, reference_policies_elements_condition_operators.md,
 * "Boolean condition operators"): compares against `true` / `false`,
 * case-insensitively. That page allows policy variables with Bool (the
 * variables page lists it among the operators without them; we follow the
 * operators page). A constant policy value other than true/false is an
 * error; a request value other than true/false does not match.
 */
import { equalsLowered } from '../../primitives/wildcard.js';
import type { RequestContext } from '../request.js';
import { resolveTemplate, type TemplatePart } from '../variables.js';
import { collectVariables, failed, q, templateOf, type CompiledOperator, type OperatorDef } from './operator.js';

/** 1 for true, 0 for false, -1 otherwise (case-insensitive). */
export function parseBool(s: string): number {
  if (s.length === 4 && equalsLowered('true', s)) return 1;
  if (s.length === 5 && equalsLowered('false', s)) return 0;
  return -1;
}

function compileBool(values: readonly string[], variables: boolean): CompiledOperator {
  let wantTrue = false;
  let wantFalse = false;
  const templates: TemplatePart[][] = [];
  for (const v of values) {
    const t = templateOf(v, variables);
    if (t !== undefined) {
      templates.push(t);
      continue;
    }
    const b = parseBool(v);
    if (b < 0) return failed(`Bool: policy value ${q(v)} is not true or false`);
    if (b === 1) wantTrue = true;
    else wantFalse = true;
  }
  const test = (value: string, req: RequestContext): boolean => {
    const b = parseBool(value);
    if (b < 0) return false;
    if (b === 1 ? wantTrue : wantFalse) return true;
    for (const t of templates) {
      const r = resolveTemplate(t, req.context);
      if (r !== undefined && parseBool(r) === b) return true;
    }
    return false;
  };
  return { test, variables: collectVariables(templates), readable: (v) => parseBool(v) >= 0 };
}

export const BOOL_OPERATORS: readonly OperatorDef[] = [{ name: 'Bool', family: 'Bool', negated: false, compile: compileBool }];
