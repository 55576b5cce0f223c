/**
 * Pure edits of an account's users, groups and roles, as IAM's write APIs make
 * them: each takes an Account and returns a new one (or throws EditError with
 * IAM's error code). Nothing here touches a store.
 */
import type { Account, Group, InlinePolicy, ManagedPolicyRef, Role, Tag, User } from '../model.js';
import { DEFAULT_MAX_SESSION_DURATION } from '../model.js';
import {
  checkInlinePolicyName,
  checkName,
  checkPath,
  checkPolicyDocument,
  checkTags,
  checkTrustPolicy,
  documentSize,
  EditError,
  mergeTags,
  QUOTAS,
  removeTags,
} from './rules.js';

export type EntityKind = 'user' | 'group' | 'role';
type Entity = User | Group | Role;

/** Time and id source, injected so edits stay pure and testable. */
export interface EditEnv {
  readonly now: string;
  /** A new unique id with IAM's prefix (AIDA users, AGPA groups, AROA roles, ANPA policies). */
  newId(prefix: 'AIDA' | 'AGPA' | 'AROA' | 'ANPA' | 'AIPA' | 'AKIA' | 'ASCA'): string;
}

const LIST: Record<EntityKind, 'users' | 'groups' | 'roles'> = { user: 'users', group: 'groups', role: 'roles' };
const NAME_MAX: Record<EntityKind, number> = { user: 64, group: 128, role: 64 };
const ID_PREFIX = { user: 'AIDA', group: 'AGPA', role: 'AROA' } as const;

/** An empty account, for the first entity created in an account the store does not hold yet. */
export function emptyAccount(id: string): Account {
  return { id, users: [], groups: [], roles: [], managedPolicies: [], resourcePolicies: [], sources: ['iamsim serve'] };
}

function entities(a: Account, kind: EntityKind): readonly Entity[] {
  return a[LIST[kind]];
}

/** The entity by name (IAM names are unique ignoring case, and looked up exactly). */
export function findEntity(a: Account, kind: EntityKind, name: string): Entity | undefined {
  return entities(a, kind).find((e) => e.name === name);
}

export function requireEntity(a: Account, kind: EntityKind, name: string): Entity {
  const e = findEntity(a, kind, name);
  if (e === undefined) throw new EditError('NoSuchEntity', `The ${kind} with name ${name} cannot be found.`);
  return e;
}

function replace(a: Account, kind: EntityKind, name: string, next: Entity | undefined): Account {
  const list = entities(a, kind);
  const out = next === undefined ? list.filter((e) => e.name !== name) : list.map((e) => (e.name === name ? next : e));
  return { ...a, [LIST[kind]]: out };
}

function update<E extends Entity>(a: Account, kind: EntityKind, name: string, fn: (e: E) => E): Account {
  return replace(a, kind, name, fn(requireEntity(a, kind, name) as E));
}

function checkNew(a: Account, kind: EntityKind, name: string, path: string): void {
  checkName(`${kind}Name`, name, NAME_MAX[kind]);
  checkPath(path);
  if (entities(a, kind).some((e) => e.name.toLowerCase() === name.toLowerCase())) {
    throw new EditError('EntityAlreadyExists', `${kind === 'user' ? 'User' : kind === 'group' ? 'Group' : 'Role'} with name ${name} already exists.`);
  }
}

function boundaryRef(a: Account, arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  if (!a.managedPolicies.some((p) => p.arn === arn) && !/^arn:[^:]+:iam::aws:policy\//.test(arn)) {
    throw new EditError('NoSuchEntity', `Scope ARN: ${arn} does not exist or is not attachable.`);
  }
  return arn;
}

export interface NewRole {
  readonly name: string;
  readonly path?: string;
  readonly trustPolicy: string;
  readonly description?: string;
  readonly maxSessionDuration?: number;
  readonly permissionsBoundary?: string;
  readonly tags?: readonly Tag[];
}

/** IAM API Reference, CreateRole / UpdateRole: MaxSessionDuration 3600–43200 seconds. */
function checkMaxSessionDuration(max: number): void {
  if (!Number.isInteger(max) || max < 3600 || max > 43200)
    throw new EditError(
      'ValidationError',
      `1 validation error detected: Value '${max}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`,
    );
}

/** IAM API Reference, CreateRole / UpdateRole: Description at most 1,000 characters. */
function checkRoleDescription(d: string | undefined): void {
  if (d !== undefined && d.length > 1000)
    throw new EditError(
      'ValidationError',
      "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000",
    );
}

