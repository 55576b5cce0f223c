/**
 * IAM's instance-profile, identity-provider (OIDC, SAML) and policy-tag
 * operations: reads over the caller's account, writes as pure edits from
 * account/edit applied in one store transaction (writes.ts `write`).
 */
import * as edit from '../../account/edit/index.js';
import type { Account, Tag } from '../../account/model.js';
import type { IamOperationName, Tag as IamTag } from '../../protocol/generated/iam.js';
import { callerAccount, iamCall } from './account.js';
import { type Answer, type IamAction, type IamInput, type IamOutput, type IamResult, iamAction } from './registry.js';
import { type Page, type PageInput, page } from './simulate-shape.js';
import { instanceProfileShape, tags } from './shapes.js';
import { type Edit, env, tagsOf, write } from './writes.js';

/** A read of the caller's account; its answer is the operation's output (registry.ts `IamResult`). */
export const read = <K extends IamOperationName, R extends Answer<IamOutput<K>>>(name: K, run: (p: IamInput<K>, a: Account) => IamResult<K, R>): IamAction =>
  iamAction<K, R>(name, false, (p, ctx) => iamCall(() => run(p, callerAccount(ctx))));

/** A write: a pure edit of the caller's account, with the action's result when the operation has an output. */
export const change = <K extends IamOperationName, R extends Answer<IamOutput<K>>>(
  name: K,
  fn: (p: IamInput<K>, a: Account) => Edit<IamResult<K, R>> | Account,
): IamAction =>
  iamAction<K, R>(name, true, (p, ctx) =>
    write(ctx, (a) => {
      const r = fn(p, a);
      return 'account' in r ? r : { account: r };
    }),
  );

export const tagPage = (t: readonly Tag[], p: PageInput): Page<'Tags', IamTag> => page(tags(t), p, 'Tags');

const INSTANCE_PROFILES: readonly IamAction[] = [
  change('CreateInstanceProfile', (p, a) => {
    const r = edit.createInstanceProfile(a, { name: p.InstanceProfileName, ...(p.Path !== undefined ? { path: p.Path } : {}), tags: tagsOf(p.Tags) }, env());
    return { account: r.account, result: { InstanceProfile: instanceProfileShape(r.account, r.profile) } };
  }),
  change('DeleteInstanceProfile', (p, a) => edit.deleteInstanceProfile(a, p.InstanceProfileName)),
  change('AddRoleToInstanceProfile', (p, a) => edit.addRoleToInstanceProfile(a, p.InstanceProfileName, p.RoleName)),
  change('RemoveRoleFromInstanceProfile', (p, a) => edit.removeRoleFromInstanceProfile(a, p.InstanceProfileName, p.RoleName)),
  change('TagInstanceProfile', (p, a) => edit.tagInstanceProfile(a, p.InstanceProfileName, tagsOf(p.Tags))),
  change('UntagInstanceProfile', (p, a) => edit.untagInstanceProfile(a, p.InstanceProfileName, p.TagKeys)),
  read('GetInstanceProfile', (p, a) => ({ InstanceProfile: instanceProfileShape(a, edit.requireInstanceProfile(a, p.InstanceProfileName)) })),
  read('ListInstanceProfiles', (p, a) => {
    const prefix = p.PathPrefix ?? '/';
    const list = edit.instanceProfilesOf(a).filter((x) => x.path.startsWith(prefix));
    return page(
      list.map((x) => instanceProfileShape(a, x)),
      p,
      'InstanceProfiles',
    );
  }),
  read('ListInstanceProfileTags', (p, a) => tagPage(edit.requireInstanceProfile(a, p.InstanceProfileName).tags, p)),
];

