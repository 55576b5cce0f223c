/**
 * IAM's read actions over the loaded account model: Get*, List* and
 * GetAccountAuthorizationDetails, with Marker/MaxItems pagination.
 */
import type { Account, ManagedPolicy } from '../../account/model.js';
import { requireEntity, requireGroup, requireRole, requireUser, type EntityKind } from '../../account/edit/entities.js';
import { attachments, requirePolicy } from '../../account/edit/policies.js';
import { EditError } from '../../account/edit/rules.js';
import type { IamOperationName } from '../../protocol/generated/iam.js';
import { type IamAction, type IamInput, iamAction } from './registry.js';
import { callerAccount, iamCall } from './account.js';
import { type PageInput, paginate } from './simulate-shape.js';
import {
  encodeDocument,
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

const read = <K extends IamOperationName>(name: K, run: (p: IamInput<K>, a: Account) => Record<string, unknown>): IamAction =>
  iamAction(name, false, (p, ctx) => iamCall(() => run(p, callerAccount(ctx))));

/** The same read for the user, group and role variants of an operation (their inputs differ only in the entity's name member). */
type AnyInput = Readonly<Record<string, unknown>> & PageInput;
const readAny = (name: string, run: (p: AnyInput, a: Account) => Record<string, unknown>): IamAction =>
  iamAction(name as IamOperationName, false, (p, ctx) => iamCall(() => run(p as AnyInput, callerAccount(ctx))));

const Cap: Record<EntityKind, string> = { user: 'User', group: 'Group', role: 'Role' };

function page(list: readonly unknown[], p: PageInput, field: string): Record<string, unknown> {
  const r = paginate(list, p);
  return { [field]: r.page, IsTruncated: r.IsTruncated, ...(r.Marker !== undefined ? { Marker: r.Marker } : {}) };
}

function byPath<T extends { path: string }>(list: readonly T[], p: { readonly PathPrefix?: string }): T[] {
  const prefix = p.PathPrefix ?? '/';
  return list.filter((e) => e.path.startsWith(prefix));
}

/** A managed policy by ARN: the caller's, or an AWS managed policy the model holds. */
function policyIn(a: Account, arn: string): ManagedPolicy {
  return requirePolicy(a, arn);
}

function perEntity(kind: EntityKind): IamAction[] {
  const C = Cap[kind];
  return [
    readAny(`Get${C}Policy`, (p, a) => {
      const name = p[`${C}Name`] as string;
      const policyName = p['PolicyName'] as string;
      const doc = requireEntity(a, kind, name).inlinePolicies.find((x) => x.name === policyName);
      if (doc === undefined) throw new EditError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
      return { [`${C}Name`]: name, PolicyName: policyName, PolicyDocument: encodeDocument(doc.document) };
    }),
    readAny(`List${C}Policies`, (p, a) =>
      page(
        requireEntity(a, kind, p[`${C}Name`] as string).inlinePolicies.map((x) => x.name),
        p,
        'PolicyNames',
      ),
    ),
    readAny(`ListAttached${C}Policies`, (p, a) => {
      const refs = requireEntity(a, kind, p[`${C}Name`] as string).managedPolicies;
      const prefix = (p['PathPrefix'] as string | undefined) ?? '/';
      const kept = refs.filter((r) => (a.managedPolicies.find((m) => m.arn === r.arn)?.path ?? '/').startsWith(prefix));
      return page(
        kept.map((r) => ({ PolicyName: r.name, PolicyArn: r.arn })),
        p,
        'AttachedPolicies',
      );
    }),
  ];
}

function gaad(p: IamInput<'GetAccountAuthorizationDetails'>, a: Account): Record<string, unknown> {
  const filter = new Set<string>(p.Filter ?? ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']);
  const items: [string, Record<string, unknown>][] = [
    ...(filter.has('User') ? a.users.map((u) => ['UserDetailList', userDetail(u)] as [string, Record<string, unknown>]) : []),
    ...(filter.has('Group') ? a.groups.map((g) => ['GroupDetailList', groupDetail(g)] as [string, Record<string, unknown>]) : []),
    ...(filter.has('Role') ? a.roles.map((r) => ['RoleDetailList', roleDetail(a, r)] as [string, Record<string, unknown>]) : []),
    ...a.managedPolicies
      .filter((m) => (m.awsManaged ? filter.has('AWSManagedPolicy') : filter.has('LocalManagedPolicy')))
      .map((m) => ['Policies', policyDetail(a, m)] as [string, Record<string, unknown>]),
  ];
  const r = paginate(items, p);
  const out: Record<string, unknown[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for (const [list, item] of r.page) out[list]!.push(item);
  return { ...out, IsTruncated: r.IsTruncated, ...(r.Marker !== undefined ? { Marker: r.Marker } : {}) };
}

function listPolicies(p: IamInput<'ListPolicies'>, a: Account): Record<string, unknown> {
  const scope = p.Scope ?? 'All';
  const onlyAttached = p.OnlyAttached ?? false;
  const list = byPath(a.managedPolicies, p)
    .filter((m) => scope === 'All' || (scope === 'AWS') === m.awsManaged)
    .filter((m) => !onlyAttached || policyShape(a, m)['AttachmentCount'] !== 0);
  return page(
    list.map((m) => policyShape(a, m)),
    p,
    'Policies',
  );
}

function listEntitiesForPolicy(p: IamInput<'ListEntitiesForPolicy'>, a: Account): Record<string, unknown> {
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
  const out: Record<string, unknown[]> = { PolicyGroups: [], PolicyUsers: [], PolicyRoles: [] };
  for (const [k, v] of r.page) out[k]!.push(v);
  return { ...out, IsTruncated: r.IsTruncated, ...(r.Marker !== undefined ? { Marker: r.Marker } : {}) };
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
  ...perEntity('role'),
  ...perEntity('user'),
  ...perEntity('group'),
];
