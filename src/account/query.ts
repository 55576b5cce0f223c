/**
 * Read-side helpers for the evaluator over an in-memory Universe (built from
 * the store's contents or straight from parsed files): principal lookup,
 * a principal's policies and boundary, the SCPs/RCPs on an account's path,
 * and the resource policy that governs a resource ARN.
 */
import { parseArn, type Arn } from '../primitives/arn.js';
import { derived } from '../primitives/lazy.js';
import type {
  Account,
  DocumentOrigin,
  Group,
  ManagedPolicyRef,
  Organization,
  OrgPolicy,
  OrgPolicyType,
  ResourcePolicy,
  Role,
  RoleSession,
  User,
} from './model.js';

export interface Universe {
  readonly accounts: ReadonlyMap<string, Account>;
  readonly organization?: Organization;
  readonly resourcePolicies: ReadonlyMap<string, ResourcePolicy>;
  readonly vpcEndpoints: ReadonlyMap<string, ResourcePolicy>;
}

export function createUniverse(contents: {
  readonly accounts: readonly Account[];
  readonly organization?: Organization;
  readonly resourcePolicies?: readonly ResourcePolicy[];
}): Universe {
  const resources = new Map<string, ResourcePolicy>();
  for (const a of contents.accounts) for (const rp of a.resourcePolicies) resources.set(rp.arn, rp);
  for (const rp of contents.resourcePolicies ?? []) resources.set(rp.arn, rp);
  const vpce = new Map<string, ResourcePolicy>();
  for (const rp of resources.values()) {
    const id = rp.attributes?.['vpcEndpointId'] ?? (rp.kind === 'vpc-endpoint' ? rp.arn.slice(rp.arn.lastIndexOf('/') + 1) : undefined);
    if (id) vpce.set(id, rp);
  }
  return {
    accounts: new Map(contents.accounts.map((a) => [a.id, a] as const)),
    resourcePolicies: resources,
    vpcEndpoints: vpce,
    ...(contents.organization ? { organization: contents.organization } : {}),
  };
}

export type ResolvedPrincipal =
  | { readonly kind: 'user'; readonly account: Account; readonly user: User }
  | { readonly kind: 'role'; readonly account: Account; readonly role: Role }
  | { readonly kind: 'assumed-role'; readonly account: Account; readonly role: Role; readonly session: RoleSession }
  | { readonly kind: 'root'; readonly accountId: string; readonly account?: Account };

/** ARN fields (one parser for the whole project: eval/match/arn.ts). */
export { parseArn };

/** Users, groups, roles or managed policies by ARN and by name (the first of each, as a search in list order finds). */
export interface EntityIndex<T> {
  readonly byArn: ReadonlyMap<string, T>;
  readonly byName: ReadonlyMap<string, T>;
}

interface Named {
  readonly arn: string;
  readonly name: string;
}

/**
 * A model's entity list indexed once (a lookup used to scan the list: every
 * role for every request on a role, every user for every principal). Made on
 * first use per list and dropped with it: the lists of an Account never change
 * once it is in a Universe (a changed model is made of new lists).
 */
const indexOf: (list: readonly Named[]) => EntityIndex<Named> = derived((list: readonly Named[]) => {
  const byArn = new Map<string, Named>();
  const byName = new Map<string, Named>();
  for (const e of list) {
    if (!byArn.has(e.arn)) byArn.set(e.arn, e);
    if (!byName.has(e.name)) byName.set(e.name, e);
  }
  return { byArn, byName };
});

/** The index of a model's list of users, groups, roles or managed policies. */
export function entityIndex<T extends Named>(list: readonly T[]): EntityIndex<T> {
  return indexOf(list) as EntityIndex<T>;
}

/** Exact ARN match; an ARN written without the entity's path also matches by name. */
function byArn<T extends Named>(list: readonly T[], arn: string, kind: string, resource: string, name: string): T | undefined {
  const index = entityIndex(list);
  return index.byArn.get(arn) ?? (resource === `${kind}/${name}` ? index.byName.get(name) : undefined);
}

/**
 * Finds the principal an ARN names. A session ARN
 * `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` resolves to its role (the
 * session ARN carries the role name without its path; IAM User Guide:
 * reference_identifiers). A bare 12-digit id or `:root` ARN is the account.
 */
