/**
 * IAM's read actions over the loaded account model: Get*, List* and
 * GetAccountAuthorizationDetails, with Marker/MaxItems pagination.
 */
import type { Account, ManagedPolicy } from '../../account/model.js';
import { requireEntity, requireGroup, requireRole, requireUser, type EntityKind } from '../../account/edit/entities.js';
import { attachments, requirePolicy } from '../../account/edit/policies.js';
import { EditError } from '../../account/edit/rules.js';
import type * as Iam from '../../protocol/generated/iam.js';
import type { Answer, IamAction, IamInput, IamOutput } from './registry.js';
import { read } from './resources.js';
import { page, paginate } from './simulate-shape.js';
import {
  encodeDocument,
  present,
  groupDetail,
  groupShape,
  policyDetail,
  policyShape,
  roleDetail,
  roleInstanceProfiles,
  roleShape,
  stableId,
  userDetail,
  userShape,
  versionShape,
} from './shapes.js';

function byPath<T extends { path: string }>(list: readonly T[], p: { readonly PathPrefix?: string }): T[] {
  const prefix = p.PathPrefix ?? '/';
  return list.filter((e) => e.path.startsWith(prefix));
}

/** A managed policy by ARN: the caller's, or an AWS managed policy the model holds. */
function policyIn(a: Account, arn: string): ManagedPolicy {
  return requirePolicy(a, arn);
}

/** An inline policy of a user, group or role, URL-encoded as IAM returns it. */
function inlineDocument(a: Account, kind: EntityKind, name: string, policyName: string): { PolicyName: string; PolicyDocument: string } {
  const doc = requireEntity(a, kind, name).inlinePolicies.find((x) => x.name === policyName);
  if (doc === undefined) throw new EditError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
  return { PolicyName: policyName, PolicyDocument: encodeDocument(doc.document) };
}

const inlineNames = (a: Account, kind: EntityKind, name: string): string[] => requireEntity(a, kind, name).inlinePolicies.map((x) => x.name);

/** The managed policies attached to a user, group or role whose path starts with the prefix. */
function attachedIn(a: Account, kind: EntityKind, name: string, pathPrefix: string | undefined): { PolicyName: string; PolicyArn: string }[] {
  const prefix = pathPrefix ?? '/';
  return requireEntity(a, kind, name)
    .managedPolicies.filter((r) => (a.managedPolicies.find((m) => m.arn === r.arn)?.path ?? '/').startsWith(prefix))
    .map((r) => ({ PolicyName: r.name, PolicyArn: r.arn }));
}

/** The reads of users, groups and roles that differ only in the entity's kind (each typed by its own operation). */
const ENTITY_READS: readonly IamAction[] = [
  read('GetRolePolicy', (p, a) => ({ RoleName: p.RoleName, ...inlineDocument(a, 'role', p.RoleName, p.PolicyName) })),
  read('GetUserPolicy', (p, a) => ({ UserName: p.UserName, ...inlineDocument(a, 'user', p.UserName, p.PolicyName) })),
  read('GetGroupPolicy', (p, a) => ({ GroupName: p.GroupName, ...inlineDocument(a, 'group', p.GroupName, p.PolicyName) })),
  read('ListRolePolicies', (p, a) => page(inlineNames(a, 'role', p.RoleName), p, 'PolicyNames')),
  read('ListUserPolicies', (p, a) => page(inlineNames(a, 'user', p.UserName), p, 'PolicyNames')),
  read('ListGroupPolicies', (p, a) => page(inlineNames(a, 'group', p.GroupName), p, 'PolicyNames')),
  read('ListAttachedRolePolicies', (p, a) => page(attachedIn(a, 'role', p.RoleName, p.PathPrefix), p, 'AttachedPolicies')),
  read('ListAttachedUserPolicies', (p, a) => page(attachedIn(a, 'user', p.UserName, p.PathPrefix), p, 'AttachedPolicies')),
  read('ListAttachedGroupPolicies', (p, a) => page(attachedIn(a, 'group', p.GroupName, p.PathPrefix), p, 'AttachedPolicies')),
];

type Details = Answer<IamOutput<'GetAccountAuthorizationDetails'>>;
type DetailItem =
  | ['UserDetailList', Answer<Iam.UserDetail>]
  | ['GroupDetailList', Answer<Iam.GroupDetail>]
  | ['RoleDetailList', Answer<Iam.RoleDetail>]
  | ['Policies', Answer<Iam.ManagedPolicyDetail>];

