/**
 * Pure edits of managed policies and their attachments, as IAM's
 * CreatePolicy / CreatePolicyVersion / DeletePolicy / DeletePolicyVersion /
 * SetDefaultPolicyVersion / Attach*Policy / Detach*Policy make them.
 */
import { isAwsManagedArn, resolveAwsManagedPolicy } from '../managed.js';
import type { Account, ManagedPolicy, PolicyVersion, Tag } from '../model.js';
import { requireEntity, setAttached, type EditEnv, type EntityKind } from './entities.js';
import { checkManagedPolicyDocument, checkName, checkPath, checkTags, EditError, mergeTags, QUOTAS, removeTags } from './rules.js';

export interface NewPolicy {
  readonly name: string;
  readonly path?: string;
  readonly document: string;
  readonly description?: string;
  readonly tags?: readonly Tag[];
}

export function findPolicy(a: Account, arn: string): ManagedPolicy | undefined {
  return a.managedPolicies.find((p) => p.arn === arn);
}

export function requirePolicy(a: Account, arn: string): ManagedPolicy {
  const p = findPolicy(a, arn);
  if (p === undefined) throw new EditError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  return p;
}

function replacePolicy(a: Account, next: ManagedPolicy | undefined, arn: string): Account {
  const list = next === undefined ? a.managedPolicies.filter((p) => p.arn !== arn) : a.managedPolicies.map((p) => (p.arn === arn ? next : p));
  return { ...a, managedPolicies: list };
}

function customerPolicy(a: Account, arn: string): ManagedPolicy {
  const p = requirePolicy(a, arn);
  if (p.awsManaged) throw new EditError('InvalidInput', `${arn} is an AWS managed policy; it cannot be changed.`);
  return p;
}

export function createPolicy(a: Account, p: NewPolicy, env: EditEnv): { account: Account; policy: ManagedPolicy } {
  const path = p.path ?? '/';
  checkName('policyName', p.name, 128);
  checkPath(path);
  checkManagedPolicyDocument(p.document);
  checkTags(p.tags ?? [], (p.tags ?? []).length);
  const arn = `arn:aws:iam::${a.id}:policy${path}${p.name}`;
  if (a.managedPolicies.some((m) => !m.awsManaged && m.name.toLowerCase() === p.name.toLowerCase() && m.path === path)) {
    throw new EditError('EntityAlreadyExists', `A policy called ${p.name} already exists. Duplicate names are not allowed.`);
  }
  const version: PolicyVersion = { versionId: 'v1', isDefault: true, document: p.document, createDate: env.now };
  const policy: ManagedPolicy = {
    arn,
    name: p.name,
    path,
    id: env.newId('ANPA'),
    createDate: env.now,
    awsManaged: false,
    defaultVersionId: 'v1',
    versions: [version],
    document: p.document,
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.tags !== undefined && p.tags.length > 0 ? { tags: [...p.tags] } : {}),
  };
  return { account: { ...a, managedPolicies: [...a.managedPolicies, policy] }, policy };
}

function nextVersionId(p: ManagedPolicy): string {
  const n = Math.max(0, ...p.versions.map((v) => Number(/^v(\d+)$/.exec(v.versionId)?.[1] ?? 0)));
  return `v${n + 1}`;
}

function withDefault(p: ManagedPolicy, versions: readonly PolicyVersion[], defaultId: string): ManagedPolicy {
  const list = versions.map((v) => ({ ...v, isDefault: v.versionId === defaultId }));
  const def = list.find((v) => v.isDefault);
  return { ...p, versions: list, defaultVersionId: defaultId, document: def?.document ?? p.document };
}

export function createPolicyVersion(
  a: Account,
  arn: string,
  document: string,
  setAsDefault: boolean,
  env: EditEnv,
): { account: Account; version: PolicyVersion } {
  const p = customerPolicy(a, arn);
  checkManagedPolicyDocument(document);
  if (p.versions.length >= QUOTAS.policyVersions)
    throw new EditError(
      'LimitExceeded',
      `A managed policy can have up to ${QUOTAS.policyVersions} versions. Before you create a new version, you must delete an existing version.`,
    );
  const version: PolicyVersion = { versionId: nextVersionId(p), isDefault: setAsDefault, document, createDate: env.now };
  const next = withDefault(p, [...p.versions, version], setAsDefault ? version.versionId : p.defaultVersionId);
  return { account: replacePolicy(a, next, arn), version: { ...version, isDefault: setAsDefault } };
}

