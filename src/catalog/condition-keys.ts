/**
 * Condition keys: the global ones (`aws:*` and a few service-named session
 * keys the package lists as global) and each service's own keys, including
 * templated keys such as `aws:RequestTag/${TagKey}` or
 * `s3:ExistingObjectTag/<key>`. Condition key names are case-insensitive
 * (IAM JSON policy elements: Condition).
 */
import { getAction, resourceTypesForAction } from './actions.js';
import { rawConditionKeys, rawConditionPatterns, rawGlobalConditionKeys, rawUnassociatedConditions, type RawConditionKey } from './data.js';
import { canonicalService, suggestServices } from './services.js';
import { editDistance, nearest, suggestionLimit } from './text.js';
import type { ConditionKeyInfo } from './types.js';
import { lazy, lazyTable } from '../primitives/lazy.js';

const TEMPLATE_PART = /\$\{[^}]*\}|<[^>]*>/g;

export function isTemplatedKey(key: string): boolean {
  return /\$\{[^}]*\}|<[^>]*>/.test(key);
}

/**
 * `s3:ExistingObjectTag/<key>` → /^s3:ExistingObjectTag\/.+$/i (each variable part non-empty).
 * A constant table: templates are the catalog's keys only.
 */
export const templateRegExp: (template: string) => RegExp = lazyTable((template: string): RegExp => {
  const literals = template.split(TEMPLATE_PART).map((s) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'));
  return new RegExp(`^${literals.join('.+')}$`, 'is');
});

interface GlobalTables {
  readonly exact: Map<string, ConditionKeyInfo>;
  /** Lower-case text before `/` → templated key. */
  readonly byPrefix: Map<string, ConditionKeyInfo>;
  readonly all: readonly ConditionKeyInfo[];
}

/**
 * The package writes its variable global keys as `aws:PrincipalTag/tag-key`
 * while the per-service files write `aws:PrincipalTag/${TagKey}`; the
 * catalog reports the latter spelling so both sources agree.
 */
const globals: () => GlobalTables = lazy(() => {
  const exact = new Map<string, ConditionKeyInfo>();
  const byPrefix = new Map<string, ConditionKeyInfo>();
  const all: ConditionKeyInfo[] = [];
  for (const g of rawGlobalConditionKeys()) {
    const slash = g.key.indexOf('/');
    const templated = slash !== -1;
    const key = templated && g.key.slice(slash + 1) === 'tag-key' ? `${g.key.slice(0, slash)}/\${TagKey}` : g.key;
    const info = withDescription({ key, type: g.type, global: true, templated }, g.description);
    all.push(info);
    if (templated) byPrefix.set(g.key.slice(0, slash).toLowerCase(), info);
    else exact.set(key.toLowerCase(), info);
  }
  return { exact, byPrefix, all };
});

function withDescription(info: ConditionKeyInfo, description: string | undefined): ConditionKeyInfo {
  return description !== undefined && description !== '' ? { ...info, description } : info;
}

function findGlobal(lower: string): ConditionKeyInfo | undefined {
  const g = globals();
  const hit = g.exact.get(lower);
  if (hit !== undefined) return hit;
  const slash = lower.indexOf('/');
  if (slash === -1 || slash === lower.length - 1) return undefined;
  return g.byPrefix.get(lower.slice(0, slash));
}

/** The package's conditionPatterns entries are regular-expression sources (a constant table over them). */
const patternRegExp = lazyTable((source: string): RegExp => new RegExp(`^${source}$`, 'is'));

/** Finds a key in one service's file: exact, then the package's patterns, then any template. */
function findInService(service: string, lower: string): RawConditionKey | undefined {
  const table = rawConditionKeys(service);
  const exact = table[lower];
  if (exact !== undefined) return exact;
  const prefix = lower.slice(0, lower.indexOf(':'));
  for (const [source, template] of Object.entries(rawConditionPatterns()[prefix] ?? {})) {
    if (patternRegExp(source).test(lower)) {
      const hit = table[template.toLowerCase()];
      if (hit !== undefined) return hit;
    }
  }
  for (const raw of Object.values(table)) {
    if (isTemplatedKey(raw.key) && templateRegExp(raw.key).test(lower)) return raw;
  }
  return undefined;
}

/** Services whose files may define keys with this prefix (some prefixes, e.g. `saml`, are no service). */
function servicesForPrefix(prefix: string): string[] {
  const svc = canonicalService(prefix);
  if (svc !== undefined) return [svc];
  const table = rawUnassociatedConditions();
  const direct = Object.entries(table).find(([p]) => p.toLowerCase() === prefix);
  if (direct !== undefined) return [...direct[1]];
  const out = new Set<string>();
  for (const [p, services] of Object.entries(table)) {
    if (isTemplatedKey(p) && templateRegExp(p).test(prefix)) for (const s of services) out.add(s);
  }
  return [...out];
}

/**
 * Looks a condition key up case-insensitively: global keys first, then the
 * files of the key's service (or, for prefixes such as `saml` or
 * `token.actions.githubusercontent.com`, the services that define them), and
 * first of all the action's own service when `action` is given.
 */
/**
 * Keys whose value type the service's own guide documents differently from
 * the reference data: Cognito's `amr` claim is "the multi-value amr claim"
 * (Amazon Cognito Developer Guide, role-trust-and-permissions: "one of the
 * array members of the multi-value amr claim"), which its trust policies test
 * with ForAnyValue:StringLike.
 */
const DOCUMENTED_TYPES: Readonly<Record<string, string>> = {
  'cognito-identity.amazonaws.com:amr': 'ArrayOfString',
};

export function getConditionKey(key: string, action?: string): ConditionKeyInfo | undefined {
  const lower = key.toLowerCase();
  const colon = lower.indexOf(':');
  if (colon <= 0) return undefined;
  const actionService = action === undefined ? undefined : getAction(action)?.service;
  const global = findGlobal(lower);
  if (global !== undefined) {
    if (global.description !== undefined || actionService === undefined) return global;
    const local = findInService(actionService, lower);
    return withDescription(global, local?.description);
  }
  const services = servicesForPrefix(lower.slice(0, colon));
  if (actionService !== undefined && !services.includes(actionService)) services.unshift(actionService);
  for (const svc of services) {
    const raw = findInService(svc, lower);
    if (raw !== undefined) {
      const type = DOCUMENTED_TYPES[raw.key.toLowerCase()] ?? raw.type;
      const info: ConditionKeyInfo = { key: raw.key, type, global: false, templated: isTemplatedKey(raw.key) };
      return withDescription(info, raw.description);
    }
  }
  return undefined;
}

/** Canonical keys of the package's global condition keys. */
export function listGlobalConditionKeys(): readonly string[] {
  return globals().all.map((g) => g.key);
}

/** All condition keys defined in a service's file (canonical spelling). */
export function listConditionKeys(service: string): readonly string[] {
  const svc = canonicalService(service);
  return svc === undefined ? [] : Object.values(rawConditionKeys(svc)).map((k) => k.key);
}

/**
 * Keys the reference lists for an action: on the action itself, on its rows
 * per resource type, and on those resource types. Sorted, unique.
 */
export function conditionKeysForAction(action: string): readonly string[] {
  const info = getAction(action);
  if (info === undefined) return [];
  const keys = new Map<string, string>();
  const add = (k: string): void => {
    if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k);
  };
  info.conditionKeys?.forEach(add);
  for (const rt of info.resourceTypes) (rt.conditionKeys ?? []).forEach(add);
  for (const rt of resourceTypesForAction(action)) rt.conditionKeys?.forEach(add);
  return [...keys.values()].sort();
}