function gaad(p: IamInput<'GetAccountAuthorizationDetails'>, a: Account): Details {
  const filter = new Set<string>(p.Filter ?? ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']);
  const items: DetailItem[] = [
    ...(filter.has('User') ? a.users.map((u): DetailItem => ['UserDetailList', userDetail(u)]) : []),
    ...(filter.has('Group') ? a.groups.map((g): DetailItem => ['GroupDetailList', groupDetail(g)]) : []),
    ...(filter.has('Role') ? a.roles.map((r): DetailItem => ['RoleDetailList', roleDetail(a, r)]) : []),
    ...a.managedPolicies
      .filter((m) => (m.awsManaged ? filter.has('AWSManagedPolicy') : filter.has('LocalManagedPolicy')))
      .map((m): DetailItem => ['Policies', policyDetail(a, m)]),
  ];
  const r = paginate(items, p);
  const pick = <L extends DetailItem[0]>(list: L) => r.page.filter((x): x is Extract<DetailItem, [L, unknown]> => x[0] === list).map((x) => x[1]);
  return {
    UserDetailList: pick('UserDetailList'),
    GroupDetailList: pick('GroupDetailList'),
    RoleDetailList: pick('RoleDetailList'),
    Policies: pick('Policies'),
    IsTruncated: r.IsTruncated,
    ...present({ Marker: r.Marker }),
  };
}

function listPolicies(p: IamInput<'ListPolicies'>, a: Account): Answer<IamOutput<'ListPolicies'>> {
  const scope = p.Scope ?? 'All';
  const onlyAttached = p.OnlyAttached ?? false;
  const list = byPath(a.managedPolicies, p)
    .filter((m) => scope === 'All' || (scope === 'AWS') === m.awsManaged)
    .filter((m) => !onlyAttached || policyShape(a, m).AttachmentCount !== 0);
  return page(
    list.map((m) => policyShape(a, m)),
    p,
    'Policies',
  );
}

function listEntitiesForPolicy(p: IamInput<'ListEntitiesForPolicy'>, a: Account): Answer<IamOutput<'ListEntitiesForPolicy'>> {
  const arn = p.PolicyArn;
  policyIn(a, arn);
  const filter = p.EntityFilter;
  const at = attachments(a, arn);
  const prefix = p.PathPrefix ?? '/';
  const want = (k: string): boolean => filter === undefined || filter === k;
  const users = want('User')
    ? a.users.filter((u) => at.users.includes(u.name) && u.path.startsWith(prefix)).map((u) => ({ UserName: u.name, UserId: u.id ?? stableId('AIDA', u.arn) }))
    : [];
  const groups = want('Group')
    ? a.groups
        .filter((g) => at.groups.includes(g.name) && g.path.startsWith(prefix))
        .map((g) => ({ GroupName: g.name, GroupId: g.id ?? stableId('AGPA', g.arn) }))
    : [];
  const roles = want('Role')
    ? a.roles.filter((r) => at.roles.includes(r.name) && r.path.startsWith(prefix)).map((r) => ({ RoleName: r.name, RoleId: r.id ?? stableId('AROA', r.arn) }))
    : [];
  const items = [
    ...groups.map((x) => ['PolicyGroups', x] as const),
    ...users.map((x) => ['PolicyUsers', x] as const),
    ...roles.map((x) => ['PolicyRoles', x] as const),
  ];
  const r = paginate(items, p);
  return {
    PolicyGroups: r.page.flatMap((x) => (x[0] === 'PolicyGroups' ? [x[1]] : [])),
    PolicyUsers: r.page.flatMap((x) => (x[0] === 'PolicyUsers' ? [x[1]] : [])),
    PolicyRoles: r.page.flatMap((x) => (x[0] === 'PolicyRoles' ? [x[1]] : [])),
    IsTruncated: r.IsTruncated,
    ...present({ Marker: r.Marker }),
  };
}

export const READ_ACTIONS: readonly IamAction[] = [
  read('ListInstanceProfilesForRole', (p, a) => page(roleInstanceProfiles(a, requireRole(a, p.RoleName)), p, 'InstanceProfiles')),
  read('GetRole', (p, a) => ({ Role: roleShape(requireRole(a, p.RoleName)) })),
  read('GetUser', (p, a) => {
    const name = p.UserName;
    if (name === undefined) throw new EditError('ValidationError', 'UserName is required: iamsim does not map access keys to users');
    return { User: userShape(requireUser(a, name)) };
  }),
  read('GetGroup', (p, a) => {
    const g = requireGroup(a, p.GroupName);
    const members = a.users.filter((u) => u.groups.includes(g.name)).map((u) => userShape(u, false));
    return { Group: groupShape(g), ...page(members, p, 'Users') };
  }),
  read('GetPolicy', (p, a) => ({ Policy: policyShape(a, policyIn(a, p.PolicyArn)) })),
  read('GetPolicyVersion', (p, a) => {
    const arn = p.PolicyArn;
    const id = p.VersionId;
    const v = policyIn(a, arn).versions.find((x) => x.versionId === id);
    if (v === undefined) throw new EditError('NoSuchEntity', `Policy ${arn} version ${id} does not exist or is not attachable.`);
    return { PolicyVersion: versionShape(v) };
  }),
  read('ListPolicyVersions', (p, a) =>
    page(
      policyIn(a, p.PolicyArn).versions.map((v) => versionShape(v, false)),
      p,
      'Versions',
    ),
  ),
  read('ListRoles', (p, a) =>
    page(
      byPath(a.roles, p).map((r) => roleShape(r, false)),
      p,
      'Roles',
    ),
  ),
  read('ListUsers', (p, a) =>
    page(
      byPath(a.users, p).map((u) => userShape(u, false)),
      p,
      'Users',
    ),
  ),
  read('ListGroups', (p, a) => page(byPath(a.groups, p).map(groupShape), p, 'Groups')),
  read('ListGroupsForUser', (p, a) => {
    const u = requireUser(a, p.UserName);
    return page(a.groups.filter((g) => u.groups.includes(g.name)).map(groupShape), p, 'Groups');
  }),
  read('ListRoleTags', (p, a) =>
    page(
      requireRole(a, p.RoleName).tags.map((t) => ({ Key: t.key, Value: t.value })),
      p,
      'Tags',
    ),
  ),
  read('ListUserTags', (p, a) =>
    page(
      requireUser(a, p.UserName).tags.map((t) => ({ Key: t.key, Value: t.value })),
      p,
      'Tags',
    ),
  ),
  read('ListPolicies', listPolicies),
  read('ListEntitiesForPolicy', listEntitiesForPolicy),
  read('GetAccountAuthorizationDetails', gaad),
  ...ENTITY_READS,
];
