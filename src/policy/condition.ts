/**
 * Parses a statement's Condition block into ConditionClauses
 * (reference_policies_elements_condition, reference_policies_grammar).
 */
import type { Node as JsonNode } from 'jsonc-parser';
import type { JsonPath } from '../diagnostics/diagnostic.js';
import type { ConditionClause } from './model.js';
import { describe, propKey, propValue } from './context.js';
import type { ParseContext } from './context.js';
import { formatOperator, parseConditionOperator, VARIABLE_FAMILIES } from './operators.js';
import type { OperatorFamily } from './operators.js';
import { scanVariables } from './values.js';

// prefix:name; identity-provider keys have host-like prefixes with dots and paths,
// e.g. token.actions.githubusercontent.com:aud or accounts.google.com:sub.
const CONDITION_KEY = /^[A-Za-z0-9][A-Za-z0-9.\-/]*:.+$/;

export function parseCondition(ctx: ParseContext, prop: JsonNode, path: JsonPath): ConditionClause[] {
  const block = propValue(prop);
  if (!block) return [];
  if (block.type !== 'object') {
    ctx.report('ELEMENT_TYPE', 'error', `Condition must be an object of operators, found ${describe(block)}`, block, path);
    return [];
  }
  const operators = ctx.properties(block);
  if (operators.size === 0) {
    ctx.report('CONDITION_EMPTY', 'warning', 'The Condition block is empty', block, path);
  }
  const clauses: ConditionClause[] = [];
  for (const [written, opProp] of operators) {
    const opPath = [...path, written];
    const parsed = parseConditionOperator(written);
    if (!parsed.ok) {
      ctx.report('CONDITION_UNKNOWN_OPERATOR', 'error', `Unknown condition operator "${written}": ${parsed.reason}`, propKey(opProp), opPath);
    } else if (parsed.op.caseMismatch) {
      ctx.report(
        'CONDITION_OPERATOR_CASE',
        'warning',
        `Condition operator "${written}" should be written "${formatOperator(parsed.op)}"`,
        propKey(opProp),
        opPath,
      );
    }
    const keys = propValue(opProp);
    if (!keys) continue;
    if (keys.type !== 'object') {
      ctx.report('ELEMENT_TYPE', 'error', `Operator "${written}" must map condition keys to values, found ${describe(keys)}`, keys, opPath);
      continue;
    }
    const keyProps = ctx.properties(keys);
    if (keyProps.size === 0) {
      ctx.report('CONDITION_EMPTY', 'warning', `Condition operator "${written}" has no condition keys`, keys, opPath);
    }
    for (const [key, keyProp] of keyProps) {
      const keyPath = [...opPath, key];
      if (!CONDITION_KEY.test(key)) {
        ctx.report('CONDITION_KEY_MALFORMED', 'warning', `Condition key "${key}" does not have the form "prefix:name"`, propKey(keyProp), keyPath);
      }
      const values = conditionValues(ctx, keyProp, keyPath, parsed.ok ? parsed.op.family : undefined);
      if (!parsed.ok || values === undefined) continue;
      const { op } = parsed;
      clauses.push({
        operator: written,
        baseOperator: op.baseOperator,
        ifExists: op.ifExists,
        key,
        values,
        span: ctx.span(keyProp),
        ...(op.setQualifier ? { setQualifier: op.setQualifier } : {}),
      });
    }
  }
  return clauses;
}

/** Values of one condition key: string, number or boolean, alone or in a non-empty array. */
function conditionValues(ctx: ParseContext, keyProp: JsonNode, path: JsonPath, family: OperatorFamily | undefined): string[] | undefined {
  const node = propValue(keyProp);
  if (!node) return undefined;
  const items = node.type === 'array' ? (node.children ?? []) : [node];
  if (node.type === 'array' && items.length === 0) {
    // Grammar conventions: arrays take one or more values (reference_policies_grammar).
    ctx.report('EMPTY_ARRAY', 'error', 'A condition key needs at least one value', node, path);
  }
  const values: string[] = [];
  items.forEach((item, i) => {
    const itemPath = node.type === 'array' ? [...path, i] : path;
    if (item.type === 'string' || item.type === 'number' || item.type === 'boolean') {
      const text = String(item.value);
      values.push(text);
      if (item.type === 'string') checkVariables(ctx, text, item, itemPath, family);
    } else {
      ctx.report('CONDITION_VALUE_TYPE', 'error', `Condition values must be strings, numbers or booleans, found ${describe(item)}`, item, itemPath);
    }
  });
  return values;
}

function checkVariables(ctx: ParseContext, text: string, node: JsonNode, path: JsonPath, family: OperatorFamily | undefined): void {
  if (!text.includes('${')) return;
  const scan = scanVariables(text);
  if (family !== undefined && !VARIABLE_FAMILIES.has(family)) {
    ctx.report(
      'VARIABLE_UNSUPPORTED_HERE',
      'warning',
      `Policy variables are not substituted in ${family} conditions; "${text}" is compared literally`,
      node,
      path,
    );
    return;
  }
  if (!ctx.variablesSupported) {
    ctx.report('VARIABLE_UNSUPPORTED_VERSION', 'warning', `"${text}" uses a policy variable but Version is not 2012-10-17, so it is literal text`, node, path);
  } else if (scan.malformed) {
    ctx.report('VARIABLE_MALFORMED', 'warning', `"${text}" contains an unterminated or empty \${...} variable`, node, path);
  }
}
