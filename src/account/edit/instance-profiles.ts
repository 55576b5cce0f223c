/**
 * Pure edits of an account's instance profiles, as IAM's instance-profile
 * APIs make them (IAM API Reference: CreateInstanceProfile,
 * DeleteInstanceProfile, AddRoleToInstanceProfile,
 * RemoveRoleFromInstanceProfile, TagInstanceProfile; IAM User Guide, "IAM and
 * AWS STS quotas": 1,000 instance profiles per account, one role per
 * instance profile). A profile known only from an import (a role's
 * InstanceProfileList) is listed too, and becomes an entity on its first edit.
 */
import type { Account, InstanceProfile, Role, Tag } from '../model.js';
import type { EditEnv } from './entities.js';
import { requireEntity } from './entities.js';
import { checkPath, checkTags, EditError, mergeTags, removeTags } from './rules.js';

export const INSTANCE_PROFILE_QUOTAS = { perAccount: 1000, rolesPerProfile: 1 } as const;

/** `arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME` → path and name. */
function pathAndName(arn: string): { path: string; name: string } {
  const resource = arn.slice(arn.indexOf(':instance-profile') + ':instance-profile'.length);
  const cut = resource.lastIndexOf('/');
  return { path: resource.slice(0, cut + 1) || '/', name: resource.slice(cut + 1) };
}

/** Every instance profile of the account: its entities, then those only its roles' InstanceProfileList name. */
export function instanceProfilesOf(a: Account): InstanceProfile[] {
  const held = [...(a.instanceProfiles ?? [])];
  const known = new Set(held.map((p) => p.arn));
  for (const r of a.roles) {
    for (const arn of r.instanceProfiles ?? []) {
      if (known.has(arn)) continue;
      known.add(arn);
      const roles = a.roles.filter((x) => (x.instanceProfiles ?? []).includes(arn)).map((x) => x.name);
      held.push({ arn, ...pathAndName(arn), roles, tags: [] });
    }
  }
  return held;
}

export function requireInstanceProfile(a: Account, name: string): InstanceProfile {
  const p = instanceProfilesOf(a).find((x) => x.name === name);
  if (p === undefined) throw new EditError('NoSuchEntity', `Instance Profile ${name} cannot be found.`);
  return p;
}

/** The account with every profile held as an entity and `next` in place of the profile named `name` (undefined: deleted). */
function replaceProfile(a: Account, name: string, next: InstanceProfile | undefined): Account {
  const all = instanceProfilesOf(a);
  const out = next === undefined ? all.filter((p) => p.name !== name) : all.map((p) => (p.name === name ? next : p));
  return { ...a, instanceProfiles: out };
}

/** The role with `arn` added to (or removed from) its InstanceProfileList. */
function withProfile(a: Account, roleName: string, arn: string, add: boolean): Account {
  const roles = a.roles.map((r): Role => {
    if (r.name !== roleName) return r;
    const list = (r.instanceProfiles ?? []).filter((x) => x !== arn);
    return { ...r, instanceProfiles: add ? [...list, arn] : list };
  });
  return { ...a, roles };
}

export function createInstanceProfile(
  a: Account,
  p: { name: string; path?: string; tags?: readonly Tag[] },
  env: EditEnv,
): { account: Account; profile: InstanceProfile } {
  const path = p.path ?? '/';
  checkPath(path);
  checkTags(p.tags ?? [], (p.tags ?? []).length);
  const all = instanceProfilesOf(a);
  if (all.some((x) => x.name.toLowerCase() === p.name.toLowerCase())) throw new EditError('EntityAlreadyExists', `Instance Profile ${p.name} already exists.`);
  if (all.length >= INSTANCE_PROFILE_QUOTAS.perAccount)
    throw new EditError('LimitExceeded', `Cannot exceed quota for InstanceProfilesPerAccount: ${INSTANCE_PROFILE_QUOTAS.perAccount}`);
  const profile: InstanceProfile = {
    arn: `arn:aws:iam::${a.id}:instance-profile${path}${p.name}`,
    name: p.name,
    path,
    id: env.newId('AIPA'),
    createDate: env.now,
    roles: [],
    tags: [...(p.tags ?? [])],
  };
  return { account: { ...a, instanceProfiles: [...all, profile] }, profile };
}

/** IAM refuses to delete a profile that still holds a role. */
export function deleteInstanceProfile(a: Account, name: string): Account {
  const p = requireInstanceProfile(a, name);
  if (p.roles.length > 0) throw new EditError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.');
  return replaceProfile(a, name, undefined);
}

export function addRoleToInstanceProfile(a: Account, profileName: string, roleName: string): Account {
  const p = requireInstanceProfile(a, profileName);
  requireEntity(a, 'role', roleName);
  if (p.roles.length >= INSTANCE_PROFILE_QUOTAS.rolesPerProfile)
    throw new EditError('LimitExceeded', `Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${INSTANCE_PROFILE_QUOTAS.rolesPerProfile}`);
  return withProfile(replaceProfile(a, profileName, { ...p, roles: [...p.roles, roleName] }), roleName, p.arn, true);
}

export function removeRoleFromInstanceProfile(a: Account, profileName: string, roleName: string): Account {
  const p = requireInstanceProfile(a, profileName);
  requireEntity(a, 'role', roleName);
  if (!p.roles.includes(roleName)) throw new EditError('NoSuchEntity', `The role with name ${roleName} is not in instance profile ${profileName}.`);
  return withProfile(replaceProfile(a, profileName, { ...p, roles: p.roles.filter((r) => r !== roleName) }), roleName, p.arn, false);
}

export function tagInstanceProfile(a: Account, name: string, tags: readonly Tag[]): Account {
  const p = requireInstanceProfile(a, name);
  return replaceProfile(a, name, { ...p, tags: mergeTags(p.tags, tags) });
}

export function untagInstanceProfile(a: Account, name: string, keys: readonly string[]): Account {
  const p = requireInstanceProfile(a, name);
  return replaceProfile(a, name, { ...p, tags: removeTags(p.tags, keys) });
}
