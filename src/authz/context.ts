/**
 * Request-context keys that AWS itself puts in every request of a principal
 * (reference_policies_condition-keys.md): principal ARN, account, type, user
 * name, principal tags, organization id, whether the caller is a service, the
 * requested region and the resource's account. Values the caller supplied
 * always win; keys that depend on the request's transport or time
 * (aws:SecureTransport, aws:SourceIp, aws:CurrentTime, …) are never invented.
 */
import type { ContextValue } from '../eval/request.js';
import { accountOf } from '../eval/principal.js';
import type { StructuredRequest } from './request.js';
import type { ResolvedPrincipal, Universe } from '../account/query.js';
import { organizationOf } from '../account/query.js';

export function deriveContext(
  u: Universe,
  req: StructuredRequest,
  resolved: ResolvedPrincipal | undefined,
  ownerAccount: string | undefined,
  given: ReadonlyMap<string, ContextValue>,
): Map<string, ContextValue> {
  return withGiven(derivedKeys(u, req, resolved, ownerAccount), given);
}

/** The request's own context with the derived keys it does not set itself (the caller's values win). */
export function withGiven(derived: ReadonlyMap<string, ContextValue>, given: ReadonlyMap<string, ContextValue>): Map<string, ContextValue> {
  const out = new Map(given);
  for (const [k, v] of derived) if (!out.has(k)) out.set(k, v);
  return out;
}

/**
 * Only the keys AWS adds for this principal and resource (a function of them and the model: callers may reuse it).
 * The request's principal and resource are read as structured (authz/request.ts), not parsed again.
 */
export function derivedKeys(
  u: Universe,
  req: StructuredRequest,
  resolved: ResolvedPrincipal | undefined,
  ownerAccount: string | undefined,
): Map<string, ContextValue> {
  const principal = req.principal;
  const out = new Map<string, ContextValue>();
  const put = (key: string, value: string, type: ContextValue['type'] = 'string'): void => {
    const lower = key.toLowerCase();
    if (!out.has(lower)) out.set(lower, { key, type, values: [value], multivalued: false });
  };
  const caller = req.caller;
  if (caller.kind === 'service') {
    put('aws:PrincipalIsAWSService', 'true', 'boolean');
    put('aws:PrincipalServiceName', principal);
  } else if (caller.account !== undefined) {
    put('aws:PrincipalIsAWSService', 'false', 'boolean');
    put('aws:PrincipalAccount', caller.account);
    const org = organizationOf(u, caller.account);
    if (org?.id !== undefined) put('aws:PrincipalOrgID', org.id);
    if (resolved?.kind === 'user') {
      put('aws:PrincipalArn', resolved.user.arn, 'string');
      put('aws:PrincipalType', 'User');
      put('aws:username', resolved.user.name);
      for (const t of resolved.user.tags) put(`aws:PrincipalTag/${t.key}`, t.value);
    } else if (resolved?.kind === 'role' || resolved?.kind === 'assumed-role') {
      // For a role session, aws:PrincipalArn is the role's ARN, not the session's.
      put('aws:PrincipalArn', resolved.role.arn);
      put('aws:PrincipalType', 'AssumedRole');
      for (const t of resolved.role.tags) put(`aws:PrincipalTag/${t.key}`, t.value);
    } else if (resolved?.kind === 'root' || caller.kind === 'root') {
      put('aws:PrincipalArn', `arn:aws:iam::${caller.account}:root`);
      put('aws:PrincipalType', 'Account');
    }
  }
  const region = req.resourceArn?.region;
  if (region !== undefined && region !== '' && !region.includes('*')) put('aws:RequestedRegion', region);
  // The owner: the assembly's (the ARN's account, else the stored policy's, else the caller's), else the ARN's.
  const owner = ownerAccount ?? accountOf(req.resourceArn !== null ? req.resourceArn.account : req.resource);
  if (owner !== undefined) put('aws:ResourceAccount', owner);
  return out;
}
