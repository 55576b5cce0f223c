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
import type { IamOperationName } from '../../protocol/generated/iam.js';
import { type IamAction, type IamInput, iamAction } from './registry.js';
import { groupShape, policyShape, roleShape, userShape, versionShape } from './shapes.js';

export function env(): edit.EditEnv {
  return {
    now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    newId: (prefix) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
      return prefix + [...randomBytes(17)].map((b) => alphabet[b % 32]).join('');
    },
  };
}

/** Applies `fn` to the caller's stored account; `fn` returns the new account and the action's result. */
export async function write(
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

type Edit = { account: Account; result?: Record<string, unknown> };

const action = <K extends IamOperationName>(name: K, fn: (p: IamInput<K>, a: Account) => Edit): IamAction =>
  iamAction(name, true, (p, ctx) => write(ctx, (a) => fn(p, a)));

/** The same write for the user, group and role variants of an operation (their inputs differ only in the entity's name member). */
type AnyInput = Readonly<Record<string, unknown>>;
const actionAny = (name: string, fn: (p: AnyInput, a: Account) => Edit): IamAction =>
  iamAction(name as IamOperationName, true, (p, ctx) => write(ctx, (a) => fn(p as AnyInput, a)));

const only = (account: Account): { account: Account } => ({ account });

/** The model's Tag list (Key and Value both required, checked by the model) as the account model's tags. */
export function tagsOf(tags: readonly { readonly Key: string; readonly Value: string }[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
}

const Cap: Record<EntityKind, string> = { user: 'User', group: 'Group', role: 'Role' };

function perEntity(kind: EntityKind): IamAction[] {
  const C = Cap[kind];
  const name = (p: AnyInput): string => p[`${C}Name`] as string;
  const str = (p: AnyInput, k: string): string => p[k] as string;
  const out: IamAction[] = [
    actionAny(`Delete${C}`, (p, a) => only(edit.deleteEntity(a, kind, name(p)))),
    actionAny(`Put${C}Policy`, (p, a) => only(edit.putInlinePolicy(a, kind, name(p), str(p, 'PolicyName'), str(p, 'PolicyDocument')))),
    actionAny(`Delete${C}Policy`, (p, a) => only(edit.deleteInlinePolicy(a, kind, name(p), str(p, 'PolicyName')))),
    actionAny(`Attach${C}Policy`, (p, a) => only(edit.attachPolicy(a, kind, name(p), str(p, 'PolicyArn')))),
    actionAny(`Detach${C}Policy`, (p, a) => only(edit.detachPolicy(a, kind, name(p), str(p, 'PolicyArn')))),
  ];
  if (kind !== 'group') {
    out.push(
      actionAny(`Tag${C}`, (p, a) => only(edit.tagEntity(a, kind, name(p), tagsOf(p['Tags'] as Parameters<typeof tagsOf>[0])))),
      actionAny(`Untag${C}`, (p, a) => only(edit.untagEntity(a, kind, name(p), (p['TagKeys'] as string[] | undefined) ?? []))),
      actionAny(`Put${C}PermissionsBoundary`, (p, a) => only(edit.setPermissionsBoundary(a, kind, name(p), str(p, 'PermissionsBoundary')))),
      actionAny(`Delete${C}PermissionsBoundary`, (p, a) => only(edit.setPermissionsBoundary(a, kind, name(p), undefined))),
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
        name: p.RoleName,
        trustPolicy: p.AssumeRolePolicyDocument,
        tags: tagsOf(p.Tags),
        ...opt('path', p.Path),
        ...opt('description', p.Description),
        ...opt('maxSessionDuration', p.MaxSessionDuration),
        ...opt('permissionsBoundary', p.PermissionsBoundary),
      },
      env(),
    );
    return { account: r.account, result: { Role: roleShape(r.role) } };
  }),
  action('UpdateRole', (p, a) => {
    const r = edit.updateRole(a, p.RoleName, {
      ...opt('description', p.Description),
      ...opt('maxSessionDuration', p.MaxSessionDuration),
    });
    return { account: r.account };
  }),
  action('UpdateRoleDescription', (p, a) => {
    const r = edit.updateRole(a, p.RoleName, { description: p.Description });
    return { account: r.account, result: { Role: roleShape(r.role) } };
  }),
  action('UpdateAssumeRolePolicy', (p, a) => only(edit.updateAssumeRolePolicy(a, p.RoleName, p.PolicyDocument))),
  action('CreateUser', (p, a) => {
    const r = edit.createUser(
      a,
      { name: p.UserName, tags: tagsOf(p.Tags), ...opt('path', p.Path), ...opt('permissionsBoundary', p.PermissionsBoundary) },
      env(),
    );
    return { account: r.account, result: { User: userShape(r.user) } };
  }),
  action('CreateGroup', (p, a) => {
    const r = edit.createGroup(a, { name: p.GroupName, ...opt('path', p.Path) }, env());
    return { account: r.account, result: { Group: groupShape(r.group) } };
  }),
  action('AddUserToGroup', (p, a) => only(edit.addUserToGroup(a, p.GroupName, p.UserName))),
  action('RemoveUserFromGroup', (p, a) => only(edit.removeUserFromGroup(a, p.GroupName, p.UserName))),
  action('CreatePolicy', (p, a) => {
    const r = edit.createPolicy(
      a,
      {
        name: p.PolicyName,
        document: p.PolicyDocument,
        ...opt('path', p.Path),
        ...opt('description', p.Description),
        tags: tagsOf(p.Tags),
      },
      env(),
    );
    return { account: r.account, result: { Policy: policyShape(r.account, r.policy) } };
  }),
  action('CreatePolicyVersion', (p, a) => {
    const r = edit.createPolicyVersion(a, p.PolicyArn, p.PolicyDocument, p.SetAsDefault ?? false, env());
    return { account: r.account, result: { PolicyVersion: versionShape(r.version, false) } };
  }),
  action('DeletePolicy', (p, a) => only(edit.deletePolicy(a, p.PolicyArn))),
  action('DeletePolicyVersion', (p, a) => only(edit.deletePolicyVersion(a, p.PolicyArn, p.VersionId))),
  action('SetDefaultPolicyVersion', (p, a) => only(edit.setDefaultPolicyVersion(a, p.PolicyArn, p.VersionId))),
  ...perEntity('role'),
  ...perEntity('user'),
  ...perEntity('group'),
];
