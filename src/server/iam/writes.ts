/**
 * IAM's write actions: each is a pure edit from account/edit applied to the
 * caller's account in one store transaction (Engine.updateAccount); the model
 * reloads before the response, so the next request sees the change.
 */
import { randomBytes } from 'node:crypto';
import type { Account, Tag } from '../../account/model.js';
import * as edit from '../../account/edit/index.js';
import { EditError } from '../../account/edit/rules.js';
import type { EntityKind } from '../../account/edit/entities.js';
import type { RequestContext } from '../types.js';
import { callerAccountId, toApiError } from './account.js';
import type { QueryParams } from './params.js';
import type { IamAction } from './registry.js';
import { groupShape, policyShape, roleShape, userShape, versionShape } from './shapes.js';

function env(): edit.EditEnv {
  return {
    now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    newId: (prefix) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
      return prefix + [...randomBytes(17)].map((b) => alphabet[b % 32]).join('');
    },
  };
}

/** Applies `fn` to the caller's stored account; `fn` returns the new account and the action's result. */
async function write(
  ctx: RequestContext,
  fn: (a: Account) => { account: Account; result?: Record<string, unknown> },
): Promise<Record<string, unknown> | undefined> {
  const id = callerAccountId(ctx);
  if (ctx.engine.overlayAccounts.has(id)) {
    throw toApiError(
      new EditError('UnmodifiableEntity', `Account ${id} comes from --account files; start iamsim serve with --db (or without --account) to edit it.`),
    );
  }
  try {
    return await ctx.engine.updateAccount(id, (current) => {
      const r = fn(current ?? edit.emptyAccount(id));
      return { account: r.account, result: r.result };
    });
  } catch (e) {
    if (e instanceof EditError) throw toApiError(e);
    throw e;
  }
}

const action = (name: string, fn: (p: QueryParams, a: Account) => { account: Account; result?: Record<string, unknown> }): IamAction => ({
  name,
  write: true,
  run: (p, ctx) => write(ctx, (a) => fn(p, a)),
});

const only = (account: Account): { account: Account } => ({ account });

/** `Tags.member.N.Key` / `.Value`: both members are required (IAM API Reference, Tag). */
function tagsOf(p: QueryParams): Tag[] {
  return (p.structs('Tags') ?? []).map((t, i) => {
    const key = t['Key'];
    const value = t['Value'];
    for (const [field, v] of [
      ['key', key],
      ['value', value],
    ] as const) {
      if (typeof v !== 'string') {
        throw new EditError(
          'ValidationError',
          `1 validation error detected: Value null at 'tags.${i + 1}.member.${field}' failed to satisfy constraint: Member must not be null`,
        );
      }
    }
    return { key: key as string, value: value as string };
  });
}

function optNumber(p: QueryParams, name: string): number | undefined {
  const v = p.string(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n))
    throw new EditError(
      'ValidationError',
      `1 validation error detected: Value '${v}' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must be an integer`,
    );
  return n;
}

const Cap: Record<EntityKind, string> = { user: 'User', group: 'Group', role: 'Role' };

function perEntity(kind: EntityKind): IamAction[] {
  const C = Cap[kind];
  const name = (p: QueryParams): string => p.required(`${C}Name`);
  const out: IamAction[] = [
    action(`Delete${C}`, (p, a) => only(edit.deleteEntity(a, kind, name(p)))),
    action(`Put${C}Policy`, (p, a) => only(edit.putInlinePolicy(a, kind, name(p), p.required('PolicyName'), p.required('PolicyDocument')))),
    action(`Delete${C}Policy`, (p, a) => only(edit.deleteInlinePolicy(a, kind, name(p), p.required('PolicyName')))),
    action(`Attach${C}Policy`, (p, a) => only(edit.attachPolicy(a, kind, name(p), p.required('PolicyArn')))),
    action(`Detach${C}Policy`, (p, a) => only(edit.detachPolicy(a, kind, name(p), p.required('PolicyArn')))),
  ];
  if (kind !== 'group') {
    out.push(
      action(`Tag${C}`, (p, a) => only(edit.tagEntity(a, kind, name(p), tagsOf(p)))),
      action(`Untag${C}`, (p, a) => only(edit.untagEntity(a, kind, name(p), p.list('TagKeys') ?? []))),
      action(`Put${C}PermissionsBoundary`, (p, a) => only(edit.setPermissionsBoundary(a, kind, name(p), p.required('PermissionsBoundary')))),
      action(`Delete${C}PermissionsBoundary`, (p, a) => only(edit.setPermissionsBoundary(a, kind, name(p), undefined))),
    );
  }
  return out;
}