/**
 * Does the reference make `key` available for `action`? True for the global
 * keys and for keys (or templates) in conditionKeysForAction; false for an
 * unknown action.
 */
export function actionSupportsConditionKey(action: string, key: string): boolean {
  if (getAction(action) === undefined) return false;
  const lower = key.toLowerCase();
  if (findGlobal(lower) !== undefined) return true;
  return conditionKeysForAction(action).some((k) => k.toLowerCase() === lower || (isTemplatedKey(k) && templateRegExp(k).test(lower)));
}

/**
 * "Did you mean" for an unknown condition key: nearest global keys and keys
 * of the key's service (or of the nearest service for an unknown prefix).
 * Templated candidates are compared on their fixed part and keep the
 * caller's variable part: `aws:RequestTags/Team` → `aws:RequestTag/Team`.
 */
export function suggestConditionKeys(key: string, max = 3): readonly string[] {
  const colon = key.indexOf(':');
  if (colon <= 0)
    return nearest(
      key,
      listGlobalConditionKeys().filter((k) => !isTemplatedKey(k)),
      max,
    );
  const prefix = key.slice(0, colon).toLowerCase();
  let services = servicesForPrefix(prefix);
  if (services.length === 0 && prefix !== 'aws') services = [...suggestServices(prefix, 1)];
  const candidates = new Set<string>(listGlobalConditionKeys());
  for (const svc of services) for (const k of listConditionKeys(svc)) candidates.add(k);
  const slash = key.indexOf('/');
  const head = slash === -1 ? key : key.slice(0, slash);
  const tail = slash === -1 ? '' : key.slice(slash);
  const scored = new Map<string, number>();
  for (const c of candidates) {
    let word = key;
    let target = c;
    let out = c;
    if (isTemplatedKey(c)) {
      const cs = c.indexOf('/');
      if (cs === -1 || isTemplatedKey(c.slice(0, cs))) continue;
      word = head;
      target = c.slice(0, cs);
      // Without a variable part of their own, offer the template itself.
      out = tail.length > 1 ? target + tail : c;
    }
    const limit = suggestionLimit(word);
    const d = editDistance(word, target, limit);
    if (d > limit || out.toLowerCase() === key.toLowerCase()) continue;
    const prev = scored.get(out);
    if (prev === undefined || d < prev) scored.set(out, d);
  }
  return [...scored.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([k]) => k);
}