export function findPrincipal(u: Universe, principalArn: string): ResolvedPrincipal | undefined {
  if (/^\d{12}$/.test(principalArn)) {
    const account = u.accounts.get(principalArn);
    return { kind: 'root', accountId: principalArn, ...(account ? { account } : {}) };
  }
  const arn = parseArn(principalArn);
  if (!arn) return undefined;
  const account = u.accounts.get(arn.account);
  if (arn.service === 'iam' && arn.resource === 'root') {
    return { kind: 'root', accountId: arn.account, ...(account ? { account } : {}) };
  }
  if (!account) return undefined;
  const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  if (arn.service === 'iam' && arn.resource.startsWith('user/')) {
    const user = byArn(account.users, principalArn, 'user', arn.resource, name);
    return user ? { kind: 'user', account, user } : undefined;
  }
  if (arn.service === 'iam' && arn.resource.startsWith('role/')) {
    const role = byArn(account.roles, principalArn, 'role', arn.resource, name);
    return role ? { kind: 'role', account, role } : undefined;
  }
  if (arn.service === 'sts' && arn.resource.startsWith('assumed-role/')) {
    const [, roleName, ...rest] = arn.resource.split('/');
    const sessionName = rest.join('/');
    if (!roleName || !sessionName) return undefined;
    const role = entityIndex(account.roles).byName.get(roleName);
    if (!role) return undefined;
    return {
      kind: 'assumed-role',
      account,
      role,
      session: { arn: principalArn, roleArn: role.arn, roleName, sessionName, accountId: account.id },
    };
  }
  return undefined;
}

export type PolicySource = 'inline' | 'managed' | 'group-inline' | 'group-managed';

/** One identity-based policy (or the boundary) of a principal, ready to parse. */
export interface PrincipalPolicy {
  /** Name for citing: the policy name (inline) or managed policy name. */
  readonly name: string;
  readonly document: string;
  readonly source: PolicySource;
  /** The user, group or role the policy is embedded in or attached to. */
  readonly ownerArn: string;
  readonly policyArn?: string;
  /** Default version id for managed policies. */
  readonly versionId?: string;
  readonly origin?: DocumentOrigin;
}

export interface PrincipalPolicies {
  readonly identity: readonly PrincipalPolicy[];
  readonly boundary?: PrincipalPolicy;
  /** Managed policies referenced but not present in the account (should not happen after import). */
  readonly missing: readonly string[];
}

function managedFrom(account: Account, ref: ManagedPolicyRef, owner: string, source: PolicySource, missing: string[]): PrincipalPolicy | undefined {
  const mp = entityIndex(account.managedPolicies).byArn.get(ref.arn);
  if (!mp) {
    missing.push(ref.arn);
    return undefined;
  }
  // Only the default version is evaluated (IAM User Guide: access_policies_managed-versioning).
  const version = mp.versions.find((v) => v.versionId === mp.defaultVersionId);
  return {
    name: mp.name,
    document: mp.document,
    source,
    ownerArn: owner,
    policyArn: mp.arn,
    versionId: mp.defaultVersionId,
    ...(version?.origin ? { origin: version.origin } : {}),
  };
}

function entityPolicies(
  account: Account,
  e: User | Group | Role,
  inline: PolicySource,
  managed: PolicySource,
  out: PrincipalPolicy[],
  missing: string[],
): void {
  for (const p of e.inlinePolicies) {
    out.push({ name: p.name, document: p.document, source: inline, ownerArn: e.arn, ...(p.origin ? { origin: p.origin } : {}) });
  }
  for (const ref of e.managedPolicies) {
    const mp = managedFrom(account, ref, e.arn, managed, missing);
    if (mp) out.push(mp);
  }
}

/**
 * All identity-based policies of a principal: its inline and attached managed
 * policies, and for a user those of each group it belongs to (IAM User Guide:
 * id_groups), plus its permissions boundary. A role session has its role's.
 */
export function principalPolicies(p: ResolvedPrincipal): PrincipalPolicies {
  const identity: PrincipalPolicy[] = [];
  const missing: string[] = [];
  if (p.kind === 'root') return { identity, missing };
  const entity = p.kind === 'user' ? p.user : p.role;
  entityPolicies(p.account, entity, 'inline', 'managed', identity, missing);
  if (p.kind === 'user') {
    for (const gname of p.user.groups) {
      const group = entityIndex(p.account.groups).byName.get(gname);
      if (group) entityPolicies(p.account, group, 'group-inline', 'group-managed', identity, missing);
      else missing.push(`group ${gname}`);
    }
  }
  let boundary: PrincipalPolicy | undefined;
  if (entity.permissionsBoundary) {
    const name = entity.permissionsBoundary.slice(entity.permissionsBoundary.lastIndexOf('/') + 1);
    boundary = managedFrom(p.account, { arn: entity.permissionsBoundary, name }, entity.arn, 'managed', missing);
  }
  return { identity, missing, ...(boundary ? { boundary } : {}) };
}

/** A group's own policies (inline and attached managed), as its members receive them. */
export function groupPolicies(account: Account, group: Group): PrincipalPolicies {
  const identity: PrincipalPolicy[] = [];
  const missing: string[] = [];
  entityPolicies(account, group, 'group-inline', 'group-managed', identity, missing);
  return { identity, missing };
}

