/** Actions and resource types of the Service Authorization Reference. */
import { arnPatternCanMatchFormat, formatSpecificity } from './arn.js';
import { rawActions, rawResourceTypes } from './data.js';
import { canonicalService, listServices, suggestServices } from './services.js';
import { compileWildcard, hasWildcards } from '../primitives/wildcard.js';
import { nearest, suggestionLimit } from './text.js';
import type { ActionInfo, ResourceTypeInfo } from './types.js';
import { lazyTable } from '../primitives/lazy.js';

/** Splits `svc:Action` at the first colon; undefined without one. */
export function splitAction(action: string): { service: string; name: string } | undefined {
  const colon = action.indexOf(':');
  if (colon <= 0) return undefined;
  return { service: action.slice(0, colon), name: action.slice(colon + 1) };
}

/** A known service's actions by lower-case name (a constant table over the catalog's services). */
const serviceActions = lazyTable((service: string): ReadonlyMap<string, ActionInfo> => {
  const infos = new Map<string, ActionInfo>();
  for (const [lower, raw] of Object.entries(rawActions(service))) {
    infos.set(lower, {
      service,
      name: raw.name,
      accessLevel: raw.accessLevel,
      resourceTypes: raw.resourceTypes.map((rt) => ({
        name: rt.name,
        required: rt.required,
        conditionKeys: rt.conditionKeys,
        dependentActions: rt.dependentActions,
      })),
      conditionKeys: raw.conditionKeys,
      dependentActions: raw.dependentActions,
    });
  }
  return infos;
});

/**
 * Looks an action up case-insensitively (`SageMaker:createEndpoint`); the
 * result carries canonical spelling. Unknown services/actions give undefined.
 * Each call looks afresh (about 0.4 µs); a caller that asks for the same names
 * again and again (a batch, a lint run, an audit) asks its `Catalog`
 * (catalog/catalog-object.ts), which remembers the answers.
 */
export function getAction(action: string): ActionInfo | undefined {
  const parts = splitAction(action);
  if (parts === undefined) return undefined;
  const svc = canonicalService(parts.service);
  if (svc === undefined) return undefined;
  return serviceActions(svc).get(parts.name.toLowerCase());
}

/** Canonical `svc:Action` spelling of a known action, else undefined. */
export function canonicalActionName(action: string, lookup: (action: string) => ActionInfo | undefined = getAction): string | undefined {
  const info = lookup(action);
  return info === undefined ? undefined : `${info.service}:${info.name}`;
}

/** All actions of a service as canonical `svc:Name`, sorted; empty if unknown. */
export function listActions(service: string): readonly string[] {
  const svc = canonicalService(service);
  if (svc === undefined) return [];
  return actionList(svc);
}

/** A known service's actions as sorted canonical names (a constant table over the catalog's services). */
const actionList = lazyTable((svc: string): readonly string[] => Object.freeze([...serviceActions(svc).values()].map((a) => `${svc}:${a.name}`).sort()));

/**
 * Expands an Action pattern to the canonical names of the actions it covers.
 * Matching is case-insensitive with `*` and `?` (IAM JSON policy elements:
 * Action). Only the services the pattern can name are loaded: when the part
 * before the first colon has no `*`, it selects the services by itself.
 * Each call expands afresh; a `Catalog` remembers expansions.
 */
export function expandActionPattern(pattern: string, lookup: (action: string) => ActionInfo | undefined = getAction): readonly string[] {
  if (!hasWildcards(pattern)) {
    const name = canonicalActionName(pattern, lookup);
    return Object.freeze(name === undefined ? [] : [name]);
  }
  const matches = compileWildcard(pattern, true);
  const colon = pattern.indexOf(':');
  let candidates: readonly string[];
  if (colon > 0 && !pattern.slice(0, colon).includes('*')) {
    const serviceMatches = compileWildcard(pattern.slice(0, colon), true);
    candidates = listServices().filter(serviceMatches);
  } else {
    candidates = listServices();
  }
  const out: string[] = [];
  for (const svc of candidates) {
    for (const name of listActions(svc)) if (matches(name)) out.push(name);
  }
  return Object.freeze(out);
}

