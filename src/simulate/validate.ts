/** Validation of the request fields that are not policies: action names and context entries. */
import type { JsonPath } from '../diagnostics/diagnostic.js';
import { type CodedMessage, said } from '../diagnostics/message.js';
import { CONTEXT_KEY_TYPES, type ContextKeyType, type ContextValue } from '../eval/request.js';
import { type Catalog, getAction, suggestActions } from '../catalog/catalog.js';
import { typedValueProblem, type TypedValueKind } from '../eval/conditions/typed.js';

/**
 * A request must name real actions: an unknown one is an input error with a
 * suggestion. (A policy may name unknown actions; they simply never match.)
 * A caller that validates many requests passes its catalog (an engine's), which remembers the lookups.
 */
export function validateActionNames(names: readonly string[], report: (index: number, message: string, coded?: CodedMessage) => void, catalog?: Catalog): void {
  names.forEach((name, i) => {
    if (!/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/.test(name)) {
      report(i, ...said('{name} is not an action name of the form service:Action (wildcards are not allowed in a request)', { name: JSON.stringify(name) }));
      return;
    }
    if ((catalog === undefined ? getAction(name) : catalog.getAction(name)) === undefined) {
      const s = suggestActions(name, 3);
      report(
        i,
        ...said('unknown action {name}{suggestion}', {
          name: JSON.stringify(name),
          suggestion: s.length > 0 ? `; did you mean ${s.map((x) => JSON.stringify(x)).join(' or ')}?` : '',
        }),
      );
    }
  });
}

/** Where a problem is and what it is: AWS's wording, and the message as a value (diagnostics/message.ts). */
export type ReportPath = (path: JsonPath, message: string, coded?: CodedMessage) => void;

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
function contextEntry(e: unknown, i: number, report: ReportPath): ContextValue | undefined {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) {
    report(['ContextEntries', i], ...said('a context entry must be an object'));
    return undefined;
  }
  const entry = e as Record<string, unknown>;
  const name = entry['ContextKeyName'];
  const type = entry['ContextKeyType'];
  if (typeof name !== 'string' || name === '') {
    report(['ContextEntries', i, 'ContextKeyName'], ...said('{f:member} must be a non-empty string', { member: 'ContextKeyName' }));
    return undefined;
  }
  const kind = typeof type === 'string' ? KINDS.get(type) : undefined;
  if (kind === undefined) {
    report(
      ['ContextEntries', i, 'ContextKeyType'],
      ...said('{f:member} must be one of {types}', { member: 'ContextKeyType', types: CONTEXT_KEY_TYPES.join(', ') }),
    );
    return undefined;
  }
  const strings = stringValues(entry['ContextKeyValues']);
  if (strings === undefined) {
    report(['ContextEntries', i, 'ContextKeyValues'], ...said('{f:member} must be a list of strings', { member: 'ContextKeyValues' }));
    return undefined;
  }
  const t = type as ContextKeyType;
  const multivalued = t !== kind;
  if (!multivalued && strings.length !== 1) {
    report(['ContextEntries', i, 'ContextKeyValues'], ...said('a {type} key takes exactly one value; use {type}List for several', { type: t }));
    return undefined;
  }
  if (kind !== 'string') {
    for (let j = 0; j < strings.length; j++) {
      const v = strings[j] as string;
      const problem = typedValueProblem(kind, v);
      if (problem !== undefined) {
        report(
          ['ContextEntries', i, 'ContextKeyValues', j],
          ...said('{value} {problem} ({f:member} {type})', { value: JSON.stringify(v), problem, member: 'ContextKeyType', type: t }),
        );
        return undefined;
      }
    }
  }
  return { key: name, type: t, values: strings, multivalued };
}

/** Reads AWS ContextEntries: [{ContextKeyName, ContextKeyValues, ContextKeyType}]. */
export function parseContextEntries(value: unknown, report: ReportPath): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>();
  if (value === undefined || value === null) return map;
  if (!Array.isArray(value)) {
    report(
      ['ContextEntries'],
      ...said('{f:field} must be a list of {entry}', { field: 'ContextEntries', entry: '{ContextKeyName, ContextKeyValues, ContextKeyType}' }),
    );
    return map;
  }
  for (let i = 0; i < value.length; i++) {
    const entry = contextEntry(value[i], i, report);
    if (entry !== undefined) map.set(entry.key.toLowerCase(), entry);
  }
  return map;
}
