/**
 * GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy: the
 * condition keys the policies' Condition elements reference, each once
 * (keys are case-insensitive; the first spelling is kept), in order of appearance.
 */
import { getConditionKey } from '../catalog/catalog.js';
import type { ContextKeyType } from '../eval/request.js';
import type { Policy } from '../policy/model.js';
import { CONDITION_OPERATORS, type OperatorFamily } from '../policy/operators.js';

export function contextKeysOf(policies: readonly Policy[]): string[] {
  return typedContextKeysOf(policies).map((k) => k.name);
}

export interface TypedContextKey {
  readonly name: string;
  /** The ContextKeyType a simulation should give it. */
  readonly type: ContextKeyType;
  /** Where the type comes from: the Service Authorization Reference, or the operators the policies compare it with. */
  readonly typeFrom: 'catalog' | 'operator';
}

/** The Service Authorization Reference's condition key types as AWS's ContextKeyType values. */
const CATALOG_TYPES: Readonly<Record<string, ContextKeyType>> = {
  String: 'string',
  ARN: 'string',
  ArrayOfString: 'stringList',
  ArrayOfARN: 'stringList',
  Numeric: 'numeric',
  ArrayOfNumeric: 'numericList',
  Date: 'date',
  ArrayOfDate: 'dateList',
  Bool: 'boolean',
  Boolean: 'boolean',
  ArrayOfBool: 'booleanList',
  IPAddress: 'ip',
  ArrayOfIPAddress: 'ipList',
  Binary: 'binary',
  ArrayOfBinary: 'binaryList',
};

const FAMILY_TYPES: Readonly<Record<OperatorFamily, ContextKeyType | undefined>> = {
  String: 'string',
  Arn: 'string',
  Numeric: 'numeric',
  Date: 'date',
  Bool: 'boolean',
  Binary: 'binary',
  IpAddress: 'ip',
  Null: undefined,
};

const LIST_OF: Partial<Record<ContextKeyType, ContextKeyType>> = {
  string: 'stringList',
  numeric: 'numericList',
  date: 'dateList',
  boolean: 'booleanList',
  ip: 'ipList',
  binary: 'binaryList',
};

/**
 * The keys of contextKeysOf with the type a request should give each: the
 * catalog's type when the key is in the Service Authorization Reference,
 * else the family of the operators the policies compare it with (a list
 * type under ForAllValues:/ForAnyValue:), else string.
 */
export function typedContextKeysOf(policies: readonly Policy[]): TypedContextKey[] {
  const seen = new Map<string, { name: string; families: Set<ContextKeyType>; multi: boolean }>();
  for (const p of policies) {
    for (const st of p.statements) {
      for (const c of st.conditions) {
        const k = c.key.toLowerCase();
        const e = seen.get(k) ?? { name: c.key, families: new Set<ContextKeyType>(), multi: false };
        const family = FAMILY_TYPES[CONDITION_OPERATORS[c.baseOperator] ?? 'Null'];
        if (family !== undefined) e.families.add(family);
        if (c.setQualifier !== undefined) e.multi = true;
        seen.set(k, e);
      }
    }
  }
  return [...seen.values()].map((e) => {
    const known = getConditionKey(e.name);
    const catalog = known !== undefined ? CATALOG_TYPES[known.type] : undefined;
    if (catalog !== undefined) return { name: e.name, type: catalog, typeFrom: 'catalog' as const };
    const single = e.families.size === 1 ? [...e.families][0]! : 'string';
    return { name: e.name, type: e.multi ? (LIST_OF[single] ?? single) : single, typeFrom: 'operator' as const };
  });
}