/**
 * "Did you mean" for an unknown action: within a known service, the nearest
 * action names by edit distance; for an unknown service, the nearest service
 * prefixes, each paired with the action name when that service has it (or a
 * close spelling of it), else the bare prefix. Never throws; may be empty.
 */
export function suggestActions(action: string, max = 3): readonly string[] {
  const parts = splitAction(action);
  if (parts === undefined) return [];
  const svc = canonicalService(parts.service);
  if (svc !== undefined) return nearActions(svc, parts.name, max);
  const out: string[] = [];
  for (const candidate of suggestServices(parts.service, max)) {
    if (out.length >= max) break;
    const inService = nearActions(candidate, parts.name, 1);
    out.push(inService[0] ?? candidate);
  }
  return out;
}

function nearActions(svc: string, name: string, max: number): string[] {
  if (name === '' || hasWildcards(name)) return [];
  const byName = new Map<string, string>();
  for (const info of serviceActions(svc).values()) byName.set(info.name, `${svc}:${info.name}`);
  return nearest(name, byName.keys(), max, suggestionLimit(name)).map((n) => byName.get(n) as string);
}

/** A known service's resource types by lower-case key (a constant table over the catalog's services). */
const serviceResourceTypes = lazyTable((service: string): ReadonlyMap<string, ResourceTypeInfo> => {
  const types = new Map<string, ResourceTypeInfo>();
  for (const [lower, raw] of Object.entries(rawResourceTypes(service))) {
    types.set(lower, { service, key: raw.key, arnFormat: raw.arn, conditionKeys: raw.conditionKeys });
  }
  return types;
});

/** A service's resource type by key (case-insensitive). */
export function getResourceType(service: string, key: string): ResourceTypeInfo | undefined {
  const svc = canonicalService(service);
  if (svc === undefined) return undefined;
  return serviceResourceTypes(svc).get(key.toLowerCase());
}

/** All resource types of a service. */
export function listResourceTypes(service: string): readonly ResourceTypeInfo[] {
  const svc = canonicalService(service);
  return svc === undefined ? [] : [...serviceResourceTypes(svc).values()];
}

/**
 * The resource types an action names, with their required flag; empty for an
 * unknown action or one that supports only `"Resource": "*"`.
 */
export function resourceTypesForAction(
  action: string,
  lookup: (action: string) => ActionInfo | undefined = getAction,
): readonly (ResourceTypeInfo & { required: boolean })[] {
  const info = lookup(action);
  if (info === undefined) return [];
  const out: (ResourceTypeInfo & { required: boolean })[] = [];
  for (const rt of info.resourceTypes) {
    const type = serviceResourceTypes(info.service).get(rt.name.toLowerCase());
    if (type !== undefined) out.push({ ...type, required: rt.required });
  }
  return out;
}

/**
 * Which of the action's resource types an ARN (or ARN pattern) fits. When it
 * fits several, the one with the most literal text in its format wins (an
 * object ARN also fits `${BucketName}` since a placeholder in the resource
 * segment may contain `/`); ties keep the reference's order.
 */
export function resourceTypeOfArn(
  action: string,
  arn: string,
  types: readonly (ResourceTypeInfo & { required: boolean })[] = resourceTypesForAction(action),
  canMatch: (pattern: string, arnFormat: string) => boolean = arnPatternCanMatchFormat,
): ResourceTypeInfo | undefined {
  let best: ResourceTypeInfo | undefined;
  let bestScore = -1;
  for (const rt of types) {
    if (!canMatch(arn, rt.arnFormat)) continue;
    const score = formatSpecificity(rt.arnFormat);
    if (score > bestScore) {
      const { required: _required, ...plain } = rt;
      best = plain;
      bestScore = score;
    }
  }
  return best;
}
