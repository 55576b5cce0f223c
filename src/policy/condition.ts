/**
 * Parses a statement's Condition block into ConditionClauses
 * (reference_policies_elements_condition, reference_policies_grammar).
 */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { ConditionClause } from './model.js';
import { describe, isObject } from './context.js';
import type { JsonObject, ParseContext } from './context.js';
import { formatOperator, parseConditionOperator, VARIABLE_FAMILIES } from './operators.js';
import type { OperatorFamily, ParsedOperator } from './operators.js';
import { scanVariables } from './values.js';

// prefix:name; identity-provider keys have host-like prefixes with dots and paths,
// e.g. token.actions.githubusercontent.com:aud or accounts.google.com:sub.
const CONDITION_KEY = /^[A-Za-z0-9][A-Za-z0-9.\-/]*:.+$/;

/** Reads the value of a Condition element at `path` (a statement's path plus 'Condition'). */
export function parseCondition(ctx: ParseContext, block: unknown, path: JsonPath): ConditionClause[] {
  if (block === undefined) return [];
  if (!isObject(block)) {
    ctx.report('ELEMENT_TYPE', 'error', `Condition must be an object of operators, found ${describe(block)}`, ctx.span(path), path);
    return [];
  }
  const operators = Object.keys(block);
  if (operators.length === 0) {
    ctx.report('CONDITION_EMPTY', 'warning', 'The Condition block is empty', ctx.span(path), path);
  }
  const clauses: ConditionClause[] = [];
  for (const written of operators) {
    const opPath = [...path, written];
    const parsed = parseConditionOperator(written);
    if (!parsed.ok) {
      ctx.report('CONDITION_UNKNOWN_OPERATOR', 'error', `Unknown condition operator "${written}": ${parsed.reason}`, ctx.keySpan(opPath), opPath);
    } else if (parsed.op.caseMismatch) {
      ctx.report(
        'CONDITION_OPERATOR_CASE',
        'warning',
        `Condition operator "${written}" should be written "${formatOperator(parsed.op)}"`,
        ctx.keySpan(opPath),
        opPath,
      );
    }
    const keys = block[written];
    if (keys === undefined) continue;
    if (!isObject(keys)) {
      ctx.report('ELEMENT_TYPE', 'error', `Operator "${written}" must map condition keys to values, found ${describe(keys)}`, ctx.span(opPath), opPath);
      continue;
    }
    readOperatorKeys(ctx, keys, opPath, written, parsed.ok ? parsed.op : undefined, clauses);
  }
  return clauses;
}

/** The condition keys of one operator block, each with its values, appended to `clauses`. */
function readOperatorKeys(
  ctx: ParseContext,
  keys: JsonObject,
  opPath: JsonPath,
  written: string,
  op: ParsedOperator | undefined,
  clauses: ConditionClause[],
): void {
  const names = Object.keys(keys);
  if (names.length === 0) {
    ctx.report('CONDITION_EMPTY', 'warning', `Condition operator "${written}" has no condition keys`, ctx.span(opPath), opPath);
  }
  for (const key of names) {
    if (!CONDITION_KEY.test(key)) {
      const keyPath = [...opPath, key];
      ctx.report('CONDITION_KEY_MALFORMED', 'warning', `Condition key "${key}" does not have the form "prefix:name"`, ctx.keySpan(keyPath), keyPath);
    }
    const values = conditionValues(ctx, keys[key], opPath, key, op?.family);
    if (op === undefined || values === undefined) continue;
    clauses.push({
      operator: written,
      baseOperator: op.baseOperator,
      ifExists: op.ifExists,
      key,
      values,
      span: ctx.span(opPath, key, 'property'),
      ...(op.setQualifier ? { setQualifier: op.setQualifier } : {}),
    });
  }
}

/** Values of one condition key: string, number or boolean, alone or in a non-empty array. */
function conditionValues(ctx: ParseContext, value: unknown, opPath: JsonPath, key: string, family: OperatorFamily | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const isArray = Array.isArray(value);
  const items: readonly unknown[] = isArray ? value : [value];
  if (isArray && items.length === 0) {
    // Grammar conventions: arrays take one or more values (reference_policies_grammar).
    ctx.report('EMPTY_ARRAY', 'error', 'A condition key needs at least one value', ctx.span(opPath, key), [...opPath, key]);
  }
  const values: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      const text = String(item);
      values.push(text);
      if (typeof item === 'string' && text.includes('${')) checkVariables(ctx, text, itemPath(opPath, key, isArray, i), family);
    } else {
      const at = itemPath(opPath, key, isArray, i);
      ctx.report('CONDITION_VALUE_TYPE', 'error', `Condition values must be strings, numbers or booleans, found ${describe(item)}`, ctx.span(at), at);
    }
  }
  return values;
}

function itemPath(opPath: JsonPath, key: string, isArray: boolean, i: number): JsonPath {
  return isArray ? [...opPath, key, i] : [...opPath, key];
}

function checkVariables(ctx: ParseContext, text: string, path: JsonPath, family: OperatorFamily | undefined): void {
  const scan = scanVariables(text);
  if (family !== undefined && !VARIABLE_FAMILIES.has(family)) {
    ctx.report(
      'VARIABLE_UNSUPPORTED_HERE',
      'warning',
      `Policy variables are not substituted in ${family} conditions; "${text}" is compared literally`,
      ctx.span(path),
      path,
    );
    return;
  }
  if (!ctx.variablesSupported) {
    ctx.report(
      'VARIABLE_UNSUPPORTED_VERSION',
      'warning',
      `"${text}" uses a policy variable but Version is not 2012-10-17, so it is literal text`,
      ctx.span(path),
      path,
    );
  } else if (scan.malformed) {
    ctx.report('VARIABLE_MALFORMED', 'warning', `"${text}" contains an unterminated or empty \${...} variable`, ctx.span(path), path);
  }
}