function opt<T>(k: string, v: T | undefined): Record<string, T> {
  return v === undefined ? {} : { [k]: v };
}

export const WRITE_ACTIONS: readonly IamAction[] = [
  action('CreateRole', (p, a) => {
    const r = edit.createRole(
      a,
      {
        name: p.required('RoleName'),
        trustPolicy: p.required('AssumeRolePolicyDocument'),
        tags: tagsOf(p),
        ...opt('path', p.string('Path')),
        ...opt('description', p.string('Description')),
        ...opt('maxSessionDuration', optNumber(p, 'MaxSessionDuration')),
        ...opt('permissionsBoundary', p.string('PermissionsBoundary')),
      },
      env(),
    );
    return { account: r.account, result: { Role: roleShape(r.role) } };
  }),
  action('UpdateRole', (p, a) => {
    const r = edit.updateRole(a, p.required('RoleName'), {
      ...opt('description', p.string('Description')),
      ...opt('maxSessionDuration', optNumber(p, 'MaxSessionDuration')),
    });
    return { account: r.account };
  }),
  action('UpdateRoleDescription', (p, a) => {
    const r = edit.updateRole(a, p.required('RoleName'), { description: p.required('Description') });
    return { account: r.account, result: { Role: roleShape(r.role) } };
  }),
  action('UpdateAssumeRolePolicy', (p, a) => only(edit.updateAssumeRolePolicy(a, p.required('RoleName'), p.required('PolicyDocument')))),
  action('CreateUser', (p, a) => {
    const r = edit.createUser(
      a,
      { name: p.required('UserName'), tags: tagsOf(p), ...opt('path', p.string('Path')), ...opt('permissionsBoundary', p.string('PermissionsBoundary')) },
      env(),
    );
    return { account: r.account, result: { User: userShape(r.user) } };
  }),
  action('CreateGroup', (p, a) => {
    const r = edit.createGroup(a, { name: p.required('GroupName'), ...opt('path', p.string('Path')) }, env());
    return { account: r.account, result: { Group: groupShape(r.group) } };
  }),
  action('AddUserToGroup', (p, a) => only(edit.addUserToGroup(a, p.required('GroupName'), p.required('UserName')))),
  action('RemoveUserFromGroup', (p, a) => only(edit.removeUserFromGroup(a, p.required('GroupName'), p.required('UserName')))),
  action('CreatePolicy', (p, a) => {
    const r = edit.createPolicy(
      a,
      {
        name: p.required('PolicyName'),
        document: p.required('PolicyDocument'),
        ...opt('path', p.string('Path')),
        ...opt('description', p.string('Description')),
      },
      env(),
    );
    return { account: r.account, result: { Policy: policyShape(r.account, r.policy) } };
  }),
  action('CreatePolicyVersion', (p, a) => {
    const r = edit.createPolicyVersion(a, p.required('PolicyArn'), p.required('PolicyDocument'), p.bool('SetAsDefault') ?? false, env());
    return { account: r.account, result: { PolicyVersion: versionShape(r.version, false) } };
  }),
  action('DeletePolicy', (p, a) => only(edit.deletePolicy(a, p.required('PolicyArn')))),
  action('DeletePolicyVersion', (p, a) => only(edit.deletePolicyVersion(a, p.required('PolicyArn'), p.required('VersionId')))),
  action('SetDefaultPolicyVersion', (p, a) => only(edit.setDefaultPolicyVersion(a, p.required('PolicyArn'), p.required('VersionId')))),
  ...perEntity('role'),
  ...perEntity('user'),
  ...perEntity('group'),
];
