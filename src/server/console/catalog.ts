/**
 * Completions from the service catalog for the console's editors and request
 * form: service prefixes, actions of a service, condition keys (global ones,
 * a service's, and those the reference lists for given actions).
 */
import {
  conditionKeysForAction,
  getAction,
  getConditionKey,
  listActions,
  listConditionKeys,
  listGlobalConditionKeys,
  listServices,
  serviceName,
} from '../../catalog/catalog.js';
import { ok, type ApiInput, type ApiReply } from './types.js';

const LIMIT = 200;

export interface Completion {
  readonly label: string;
  /** What the label is: service, action (with its access level), or condition key (with its type). */
  readonly detail?: string;
}

function startsWith(value: string, prefix: string): boolean {
  return value.toLowerCase().startsWith(prefix.toLowerCase());
}

/**
 * `?prefix=s3:Get` → actions of s3 starting with Get; `?prefix=sage` →
 * service prefixes; `?service=s3` → every action of the service (for "select all").
 */
export function actions({ query }: ApiInput): ApiReply {
  const service = query.get('service');
  if (service !== null) {
    const s = service.trim().replace(/:.*$/, '').toLowerCase();
    return ok({ service: s, name: serviceName(s) ?? null, items: listActions(s).map((a) => ({ label: a, detail: getAction(a)?.accessLevel ?? 'action' })) });
  }
  const prefix = query.get('prefix') ?? '';
  const colon = prefix.indexOf(':');
  if (colon < 0) {
    const items = listServices()
      .filter((s) => startsWith(s, prefix))
      .slice(0, LIMIT)
      .map((s) => ({ label: `${s}:`, detail: serviceName(s) ?? 'service' }));
    return ok({ items });
  }
  const items: Completion[] = listActions(prefix.slice(0, colon))
    .filter((a) => startsWith(a, prefix))
    .slice(0, LIMIT)
    .map((a) => ({ label: a, detail: getAction(a)?.accessLevel ?? 'action' }));
  return ok({ items });
}

/**
 * `?prefix=aws:Req&actions=s3:PutObject,iam:PassRole` → condition keys
 * starting with the prefix: the actions' own keys first, then the global keys,
 * then the keys of the prefix's service.
 */
export function conditionKeys({ query }: ApiInput): ApiReply {
  const prefix = query.get('prefix') ?? '';
  const acts = (query.get('actions') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const seen = new Map<string, Completion>();
  const add = (key: string, why: string): void => {
    if (seen.has(key.toLowerCase()) || !startsWith(key, prefix)) return;
    seen.set(key.toLowerCase(), { label: key, detail: `${getConditionKey(key)?.type ?? 'key'} · ${why}` });
  };
  for (const a of acts) for (const k of conditionKeysForAction(a)) add(k, a);
  for (const k of listGlobalConditionKeys()) add(k, 'global');
  const colon = prefix.indexOf(':');
  if (colon > 0) for (const k of listConditionKeys(prefix.slice(0, colon))) add(k, prefix.slice(0, colon));
  return ok({ items: [...seen.values()].slice(0, LIMIT) });
}
