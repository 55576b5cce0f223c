/**
 * Account-model entities in IAM's API shapes (member order as in the IAM API
 * reference). Policy documents are URL-encoded, as IAM returns them (the AWS
 * CLI decodes them; SDK callers use decodeURIComponent). Entities imported
 * without an id get a stable one derived from their ARN.
 */
import { createHash } from 'node:crypto';
import type { Account, Group, InstanceProfile, ManagedPolicy, PolicyVersion, Role, Tag, User } from '../../account/model.js';
import { instanceProfilesOf } from '../../account/edit/instance-profiles.js';

export function encodeDocument(doc: string): string {
  return encodeURIComponent(doc);
}

/** IAM-style unique id (prefix + 17 upper-case alphanumerics), stable per ARN. */
export function stableId(prefix: string, arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = prefix;
  for (let i = 0; i < 17; i++) out += alphabet[digest[i]! % 32];
  return out;
}

export const tags = (t: readonly Tag[]): Record<string, string>[] => t.map((x) => ({ Key: x.key, Value: x.value }));
const boundary = (arn: string | undefined): Record<string, string> | undefined =>
  arn === undefined ? undefined : { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn };
const opt = <T>(k: string, v: T | undefined): Record<string, T> => (v === undefined ? {} : { [k]: v });

export function roleShape(r: Role, full = true): Record<string, unknown> {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id ?? stableId('AROA', r.arn),
    Arn: r.arn,
    ...opt('CreateDate', r.createDate),
    AssumeRolePolicyDocument: encodeDocument(r.trustPolicy),
    ...opt('Description', r.description),
    MaxSessionDuration: r.maxSessionDuration,
    ...(full ? { ...opt('PermissionsBoundary', boundary(r.permissionsBoundary)), ...(r.tags.length > 0 ? { Tags: tags(r.tags) } : {}) } : {}),
  };
}

export function userShape(u: User, full = true): Record<string, unknown> {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.id ?? stableId('AIDA', u.arn),
    Arn: u.arn,
    ...opt('CreateDate', u.createDate),
    ...(full ? { ...opt('PermissionsBoundary', boundary(u.permissionsBoundary)), ...(u.tags.length > 0 ? { Tags: tags(u.tags) } : {}) } : {}),
  };
}

export function groupShape(g: Group): Record<string, unknown> {
  return { Path: g.path, GroupName: g.name, GroupId: g.id ?? stableId('AGPA', g.arn), Arn: g.arn, ...opt('CreateDate', g.createDate) };
}

export function attachmentCount(a: Account, arn: string): number {
  const has = (e: { managedPolicies: readonly { arn: string }[] }): boolean => e.managedPolicies.some((m) => m.arn === arn);
  return a.users.filter(has).length + a.groups.filter(has).length + a.roles.filter(has).length;
}

export function boundaryUsage(a: Account, arn: string): number {
  return [...a.users, ...a.roles].filter((e) => e.permissionsBoundary === arn).length;
}

export function policyShape(a: Account, p: ManagedPolicy): Record<string, unknown> {
  const created = p.versions
    .map((v) => v.createDate)
    .filter((d): d is string => d !== undefined)
    .sort();
  return {
    PolicyName: p.name,
    PolicyId: p.id ?? stableId('ANPA', p.arn),
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: attachmentCount(a, p.arn),
    PermissionsBoundaryUsageCount: boundaryUsage(a, p.arn),
    IsAttachable: true,
    ...opt('Description', p.description),
    ...opt('CreateDate', p.createDate ?? created[0]),
    ...opt('UpdateDate', created[created.length - 1]),
    ...((p.tags ?? []).length > 0 ? { Tags: tags(p.tags ?? []) } : {}),
  };
}

export function versionShape(v: PolicyVersion, withDocument = true): Record<string, unknown> {
  return {
    ...(withDocument ? { Document: encodeDocument(v.document) } : {}),
    VersionId: v.versionId,
    IsDefaultVersion: v.isDefault,
    ...opt('CreateDate', v.createDate),
  };
}

const attached = (refs: readonly { arn: string; name: string }[]): Record<string, string>[] => refs.map((m) => ({ PolicyName: m.name, PolicyArn: m.arn }));
const inline = (list: readonly { name: string; document: string }[]): Record<string, string>[] =>
  list.map((p) => ({ PolicyName: p.name, PolicyDocument: encodeDocument(p.document) }));

/** GetAccountAuthorizationDetails entries. */
export function userDetail(u: User): Record<string, unknown> {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.id ?? stableId('AIDA', u.arn),
    Arn: u.arn,
    ...opt('CreateDate', u.createDate),
    UserPolicyList: inline(u.inlinePolicies),
    GroupList: u.groups,
    AttachedManagedPolicies: attached(u.managedPolicies),
    ...opt('PermissionsBoundary', boundary(u.permissionsBoundary)),
    Tags: tags(u.tags),
  };
}

export function groupDetail(g: Group): Record<string, unknown> {
  return { ...groupShape(g), GroupPolicyList: inline(g.inlinePolicies), AttachedManagedPolicies: attached(g.managedPolicies) };
}

export function roleDetail(a: Account, r: Role): Record<string, unknown> {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id ?? stableId('AROA', r.arn),
    Arn: r.arn,
    ...opt('CreateDate', r.createDate),
    AssumeRolePolicyDocument: encodeDocument(r.trustPolicy),
    InstanceProfileList: roleInstanceProfiles(a, r),
    RolePolicyList: inline(r.inlinePolicies),
    AttachedManagedPolicies: attached(r.managedPolicies),
    ...opt('PermissionsBoundary', boundary(r.permissionsBoundary)),
    Tags: tags(r.tags),
  };
}

export function policyDetail(a: Account, p: ManagedPolicy): Record<string, unknown> {
  return { ...policyShape(a, p), PolicyVersionList: p.versions.map((v) => versionShape(v)) };
}

/** AWS's InstanceProfile shape (Roles: the roles in it, as ListRoles shows them). */
export function instanceProfileShape(a: Account, p: InstanceProfile): Record<string, unknown> {
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id ?? stableId('AIPA', p.arn),
    Arn: p.arn,
    ...opt('CreateDate', p.createDate),
    Roles: a.roles.filter((r) => p.roles.includes(r.name)).map((r) => roleShape(r, false)),
    ...(p.tags.length > 0 ? { Tags: tags(p.tags) } : {}),
  };
}

/** The instance profiles a role is in, in AWS's InstanceProfile shape. */
export function roleInstanceProfiles(a: Account, r: Role): Record<string, unknown>[] {
  return instanceProfilesOf(a)
    .filter((p) => p.roles.includes(r.name))
    .map((p) => instanceProfileShape(a, p));
}
