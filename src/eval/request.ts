/**
 * The request context that eval/ decides on. Condition key names are
 * case-insensitive, so `context` is keyed by the lower-cased key name.
 */

/** AWS's ContextKeyType values (SimulateCustomPolicy ContextEntries). */
export type ContextKeyType =
  | 'string'
  | 'stringList'
  | 'numeric'
  | 'numericList'
  | 'boolean'
  | 'booleanList'
  | 'ip'
  | 'ipList'
  | 'binary'
  | 'binaryList'
  | 'date'
  | 'dateList';

export const CONTEXT_KEY_TYPES: readonly ContextKeyType[] = [
  'string',
  'stringList',
  'numeric',
  'numericList',
  'boolean',
  'booleanList',
  'ip',
  'ipList',
  'binary',
  'binaryList',
  'date',
  'dateList',
];

export interface ContextValue {
  /** The key as the caller spelled it (for messages). */
  readonly key: string;
  readonly type: ContextKeyType;
  /** All values; a single-valued key has exactly one. */
  readonly values: readonly string[];
  /** True for the *List types: the key is multivalued even with one value. */
  readonly multivalued: boolean;
}

/** Context keyed by lower-cased condition key name. */
export type RequestContextMap = ReadonlyMap<string, ContextValue>;

export interface RequestContext {
  /**
   * Who is calling: an IAM ARN (user, role, assumed-role session, federated
   * user, account root), a service principal such as
   * `sagemaker.amazonaws.com`, or `anonymous`. May be undefined when the
   * caller is unspecified (identity policies are then evaluated alone).
   */
  readonly principal?: string;
  /** `service:Action`, any case. */
  readonly action: string;
  /** Resource ARN, or `*`. */
  readonly resource: string;
  /**
   * Account id that owns the resource, when known (from the ARN, or AWS's
   * ResourceOwner for ARNs without one). Overrides EvaluationInput.resourceOwnerAccount.
   */
  readonly resourceOwner?: string;
  readonly context: RequestContextMap;
}

/** Lower-cases context keys and classifies *List types as multivalued. */
export function makeContext(entries: readonly { key: string; type: ContextKeyType; values: readonly string[] }[]): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>();
  for (const e of entries) {
    map.set(e.key.toLowerCase(), {
      key: e.key,
      type: e.type,
      values: e.values,
      multivalued: e.type.endsWith('List'),
    });
  }
  return map;
}