export function setDefaultPolicyVersion(a: Account, arn: string, versionId: string): Account {
  const p = customerPolicy(a, arn);
  if (!p.versions.some((v) => v.versionId === versionId))
    throw new EditError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
  return replacePolicy(a, withDefault(p, p.versions, versionId), arn);
}

export function deletePolicyVersion(a: Account, arn: string, versionId: string): Account {
  const p = customerPolicy(a, arn);
  const v = p.versions.find((x) => x.versionId === versionId);
  if (v === undefined) throw new EditError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
  if (v.isDefault) throw new EditError('DeleteConflict', 'Cannot delete the default version of a policy.');
  return replacePolicy(a, { ...p, versions: p.versions.filter((x) => x.versionId !== versionId) }, arn);
}

/** Users, groups and roles the policy is attached to. */
export function attachments(a: Account, arn: string): { users: string[]; groups: string[]; roles: string[] } {
  const has = (e: { managedPolicies: readonly { arn: string }[] }): boolean => e.managedPolicies.some((m) => m.arn === arn);
  return { users: a.users.filter(has).map((e) => e.name), groups: a.groups.filter(has).map((e) => e.name), roles: a.roles.filter(has).map((e) => e.name) };
}

/** TagPolicy: customer managed policies only (an AWS managed policy cannot be changed). */
export function tagPolicy(a: Account, arn: string, tags: readonly Tag[]): Account {
  const p = customerPolicy(a, arn);
  return replacePolicy(a, { ...p, tags: mergeTags(p.tags ?? [], tags) }, arn);
}

export function untagPolicy(a: Account, arn: string, keys: readonly string[]): Account {
  const p = customerPolicy(a, arn);
  return replacePolicy(a, { ...p, tags: removeTags(p.tags ?? [], keys) }, arn);
}

export function deletePolicy(a: Account, arn: string): Account {
  const p = customerPolicy(a, arn);
  // IAM API Reference, DeletePolicy: delete every version but the default first (DeletePolicyVersion).
  if (p.versions.some((v) => !v.isDefault)) {
    throw new EditError(
      'DeleteConflict',
      'Cannot delete a policy with non-default versions: delete them first (DeletePolicyVersion); the default version goes with the policy.',
    );
  }
  const at = attachments(a, arn);
  if (at.users.length + at.groups.length + at.roles.length > 0) throw new EditError('DeleteConflict', 'Cannot delete a policy attached to entities.');
  const boundaryOf = [...a.users, ...a.roles].some((e) => e.permissionsBoundary === arn);
  if (boundaryOf) throw new EditError('DeleteConflict', 'Cannot delete a policy attached to entities.');
  return replacePolicy(a, undefined, arn);
}

/** The account with the policy present: customer policies must exist; AWS managed ones are resolved offline. */
function withPolicy(a: Account, arn: string): { account: Account; policy: ManagedPolicy } {
  const existing = findPolicy(a, arn);
  if (existing !== undefined) return { account: a, policy: existing };
  if (!isAwsManagedArn(arn)) throw new EditError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  const r = resolveAwsManagedPolicy(arn);
  if (!r.ok) throw new EditError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
  return { account: { ...a, managedPolicies: [...a.managedPolicies, r.policy] }, policy: r.policy };
}

export function attachPolicy(a: Account, kind: EntityKind, name: string, arn: string): Account {
  const e = requireEntity(a, kind, name);
  const { account, policy } = withPolicy(a, arn);
  if (e.managedPolicies.some((m) => m.arn === arn)) return account;
  if (e.managedPolicies.length >= QUOTAS.attachedPolicies) {
    const quota = kind === 'user' ? 'PoliciesPerUser' : kind === 'group' ? 'PoliciesPerGroup' : 'PoliciesPerRole';
    throw new EditError('LimitExceeded', `Cannot exceed quota for ${quota}: ${QUOTAS.attachedPolicies}`);
  }
  return setAttached(account, kind, name, [...e.managedPolicies, { arn: policy.arn, name: policy.name }]);
}

export function detachPolicy(a: Account, kind: EntityKind, name: string, arn: string): Account {
  const e = requireEntity(a, kind, name);
  if (!e.managedPolicies.some((m) => m.arn === arn)) throw new EditError('NoSuchEntity', `Policy ${arn} was not found.`);
  return setAttached(
    a,
    kind,
    name,
    e.managedPolicies.filter((m) => m.arn !== arn),
  );
}
