/**
 * Risk categories of account auditors as security warnings (cloudsplaining's
 * "credentials exposure", "data exfiltration" and "resource exposure";
 * parliament's community auditors of the same names): an Allow that grants,
 * on every resource of its type, an action that hands out secrets, returns
 * stored data, or changes who may access a resource. The categories are
 * defined once, for lint and audit alike, in src/catalog/risk-categories.ts
 * (docs/risk-categories.md: where each list comes from).
 */
import type { Catalog } from '../catalog/catalog-object.js';
import { isCredentialAction, isDataExfiltrationAction, isResourceExposureAction } from '../catalog/risk-categories.js';
import { parseArn } from '../primitives/arn.js';
import type { Statement } from '../policy/model.js';
import type { LintContext } from './context.js';
import { listForMessage } from './context.js';
import { anyCovers, expand } from './expand.js';
import type { IssueCode } from './registry.js';

export { CREDENTIAL_ACTIONS, DATA_ACTIONS, SHARING_ACTIONS, isCredentialAction, isResourceExposureAction } from '../catalog/risk-categories.js';

/**
 * Does the resource entry name every resource the action can be authorized
 * against: "*", or, for one of the action's resource types, the type's ARN
 * format with every name part a wildcard (`user/*`; for S3 objects bucket and key both `*`)?
 */
export function isUnrestrictedFor(action: string, resource: string, catalog: Catalog): boolean {
  if (resource === '*') return true;
  const rest = parseArn(resource)?.resource;
  if (rest === undefined) return false;
  if (rest === '*') return true;
  return catalog.resourceTypesForAction(action).some((t) => parseArn(t.arnFormat)?.resource.replace(/\$\{[^}]+\}/g, '*') === rest);
}

/**
 * The statement grants the action on every resource, with no Condition narrowing it (a condition counts as a restriction).
 * An action the service authorization reference lists with no resource type supports only `"Resource": "*"`
 * (ecr:GetAuthorizationToken, sts:GetCallerIdentity…): granting it on `*` is the only way to grant it, so it is
 * never reported — a finding must not ask for a scoping the action does not support.
 */
function unrestricted(s: Statement, action: string, catalog: Catalog): boolean {
  if (s.conditions.length > 0) return false;
  if (catalog.resourceTypesForAction(action).length === 0) return false;
  return s.notResource !== undefined || (s.resource?.values.some((r) => isUnrestrictedFor(action, r, catalog)) ?? false);
}

interface Category {
  readonly code: IssueCode;
  readonly test: (action: string) => boolean;
  /** What the actions do: [one action, several actions]. */
  readonly what: readonly [string, string];
}

const CATEGORIES: readonly Category[] = [
  {
    code: 'CREDENTIALS_EXPOSURE',
    test: isCredentialAction,
    what: ['it returns', 'they return'].map((v) => `${v} passwords, keys, tokens or temporary credentials`) as [string, string],
  },
  {
    code: 'DATA_EXFILTRATION',
    test: isDataExfiltrationAction,
    what: ['it returns', 'they return'].map((v) => `${v} stored data (objects, secret and parameter values, items, messages, records)`) as [string, string],
  },
  {
    code: 'RESOURCE_EXPOSURE',
    test: isResourceExposureAction,
    what: ['it changes', 'they change'].map((v) => `${v} who may access resources (resource policies, grants, ACLs, shares)`) as [string, string],
  },
];

/** Actions of the list an entry grants: itself, or the catalog's expansion of a pattern ("*" is left to SENSITIVE_SERVICE_WILDCARD). */
function granted(entry: string, test: (a: string) => boolean, catalog: Catalog): string[] {
  if (!/[*?]/.test(entry)) return test(entry) ? [catalog.canonicalActionName(entry) ?? entry] : [];
  return (expand(entry, catalog) ?? []).filter(test);
}

export function checkExposure(ctx: LintContext): void {
  // In a resource-based policy "Resource": "*" means the resource the policy is attached to.
  if (ctx.type !== 'identity') return;
  // An unconditional Deny on every resource takes the action away (policy evaluation logic).
  const denied = ctx.policy.statements
    .filter((d) => d.effect === 'Deny' && d.action && d.conditions.length === 0 && d.resource?.values.includes('*'))
    .flatMap((d) => d.action?.values ?? []);
  for (const s of ctx.policy.statements) {
    if (s.effect !== 'Allow' || !s.action) continue;
    const action = s.action;
    for (const cat of CATEGORIES) {
      const hits = action.values
        .map((v, i) => ({ i, actions: granted(v, cat.test, ctx.catalog).filter((a) => unrestricted(s, a, ctx.catalog) && !anyCovers(denied, a)) }))
        .filter((h) => h.actions.length > 0);
      const first = hits[0];
      if (!first) continue;
      const names = [...new Set(hits.flatMap((h) => h.actions))];
      ctx.report(
        cat.code,
        `Allows ${listForMessage(names)} on every resource of ${names.length > 1 ? 'their types' : 'its type'}: ${cat.what[names.length > 1 ? 1 : 0]}; ` +
          'limit Resource to the resources that need it or add conditions',
        action.spans[first.i] ?? s.span,
        ctx.valuePath(s, 'Action', action, first.i),
      );
    }
  }
}
