/** Validation of the request fields that are not policies: action names and context entries. */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import { CONTEXT_KEY_TYPES, type ContextKeyType, type ContextValue } from '../eval/request.js';
import { getAction, suggestActions } from '../catalog/catalog.js';
import { typedValueProblem, type TypedValueKind } from '../eval/conditions/typed.js';

/**
 * A request must name real actions: an unknown one is an input error with a
 * suggestion. (A policy may name unknown actions; they simply never match.)
 */
export function validateActionNames(names: readonly string[], report: (index: number, message: string) => void): void {
  names.forEach((name, i) => {
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/.test(name)) {
      report(i, `${JSON.stringify(name)} is not an action name of the form service:Action (wildcards are not allowed in a request)`);
      return;
    }
    if (getAction(name) === undefined) {
      const s = suggestActions(name, 3);
      report(i, `unknown action ${JSON.stringify(name)}${s.length > 0 ? `; did you mean ${s.map((x) => JSON.stringify(x)).join(' or ')}?` : ''}`);
    }
  });
}

const TYPES = new Set<string>(CONTEXT_KEY_TYPES);

function checkValue(type: ContextKeyType, v: string): string | undefined {
  return typedValueProblem(type.replace(/List$/, '') as TypedValueKind, v);
}

/** Reads AWS ContextEntries: [{ContextKeyName, ContextKeyValues, ContextKeyType}]. */
export function parseContextEntries(value: unknown, report: (path: JsonPath, message: string) => void): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>();
  if (value === undefined || value === null) return map;
  if (!Array.isArray(value)) {
    report(['ContextEntries'], 'ContextEntries must be a list of {ContextKeyName, ContextKeyValues, ContextKeyType}');
    return map;
  }
  value.forEach((e: unknown, i) => {
    const path = ['ContextEntries', i];
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      report(path, 'a context entry must be an object');
      return;
    }
    const entry = e as Record<string, unknown>;
    const name = entry['ContextKeyName'];
    const values = entry['ContextKeyValues'];
    const type = entry['ContextKeyType'];
    if (typeof name !== 'string' || name === '') {
      report([...path, 'ContextKeyName'], 'ContextKeyName must be a non-empty string');
      return;
    }
    if (typeof type !== 'string' || !TYPES.has(type)) {
      report([...path, 'ContextKeyType'], `ContextKeyType must be one of ${CONTEXT_KEY_TYPES.join(', ')}`);
      return;
    }
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      report([...path, 'ContextKeyValues'], 'ContextKeyValues must be a list of strings');
      return;
    }
    const strings = values.map(String);
    const t = type as ContextKeyType;
    if (!t.endsWith('List') && strings.length !== 1) {
      report([...path, 'ContextKeyValues'], `a ${t} key takes exactly one value; use ${t}List for several`);
      return;
    }
    for (const [j, v] of strings.entries()) {
      const problem = checkValue(t, v);
      if (problem !== undefined) {
        report([...path, 'ContextKeyValues', j], `${JSON.stringify(v)} ${problem} (ContextKeyType ${t})`);
        return;
      }
    }
    map.set(name.toLowerCase(), { key: name, type: t, values: strings, multivalued: t.endsWith('List') });
  });
  return map;
}