/** UpdateRole / UpdateRoleDescription: the description and the maximum session duration, each when given. */
export function updateRole(
  a: Account,
  name: string,
  u: { readonly description?: string; readonly maxSessionDuration?: number },
): { account: Account; role: Role } {
  checkRoleDescription(u.description);
  if (u.maxSessionDuration !== undefined) checkMaxSessionDuration(u.maxSessionDuration);
  const account = update<Role>(a, 'role', name, (r) => ({
    ...r,
    ...(u.description !== undefined ? { description: u.description } : {}),
    ...(u.maxSessionDuration !== undefined ? { maxSessionDuration: u.maxSessionDuration } : {}),
  }));
  return { account, role: requireRole(account, name) };
}

export function createRole(a: Account, r: NewRole, env: EditEnv): { account: Account; role: Role } {
  const path = r.path ?? '/';
  checkNew(a, 'role', r.name, path);
  checkTrustPolicy(r.trustPolicy);
  const max = r.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION;
  checkMaxSessionDuration(max);
  checkRoleDescription(r.description);
  checkTags(r.tags ?? [], (r.tags ?? []).length);
  const boundary = boundaryRef(a, r.permissionsBoundary);
  const role: Role = {
    arn: `arn:aws:iam::${a.id}:role${path}${r.name}`,
    name: r.name,
    path,
    id: env.newId(ID_PREFIX.role),
    createDate: env.now,
    trustPolicy: r.trustPolicy,
    inlinePolicies: [],
    managedPolicies: [],
    tags: r.tags ?? [],
    maxSessionDuration: max,
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
  };
  return { account: { ...a, roles: [...a.roles, role] }, role };
}

export function createUser(
  a: Account,
  u: { name: string; path?: string; permissionsBoundary?: string; tags?: readonly Tag[] },
  env: EditEnv,
): { account: Account; user: User } {
  const path = u.path ?? '/';
  checkNew(a, 'user', u.name, path);
  checkTags(u.tags ?? [], (u.tags ?? []).length);
  const boundary = boundaryRef(a, u.permissionsBoundary);
  const user: User = {
    arn: `arn:aws:iam::${a.id}:user${path}${u.name}`,
    name: u.name,
    path,
    id: env.newId(ID_PREFIX.user),
    createDate: env.now,
    groups: [],
    inlinePolicies: [],
    managedPolicies: [],
    tags: u.tags ?? [],
    ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
  };
  return { account: { ...a, users: [...a.users, user] }, user };
}

export function createGroup(a: Account, g: { name: string; path?: string }, env: EditEnv): { account: Account; group: Group } {
  const path = g.path ?? '/';
  checkNew(a, 'group', g.name, path);
  const group: Group = {
    arn: `arn:aws:iam::${a.id}:group${path}${g.name}`,
    name: g.name,
    path,
    id: env.newId(ID_PREFIX.group),
    createDate: env.now,
    inlinePolicies: [],
    managedPolicies: [],
  };
  return { account: { ...a, groups: [...a.groups, group] }, group };
}

/** The role is in an instance profile (imported: its InstanceProfileList; created: a profile's roles). */
function inInstanceProfile(a: Account, r: Role): boolean {
  return (r.instanceProfiles ?? []).length > 0 || (a.instanceProfiles ?? []).some((p) => p.roles.includes(r.name));
}

