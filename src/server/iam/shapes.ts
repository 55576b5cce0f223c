/**
 * Account-model entities in IAM's API shapes (member order as in the IAM API
 * reference). Policy documents are URL-encoded, as IAM returns them (the AWS
 * CLI decodes them; SDK callers use decodeURIComponent). Entities imported
 * without an id get a stable one derived from their ARN.
 */
import { createHash } from 'node:crypto';
import type { Account, Group, InstanceProfile, ManagedPolicy, PolicyVersion, Role, Tag, User } from '../../account/model.js';
import { instanceProfilesOf } from '../../account/edit/instance-profiles.js';
import type * as Iam from '../../protocol/generated/iam.js';
import type { Answer } from './registry.js';

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

export const tags = (t: readonly Tag[]): Iam.Tag[] => t.map((x) => ({ Key: x.key, Value: x.value }));
const boundary = (arn: string | undefined): { PermissionsBoundary?: Iam.AttachedPermissionsBoundary } =>
  // The model's one value (AttachedPermissionsBoundary: "Valid Values: PermissionsBoundaryPolicy").
  arn === undefined ? {} : { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } };

/** The members of `o` whose value is defined (each key stays typed, so a misspelled member does not compile). */
export function present<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: { [K in keyof T]?: Exclude<T[K], undefined> } = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k] as Exclude<T[keyof T], undefined>;
  return out;
}

export function roleShape(r: Role, full = true): Answer<Iam.Role> {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id ?? stableId('AROA', r.arn),
    Arn: r.arn,
    ...present({ CreateDate: r.createDate }),
    AssumeRolePolicyDocument: encodeDocument(r.trustPolicy),
    ...present({ Description: r.description }),
    MaxSessionDuration: r.maxSessionDuration,
    ...(full ? { ...boundary(r.permissionsBoundary), ...(r.tags.length > 0 ? { Tags: tags(r.tags) } : {}) } : {}),
  };
}

export function userShape(u: User, full = true): Answer<Iam.User> {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.id ?? stableId('AIDA', u.arn),
    Arn: u.arn,
    ...present({ CreateDate: u.createDate }),
    ...(full ? { ...boundary(u.permissionsBoundary), ...(u.tags.length > 0 ? { Tags: tags(u.tags) } : {}) } : {}),
  };
}

export function groupShape(g: Group): Answer<Iam.Group> {
  return { Path: g.path, GroupName: g.name, GroupId: g.id ?? stableId('AGPA', g.arn), Arn: g.arn, ...present({ CreateDate: g.createDate }) };
}

export function attachmentCount(a: Account, arn: string): number {
  const has = (e: { managedPolicies: readonly { arn: string }[] }): boolean => e.managedPolicies.some((m) => m.arn === arn);
  return a.users.filter(has).length + a.groups.filter(has).length + a.roles.filter(has).length;
}

export function boundaryUsage(a: Account, arn: string): number {
  return [...a.users, ...a.roles].filter((e) => e.permissionsBoundary === arn).length;
}

export function policyShape(a: Account, p: ManagedPolicy): Answer<Iam.Policy> {
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
    ...present({ Description: p.description, CreateDate: p.createDate ?? created[0], UpdateDate: created[created.length - 1] }),
    ...((p.tags ?? []).length > 0 ? { Tags: tags(p.tags ?? []) } : {}),
  };
}

export function versionShape(v: PolicyVersion, withDocument = true): Answer<Iam.PolicyVersion> {
  return {
    ...(withDocument ? { Document: encodeDocument(v.document) } : {}),
    VersionId: v.versionId,
    IsDefaultVersion: v.isDefault,
    ...present({ CreateDate: v.createDate }),
  };
}

const attached = (refs: readonly { arn: string; name: string }[]): Iam.AttachedPolicy[] => refs.map((m) => ({ PolicyName: m.name, PolicyArn: m.arn }));
const inline = (list: readonly { name: string; document: string }[]): Iam.PolicyDetail[] =>
  list.map((p) => ({ PolicyName: p.name, PolicyDocument: encodeDocument(p.document) }));

/** GetAccountAuthorizationDetails entries. */
export function userDetail(u: User): Answer<Iam.UserDetail> {
  return {
    Path: u.path,
    UserName: u.name,
    UserId: u.id ?? stableId('AIDA', u.arn),
    Arn: u.arn,
    ...present({ CreateDate: u.createDate }),
    UserPolicyList: inline(u.inlinePolicies),
    GroupList: u.groups,
    AttachedManagedPolicies: attached(u.managedPolicies),
    ...boundary(u.permissionsBoundary),
    Tags: tags(u.tags),
  };
}

export function groupDetail(g: Group): Answer<Iam.GroupDetail> {
  return { ...groupShape(g), GroupPolicyList: inline(g.inlinePolicies), AttachedManagedPolicies: attached(g.managedPolicies) };
}

export function roleDetail(a: Account, r: Role): Answer<Iam.RoleDetail> {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id ?? stableId('AROA', r.arn),
    Arn: r.arn,
    ...present({ CreateDate: r.createDate }),
    AssumeRolePolicyDocument: encodeDocument(r.trustPolicy),
    InstanceProfileList: roleInstanceProfiles(a, r),
    RolePolicyList: inline(r.inlinePolicies),
    AttachedManagedPolicies: attached(r.managedPolicies),
    ...boundary(r.permissionsBoundary),
    Tags: tags(r.tags),
  };
}

export function policyDetail(a: Account, p: ManagedPolicy): Answer<Iam.ManagedPolicyDetail> {
  return { ...policyShape(a, p), PolicyVersionList: p.versions.map((v) => versionShape(v)) };
}

/** AWS's InstanceProfile shape (Roles: the roles in it, as ListRoles shows them). */
export function instanceProfileShape(a: Account, p: InstanceProfile): Answer<Iam.InstanceProfile> {
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id ?? stableId('AIPA', p.arn),
    Arn: p.arn,
    ...present({ CreateDate: p.createDate }),
    Roles: a.roles.filter((r) => p.roles.includes(r.name)).map((r) => roleShape(r, false)),
    ...(p.tags.length > 0 ? { Tags: tags(p.tags) } : {}),
  };
}

/** The instance profiles a role is in, in AWS's InstanceProfile shape. */
export function roleInstanceProfiles(a: Account, r: Role): Answer<Iam.InstanceProfile>[] {
  return instanceProfilesOf(a)
    .filter((p) => p.roles.includes(r.name))
    .map((p) => instanceProfileShape(a, p));
}
