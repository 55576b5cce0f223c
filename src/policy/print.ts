/**
 * Prints the policy model back to canonical AWS JSON: elements in the order
 * Version, Id, Statement and Sid, Effect, Principal, Action, Resource,
 * Condition; one value as a string, several as an array; Statement always an
 * array; conditions grouped by operator in first-appearance order.
 */
import type { ConditionClause, Policy, PrincipalBlock, Statement, ValueList } from './model.js';
import { PRINCIPAL_KINDS } from './principal.js';

type JsonValue = string | JsonValue[] | { [key: string]: JsonValue };

function listValue(values: readonly string[]): JsonValue {
  return values.length === 1 ? (values[0] ?? '') : [...values];
}

function principalToJson(block: PrincipalBlock): JsonValue {
  if (block.wildcard) return '*';
  const out: { [key: string]: JsonValue } = {};
  for (const kind of PRINCIPAL_KINDS) {
    const values = block.values[kind];
    if (values) out[kind] = listValue(values);
  }
  return out;
}

function conditionsToJson(clauses: readonly ConditionClause[]): JsonValue {
  const out: { [operator: string]: { [key: string]: JsonValue } } = {};
  for (const clause of clauses) {
    out[clause.operator] ??= {};
    const block = out[clause.operator]!;
    block[clause.key] = listValue(clause.values);
  }
  return out;
}

function statementToJson(s: Statement): JsonValue {
  const out: { [key: string]: JsonValue } = {};
  if (s.sid !== undefined) out['Sid'] = s.sid;
  out['Effect'] = s.effect;
  if (s.principal) out['Principal'] = principalToJson(s.principal);
  if (s.notPrincipal) out['NotPrincipal'] = principalToJson(s.notPrincipal);
  const lists: [string, ValueList | undefined][] = [
    ['Action', s.action],
    ['NotAction', s.notAction],
    ['Resource', s.resource],
    ['NotResource', s.notResource],
  ];
  for (const [key, list] of lists) {
    if (list) out[key] = listValue(list.values);
  }
  if (s.conditions.length > 0) out['Condition'] = conditionsToJson(s.conditions);
  return out;
}

/** The canonical AWS JSON value of a policy. */
export function policyToJson(policy: Policy): unknown {
  const out: { [key: string]: JsonValue } = {};
  if (policy.version !== undefined) out['Version'] = policy.version;
  if (policy.id !== undefined) out['Id'] = policy.id;
  out['Statement'] = policy.statements.map(statementToJson);
  return out;
}

/** The policy as canonical JSON text (no trailing newline). */
export function printPolicy(policy: Policy, indent = 2): string {
  return JSON.stringify(policyToJson(policy), null, indent);
}