/** IAM refuses to delete a user that still has access keys, a login profile or an MFA device (DeleteUser: DeleteConflict). */
function checkNoCredentials(a: Account, userName: string): void {
  if ((a.accessKeys ?? []).some((k) => k.userName === userName)) throw new EditError('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
  if ((a.loginProfiles ?? []).some((p) => p.userName === userName))
    throw new EditError('DeleteConflict', 'Cannot delete entity, must delete login profile first.');
  if ((a.virtualMfaDevices ?? []).some((d) => d.userName === userName))
    throw new EditError('DeleteConflict', 'Cannot delete entity, must delete MFA device first.');
}

/** IAM refuses to delete an entity that still has policies (or, for a group, members). */
export function deleteEntity(a: Account, kind: EntityKind, name: string): Account {
  const e = requireEntity(a, kind, name);
  if (e.inlinePolicies.length > 0) throw new EditError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
  if (e.managedPolicies.length > 0) throw new EditError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  if (kind === 'group' && a.users.some((u) => u.groups.includes(name)))
    throw new EditError('DeleteConflict', 'Cannot delete entity, must remove users from group first.');
  if (kind === 'user' && (e as User).groups.length > 0) throw new EditError('DeleteConflict', 'Cannot delete entity, must remove user from all groups first.');
  if (kind === 'user') checkNoCredentials(a, name);
  if (kind === 'role' && inInstanceProfile(a, e as Role))
    throw new EditError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.');
  return replace(a, kind, name, undefined);
}

export function updateAssumeRolePolicy(a: Account, roleName: string, document: string): Account {
  requireEntity(a, 'role', roleName);
  checkTrustPolicy(document);
  return update<Role>(a, 'role', roleName, (r) => {
    const { trustPolicyOrigin: _drop, ...rest } = r;
    return { ...rest, trustPolicy: document };
  });
}

function inlineSize(list: readonly InlinePolicy[]): number {
  return list.reduce((n, p) => n + documentSize(p.document), 0);
}

export function putInlinePolicy(a: Account, kind: EntityKind, name: string, policyName: string, document: string): Account {
  const e = requireEntity(a, kind, name);
  checkInlinePolicyName(policyName);
  checkPolicyDocument(document, 'identity');
  const others = e.inlinePolicies.filter((p) => p.name !== policyName);
  const limit = QUOTAS.inlineAggregate[kind];
  if (inlineSize(others) + documentSize(document) > limit) {
    throw new EditError('LimitExceeded', `Maximum policy size of ${limit} bytes exceeded for ${kind} ${name}`);
  }
  const had = e.inlinePolicies.some((p) => p.name === policyName);
  const next: InlinePolicy = { name: policyName, document };
  const list = had ? e.inlinePolicies.map((p) => (p.name === policyName ? next : p)) : [...e.inlinePolicies, next];
  return replace(a, kind, name, { ...e, inlinePolicies: list });
}

export function deleteInlinePolicy(a: Account, kind: EntityKind, name: string, policyName: string): Account {
  const e = requireEntity(a, kind, name);
  if (!e.inlinePolicies.some((p) => p.name === policyName)) throw new EditError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
  return replace(a, kind, name, { ...e, inlinePolicies: e.inlinePolicies.filter((p) => p.name !== policyName) });
}

export function tagEntity(a: Account, kind: 'user' | 'role', name: string, tags: readonly Tag[]): Account {
  return update<User | Role>(a, kind, name, (e) => ({ ...e, tags: mergeTags(e.tags, tags) }));
}

export function untagEntity(a: Account, kind: 'user' | 'role', name: string, keys: readonly string[]): Account {
  return update<User | Role>(a, kind, name, (e) => ({ ...e, tags: removeTags(e.tags, keys) }));
}

export function addUserToGroup(a: Account, groupName: string, userName: string): Account {
  requireEntity(a, 'group', groupName);
  return update<User>(a, 'user', userName, (u) => {
    if (u.groups.includes(groupName)) return u;
    if (u.groups.length >= QUOTAS.groupsPerUser) throw new EditError('LimitExceeded', `Cannot exceed quota for GroupsPerUser: ${QUOTAS.groupsPerUser}`);
    return { ...u, groups: [...u.groups, groupName] };
  });
}

export function removeUserFromGroup(a: Account, groupName: string, userName: string): Account {
  requireEntity(a, 'group', groupName);
  return update<User>(a, 'user', userName, (u) => {
    if (!u.groups.includes(groupName)) throw new EditError('NoSuchEntity', `The user with name ${userName} cannot be found in group ${groupName}.`);
    return { ...u, groups: u.groups.filter((g) => g !== groupName) };
  });
}

export function setPermissionsBoundary(a: Account, kind: 'user' | 'role', name: string, arn: string | undefined): Account {
  const ref = boundaryRef(a, arn);
  return update<User | Role>(a, kind, name, (e) => {
    const { permissionsBoundary: _old, ...rest } = e;
    return ref === undefined ? rest : { ...rest, permissionsBoundary: ref };
  });
}

/** Replaces an entity's attached-policy list (used by managed.ts's attach/detach). */
export function setAttached(a: Account, kind: EntityKind, name: string, refs: readonly ManagedPolicyRef[]): Account {
  return update<Entity>(a, kind, name, (e) => ({ ...e, managedPolicies: refs }));
}

export const requireRole = (a: Account, name: string): Role => requireEntity(a, 'role', name) as Role;
export const requireUser = (a: Account, name: string): User => requireEntity(a, 'user', name) as User;
export const requireGroup = (a: Account, name: string): Group => requireEntity(a, 'group', name) as Group;
