/** Validation of the request fields that are not policies: action names and context entries. */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import { CONTEXT_KEY_TYPES, type ContextKeyType, type ContextValue } from '../eval/request.js';
import { type Catalog, getAction, suggestActions } from '../catalog/catalog.js';
import { typedValueProblem, type TypedValueKind } from '../eval/conditions/typed.js';

/**
 * A request must name real actions: an unknown one is an input error with a
 * suggestion. (A policy may name unknown actions; they simply never match.)
 * A caller that validates many requests passes its catalog (an engine's), which remembers the lookups.
 */
export function validateActionNames(names: readonly string[], report: (index: number, message: string) => void, catalog?: Catalog): void {
  names.forEach((name, i) => {
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/.test(name)) {
      report(i, `${JSON.stringify(name)} is not an action name of the form service:Action (wildcards are not allowed in a request)`);
      return;
    }
    if ((catalog === undefined ? getAction(name) : catalog.getAction(name)) === undefined) {
      const s = suggestActions(name, 3);
      report(i, `unknown action ${JSON.stringify(name)}${s.length > 0 ? `; did you mean ${s.map((x) => JSON.stringify(x)).join(' or ')}?` : ''}`);
    }
  });
}

/** Each ContextKeyType with the kind its values are read as (a list type reads each value as its element type). */
const KINDS = new Map<string, TypedValueKind>(CONTEXT_KEY_TYPES.map((t) => [t, t.replace(/List$/, '') as TypedValueKind]));

/** The values as strings (numbers and booleans are accepted as AWS's SDKs send them); undefined when one is not. */
function stringValues(values: unknown): string[] | undefined {
  if (!Array.isArray(values)) return undefined;
  const out: string[] = [];
  for (let j = 0; j < values.length; j++) {
    const v: unknown = values[j];
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
    else return undefined;
  }
  return out;
}

/** One entry of ContextEntries, or undefined after reporting why it cannot be read (batches read millions: no closures, no regular expressions). */
function contextEntry(e: unknown, i: number, report: (path: JsonPath, message: string) => void): ContextValue | undefined {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) {
    report(['ContextEntries', i], 'a context entry must be an object');
    return undefined;
  }
  const entry = e as Record<string, unknown>;
  const name = entry['ContextKeyName'];
  const type = entry['ContextKeyType'];
  if (typeof name !== 'string' || name === '') {
    report(['ContextEntries', i, 'ContextKeyName'], 'ContextKeyName must be a non-empty string');
    return undefined;
  }
  const kind = typeof type === 'string' ? KINDS.get(type) : undefined;
  if (kind === undefined) {
    report(['ContextEntries', i, 'ContextKeyType'], `ContextKeyType must be one of ${CONTEXT_KEY_TYPES.join(', ')}`);
    return undefined;
  }
  const strings = stringValues(entry['ContextKeyValues']);
  if (strings === undefined) {
    report(['ContextEntries', i, 'ContextKeyValues'], 'ContextKeyValues must be a list of strings');
    return undefined;
  }
  const t = type as ContextKeyType;
  const multivalued = t !== kind;
  if (!multivalued && strings.length !== 1) {
    report(['ContextEntries', i, 'ContextKeyValues'], `a ${t} key takes exactly one value; use ${t}List for several`);
    return undefined;
  }
  if (kind !== 'string') {
    for (let j = 0; j < strings.length; j++) {
      const v = strings[j] as string;
      const problem = typedValueProblem(kind, v);
      if (problem !== undefined) {
        report(['ContextEntries', i, 'ContextKeyValues', j], `${JSON.stringify(v)} ${problem} (ContextKeyType ${t})`);
        return undefined;
      }
    }
  }
  return { key: name, type: t, values: strings, multivalued };
}

/** Reads AWS ContextEntries: [{ContextKeyName, ContextKeyValues, ContextKeyType}]. */
export function parseContextEntries(value: unknown, report: (path: JsonPath, message: string) => void): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>();
  if (value === undefined || value === null) return map;
  if (!Array.isArray(value)) {
    report(['ContextEntries'], 'ContextEntries must be a list of {ContextKeyName, ContextKeyValues, ContextKeyType}');
    return map;
  }
  for (let i = 0; i < value.length; i++) {
    const entry = contextEntry(value[i], i, report);
    if (entry !== undefined) map.set(entry.key.toLowerCase(), entry);
  }
  return map;
}
