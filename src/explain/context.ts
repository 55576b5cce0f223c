/** Context entries typed as the Service Authorization Reference types their keys. */
import { getConditionKey } from '../catalog/condition-keys.js';
import type { ContextKeyType } from '../eval/request.js';
import type { ContextEntry } from './types.js';

const BASE: Readonly<Record<string, ContextKeyType>> = {
  string: 'string',
  arn: 'string',
  numeric: 'numeric',
  long: 'numeric',
  date: 'date',
  bool: 'boolean',
  boolean: 'boolean',
  ipaddress: 'ip',
  binary: 'binary',
};

/** The context type of a key from the catalog (ArrayOf… is a list); unknown keys are strings, lists when several values. */
export function keyType(key: string, count: number, action?: string): ContextKeyType {
  const t = getConditionKey(key, action)?.type;
  if (t === undefined) return count > 1 ? 'stringList' : 'string';
  const list = /^ArrayOf/i.test(t);
  const base = BASE[t.replace(/^ArrayOf/i, '').toLowerCase()] ?? 'string';
  return list || count > 1 ? (`${base}List` as ContextKeyType) : base;
}

export function contextEntry(key: string, values: readonly string[], action?: string): ContextEntry {
  return { key, type: keyType(key, values.length, action), values };
}
