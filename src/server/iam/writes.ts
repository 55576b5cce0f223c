/**
 * IAM's write actions: each is a pure edit from account/edit applied to the
 * caller's account in one store transaction (Engine.updateAccount); the model
 * reloads before the response, so the next request sees the change.
 */
import { randomBytes } from 'node:crypto';
import type { Account, Tag } from '../../account/model.js';
import * as edit from '../../account/edit/index.js';
import { EditError } from '../../account/edit/rules.js';
import type { RequestContext } from '../types.js';
import { callerAccountId, toApiError } from './account.js';
import type { IamOperationName } from '../../protocol/generated/iam.js';
import { type Answer, type IamAction, type IamInput, type IamOutput, type IamResult, iamAction } from './registry.js';
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

/** A pure edit's new account and the action's result (absent for operations without an output). */
export interface Edit<T> {
  readonly account: Account;
  readonly result?: T;
}

/** Applies `fn` to the caller's stored account; `fn` returns the new account and the action's result. */
export async function write<T>(ctx: RequestContext, fn: (a: Account) => Edit<T>): Promise<T> {
  const id = callerAccountId(ctx);
  if (ctx.engine.overlayAccounts.has(id)) {
    throw toApiError(
      new EditError('UnmodifiableEntity', `Account ${id} comes from --account files; start iamsim serve with --db (or without --account) to edit it.`),
    );
  }
  try {
    // An operation without an output has no result: the serializer writes the empty result element.
    return await ctx.engine.updateAccount(id, (current) => {
      const r = fn(current ?? edit.emptyAccount(id));
      return { account: r.account, result: r.result as T };
    });
  } catch (e) {
    if (e instanceof EditError) throw toApiError(e);
    throw e;
  }
}

const action = <K extends IamOperationName, R extends Answer<IamOutput<K>>>(name: K, fn: (p: IamInput<K>, a: Account) => Edit<IamResult<K, R>>): IamAction =>
  iamAction<K, R>(name, true, (p, ctx) => write(ctx, (a) => fn(p, a)));

const only = (account: Account): { account: Account } => ({ account });

/** The model's Tag list (Key and Value both required, checked by the model) as the account model's tags. */
export function tagsOf(tags: readonly { readonly Key: string; readonly Value: string }[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
}

/** The writes of users, groups and roles that differ only in the entity's kind (each typed by its own operation's input). */
const ENTITY_WRITES: readonly IamAction[] = [
  action('DeleteRole', (p, a) => only(edit.deleteEntity(a, 'role', p.RoleName))),
  action('DeleteUser', (p, a) => only(edit.deleteEntity(a, 'user', p.UserName))),
  action('DeleteGroup', (p, a) => only(edit.deleteEntity(a, 'group', p.GroupName))),
  action('PutRolePolicy', (p, a) => only(edit.putInlinePolicy(a, 'role', p.RoleName, p.PolicyName, p.PolicyDocument))),
  action('PutUserPolicy', (p, a) => only(edit.putInlinePolicy(a, 'user', p.UserName, p.PolicyName, p.PolicyDocument))),
  action('PutGroupPolicy', (p, a) => only(edit.putInlinePolicy(a, 'group', p.GroupName, p.PolicyName, p.PolicyDocument))),
  action('DeleteRolePolicy', (p, a) => only(edit.deleteInlinePolicy(a, 'role', p.RoleName, p.PolicyName))),
  action('DeleteUserPolicy', (p, a) => only(edit.deleteInlinePolicy(a, 'user', p.UserName, p.PolicyName))),
  action('DeleteGroupPolicy', (p, a) => only(edit.deleteInlinePolicy(a, 'group', p.GroupName, p.PolicyName))),
  action('AttachRolePolicy', (p, a) => only(edit.attachPolicy(a, 'role', p.RoleName, p.PolicyArn))),
  action('AttachUserPolicy', (p, a) => only(edit.attachPolicy(a, 'user', p.UserName, p.PolicyArn))),
  action('AttachGroupPolicy', (p, a) => only(edit.attachPolicy(a, 'group', p.GroupName, p.PolicyArn))),
  action('DetachRolePolicy', (p, a) => only(edit.detachPolicy(a, 'role', p.RoleName, p.PolicyArn))),
  action('DetachUserPolicy', (p, a) => only(edit.detachPolicy(a, 'user', p.UserName, p.PolicyArn))),
  action('DetachGroupPolicy', (p, a) => only(edit.detachPolicy(a, 'group', p.GroupName, p.PolicyArn))),
  action('TagRole', (p, a) => only(edit.tagEntity(a, 'role', p.RoleName, tagsOf(p.Tags)))),
  action('TagUser', (p, a) => only(edit.tagEntity(a, 'user', p.UserName, tagsOf(p.Tags)))),
  action('UntagRole', (p, a) => only(edit.untagEntity(a, 'role', p.RoleName, p.TagKeys))),
  action('UntagUser', (p, a) => only(edit.untagEntity(a, 'user', p.UserName, p.TagKeys))),
  action('PutRolePermissionsBoundary', (p, a) => only(edit.setPermissionsBoundary(a, 'role', p.RoleName, p.PermissionsBoundary))),
  action('PutUserPermissionsBoundary', (p, a) => only(edit.setPermissionsBoundary(a, 'user', p.UserName, p.PermissionsBoundary))),
  action('DeleteRolePermissionsBoundary', (p, a) => only(edit.setPermissionsBoundary(a, 'role', p.RoleName, undefined))),
  action('DeleteUserPermissionsBoundary', (p, a) => only(edit.setPermissionsBoundary(a, 'user', p.UserName, undefined))),
];

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
  ...ENTITY_WRITES,
];