export interface OrgLevel {
  readonly nodeId: string;
  readonly kind: 'root' | 'ou' | 'account';
  readonly name: string;
  readonly policies: readonly OrgPolicy[];
}

export interface OrgPolicyPath {
  readonly type: OrgPolicyType;
  /** False when the policy type is not enabled on the root (then it does not apply). */
  readonly enabled: boolean;
  /**
   * True for the management account: SCPs do not restrict its principals
   * (Organizations guide: orgs_manage_policies_scps) and RCPs do not restrict
   * its resources (Organizations guide: orgs_manage_policies_rcps).
   */
  readonly managementAccount: boolean;
  /** Root first, then each OU down to the account itself. */
  readonly levels: readonly OrgLevel[];
}

/**
 * The SCPs or RCPs on the path root → OU… → account. Undefined when there is
 * no organization or the account is not in it. Every level must allow an
 * action for it to be allowed (Organizations guide: orgs_manage_policies_inheritance_auth).
 */
export function orgPoliciesFor(u: Universe, accountId: string, type: OrgPolicyType): OrgPolicyPath | undefined {
  const org = u.organization;
  if (!org) return undefined;
  const account = org.accounts.find((a) => a.id === accountId);
  if (!account) return undefined;
  const chain: { id: string; kind: 'root' | 'ou' | 'account'; name: string }[] = [{ id: account.id, kind: 'account', name: account.name ?? account.id }];
  let parent = account.parentId;
  const seen = new Set<string>();
  while (parent !== org.root.id) {
    const ou = org.ous.find((o) => o.id === parent);
    if (!ou || seen.has(ou.id)) return undefined;
    seen.add(ou.id);
    chain.push({ id: ou.id, kind: 'ou', name: ou.name });
    parent = ou.parentId;
  }
  chain.push({ id: org.root.id, kind: 'root', name: org.root.name });
  chain.reverse();
  const levels = chain.map((n) => ({
    nodeId: n.id,
    kind: n.kind,
    name: n.name,
    policies: org.policies.filter((p) => p.type === type && p.targets.includes(n.id)),
  }));
  return {
    type,
    enabled: org.enabledPolicyTypes.includes(type),
    managementAccount: isManagementAccount(u, accountId),
    levels,
  };
}

export function isManagementAccount(u: Universe, accountId: string): boolean {
  return u.organization?.managementAccountId === accountId;
}

/** The organization an account belongs to, if any. */
export function organizationOf(u: Universe, accountId: string): Organization | undefined {
  return u.organization?.accounts.some((a) => a.id === accountId) ? u.organization : undefined;
}

export function vpcEndpointPolicy(u: Universe, vpcEndpointId: string): ResourcePolicy | undefined {
  return u.vpcEndpoints.get(vpcEndpointId);
}

/**
 * The resource-based policy governing a resource ARN: exact match first; an
 * S3 object ARN maps to its bucket's policy; a `vpce-...` id maps to the
 * endpoint's policy. KMS keys and ECR repositories match their ARN exactly.
 */
export function resourcePolicyFor(u: Universe, resource: string): ResourcePolicy | undefined {
  return policyOfParsed(u, resource, undefined);
}

/** resourcePolicyFor with the resource's ARN parsed already (`parsed`; undefined: parse it here if needed). */
function policyOfParsed(u: Universe, resource: string, parsed: Arn | null | undefined): ResourcePolicy | undefined {
  const exact = u.resourcePolicies.get(resource);
  if (exact) return exact;
  if (resource.startsWith('vpce-')) return vpcEndpointPolicy(u, resource);
  const arn = parsed === undefined ? parseArn(resource) : (parsed ?? undefined);
  if (!arn) return undefined;
  if (arn.service === 's3' && arn.account === '' && arn.resource.includes('/')) {
    const bucket = arn.resource.slice(0, arn.resource.indexOf('/'));
    return u.resourcePolicies.get(`arn:${arn.partition}:s3:::${bucket}`);
  }
  return undefined;
}

/** The account that owns a resource, when known (from its ARN or its stored policy). */
export function resourceAccount(u: Universe, resource: string): string | undefined {
  const fromArn = parseArn(resource)?.account;
  if (fromArn) return fromArn;
  return resourcePolicyFor(u, resource)?.accountId;
}

/** What the model says of a resource, its ARN parsed once: the resource-based policy governing it and its owner's account. */
export function resourceFacts(
  u: Universe,
  resource: string,
  parsed?: Arn | null,
): { readonly policy: ResourcePolicy | undefined; readonly account: string | undefined } {
  const arn = parsed !== undefined ? parsed : (parseArn(resource) ?? null);
  const policy = policyOfParsed(u, resource, arn);
  return { policy, account: arn?.account || policy?.accountId };
}