const OIDC: readonly IamAction[] = [
  change('CreateOpenIDConnectProvider', (p, a) => {
    const r = edit.createOidcProvider(
      a,
      {
        url: p.Url,
        ...(p.ClientIDList ? { clientIds: p.ClientIDList } : {}),
        ...(p.ThumbprintList ? { thumbprints: p.ThumbprintList } : {}),
        tags: tagsOf(p.Tags),
      },
      env(),
    );
    return { account: r.account, result: { OpenIDConnectProviderArn: r.provider.arn, ...(r.provider.tags.length > 0 ? { Tags: tags(r.provider.tags) } : {}) } };
  }),
  change('DeleteOpenIDConnectProvider', (p, a) => edit.deleteOidcProvider(a, p.OpenIDConnectProviderArn)),
  change('AddClientIDToOpenIDConnectProvider', (p, a) => edit.addOidcClientId(a, p.OpenIDConnectProviderArn, p.ClientID)),
  change('RemoveClientIDFromOpenIDConnectProvider', (p, a) => edit.removeOidcClientId(a, p.OpenIDConnectProviderArn, p.ClientID)),
  change('UpdateOpenIDConnectProviderThumbprint', (p, a) => edit.updateOidcThumbprints(a, p.OpenIDConnectProviderArn, p.ThumbprintList)),
  change('TagOpenIDConnectProvider', (p, a) => edit.tagOidcProvider(a, p.OpenIDConnectProviderArn, tagsOf(p.Tags))),
  change('UntagOpenIDConnectProvider', (p, a) => edit.untagOidcProvider(a, p.OpenIDConnectProviderArn, p.TagKeys)),
  read('GetOpenIDConnectProvider', (p, a) => {
    const x = edit.requireOidcProvider(a, p.OpenIDConnectProviderArn);
    // GetOpenIDConnectProvider answers the URL without its scheme (IAM API Reference, GetOpenIDConnectProvider example).
    return { Url: x.url.replace(/^https:\/\//, ''), ClientIDList: x.clientIds, ThumbprintList: x.thumbprints, CreateDate: x.createDate, Tags: tags(x.tags) };
  }),
  read('ListOpenIDConnectProviders', (_p, a) => ({ OpenIDConnectProviderList: (a.oidcProviders ?? []).map((x) => ({ Arn: x.arn })) })),
  read('ListOpenIDConnectProviderTags', (p, a) => tagPage(edit.requireOidcProvider(a, p.OpenIDConnectProviderArn).tags, p)),
];

const SAML: readonly IamAction[] = [
  change('CreateSAMLProvider', (p, a) => {
    const r = edit.createSamlProvider(a, { name: p.Name, metadataDocument: p.SAMLMetadataDocument, tags: tagsOf(p.Tags) }, env());
    return { account: r.account, result: { SAMLProviderArn: r.provider.arn, ...(r.provider.tags.length > 0 ? { Tags: tags(r.provider.tags) } : {}) } };
  }),
  change('UpdateSAMLProvider', (p, a) => ({
    account: edit.updateSamlProvider(a, p.SAMLProviderArn, p.SAMLMetadataDocument),
    result: { SAMLProviderArn: p.SAMLProviderArn },
  })),
  change('DeleteSAMLProvider', (p, a) => edit.deleteSamlProvider(a, p.SAMLProviderArn)),
  change('TagSAMLProvider', (p, a) => edit.tagSamlProvider(a, p.SAMLProviderArn, tagsOf(p.Tags))),
  change('UntagSAMLProvider', (p, a) => edit.untagSamlProvider(a, p.SAMLProviderArn, p.TagKeys)),
  read('GetSAMLProvider', (p, a) => {
    const x = edit.requireSamlProvider(a, p.SAMLProviderArn);
    return { SAMLMetadataDocument: x.metadataDocument, CreateDate: x.createDate, ...(x.validUntil ? { ValidUntil: x.validUntil } : {}), Tags: tags(x.tags) };
  }),
  read('ListSAMLProviders', (_p, a) => ({
    SAMLProviderList: (a.samlProviders ?? []).map((x) => ({ Arn: x.arn, ...(x.validUntil ? { ValidUntil: x.validUntil } : {}), CreateDate: x.createDate })),
  })),
  read('ListSAMLProviderTags', (p, a) => tagPage(edit.requireSamlProvider(a, p.SAMLProviderArn).tags, p)),
];

const POLICY_TAGS: readonly IamAction[] = [
  change('TagPolicy', (p, a) => edit.tagPolicy(a, p.PolicyArn, tagsOf(p.Tags))),
  change('UntagPolicy', (p, a) => edit.untagPolicy(a, p.PolicyArn, p.TagKeys)),
  read('ListPolicyTags', (p, a) => tagPage(edit.requirePolicy(a, p.PolicyArn).tags ?? [], p)),
];

export const RESOURCE_ACTIONS: readonly IamAction[] = [...INSTANCE_PROFILES, ...OIDC, ...SAML, ...POLICY_TAGS];
