/**
 * Pure edits of an account's identity providers, as IAM's APIs make them:
 * OpenID Connect (CreateOpenIDConnectProvider, Add/RemoveClientID…,
 * UpdateOpenIDConnectProviderThumbprint, DeleteOpenIDConnectProvider — the
 * client-ID edits and the delete are idempotent, as the IAM API Reference
 * says) and SAML 2.0 (CreateSAMLProvider, UpdateSAMLProvider,
 * DeleteSAMLProvider), with their tags. Quotas: IAM User Guide, "IAM and AWS
 * STS quotas" (100 OIDC and 100 SAML providers per account, 100 client IDs
 * per OIDC provider).
 */
import type { Account, OidcProvider, SamlProvider, Tag } from '../model.js';
import type { EditEnv } from './entities.js';
import { checkTags, EditError, mergeTags, removeTags } from './rules.js';

export const PROVIDER_QUOTAS = { oidcPerAccount: 100, samlPerAccount: 100, clientIdsPerOidcProvider: 100 } as const;

// ---- OpenID Connect

export function requireOidcProvider(a: Account, arn: string): OidcProvider {
  const p = (a.oidcProviders ?? []).find((x) => x.arn === arn);
  if (p === undefined) throw new EditError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

function replaceOidc(a: Account, arn: string, next: OidcProvider | undefined): Account {
  const list = a.oidcProviders ?? [];
  return { ...a, oidcProviders: next === undefined ? list.filter((p) => p.arn !== arn) : list.map((p) => (p.arn === arn ? next : p)) };
}

function checkClientIds(ids: readonly string[]): void {
  if (ids.length > PROVIDER_QUOTAS.clientIdsPerOidcProvider)
    throw new EditError('LimitExceeded', `Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${PROVIDER_QUOTAS.clientIdsPerOidcProvider}`);
}

export function createOidcProvider(
  a: Account,
  p: { url: string; clientIds?: readonly string[]; thumbprints?: readonly string[]; tags?: readonly Tag[] },
  env: EditEnv,
): { account: Account; provider: OidcProvider } {
  if (!p.url.startsWith('https://') || p.url.length <= 'https://'.length)
    throw new EditError('InvalidInput', `Invalid URL ${p.url}: it must begin with https://`);
  const clientIds = [...new Set(p.clientIds ?? [])];
  checkClientIds(clientIds);
  checkTags(p.tags ?? [], (p.tags ?? []).length);
  const arn = `arn:aws:iam::${a.id}:oidc-provider/${p.url.slice('https://'.length)}`;
  const list = a.oidcProviders ?? [];
  if (list.some((x) => x.arn.toLowerCase() === arn.toLowerCase())) throw new EditError('EntityAlreadyExists', `Provider with url ${p.url} already exists.`);
  if (list.length >= PROVIDER_QUOTAS.oidcPerAccount)
    throw new EditError('LimitExceeded', `Cannot exceed quota for OpenIdConnectProvidersPerAccount: ${PROVIDER_QUOTAS.oidcPerAccount}`);
  const provider: OidcProvider = { arn, url: p.url, clientIds, thumbprints: [...(p.thumbprints ?? [])], createDate: env.now, tags: [...(p.tags ?? [])] };
  return { account: { ...a, oidcProviders: [...list, provider] }, provider };
}

/** Idempotent: deleting a provider that does not exist is no error. */
export function deleteOidcProvider(a: Account, arn: string): Account {
  return replaceOidc(a, arn, undefined);
}

/** Idempotent: adding a client ID the provider has is no error. */
export function addOidcClientId(a: Account, arn: string, clientId: string): Account {
  const p = requireOidcProvider(a, arn);
  if (p.clientIds.includes(clientId)) return a;
  checkClientIds([...p.clientIds, clientId]);
  return replaceOidc(a, arn, { ...p, clientIds: [...p.clientIds, clientId] });
}

/** Idempotent: removing a client ID the provider lacks is no error. */
export function removeOidcClientId(a: Account, arn: string, clientId: string): Account {
  const p = requireOidcProvider(a, arn);
  return replaceOidc(a, arn, { ...p, clientIds: p.clientIds.filter((c) => c !== clientId) });
}

export function updateOidcThumbprints(a: Account, arn: string, thumbprints: readonly string[]): Account {
  const p = requireOidcProvider(a, arn);
  return replaceOidc(a, arn, { ...p, thumbprints: [...thumbprints] });
}

export function tagOidcProvider(a: Account, arn: string, tags: readonly Tag[]): Account {
  const p = requireOidcProvider(a, arn);
  return replaceOidc(a, arn, { ...p, tags: mergeTags(p.tags, tags) });
}

export function untagOidcProvider(a: Account, arn: string, keys: readonly string[]): Account {
  const p = requireOidcProvider(a, arn);
  return replaceOidc(a, arn, { ...p, tags: removeTags(p.tags, keys) });
}

// ---- SAML

export function requireSamlProvider(a: Account, arn: string): SamlProvider {
  const p = (a.samlProviders ?? []).find((x) => x.arn === arn);
  if (p === undefined) throw new EditError('NoSuchEntity', `SAML provider not found for arn ${arn}`);
  return p;
}

function replaceSaml(a: Account, arn: string, next: SamlProvider | undefined): Account {
  const list = a.samlProviders ?? [];
  return { ...a, samlProviders: next === undefined ? list.filter((p) => p.arn !== arn) : list.map((p) => (p.arn === arn ? next : p)) };
}

/**
 * The metadata document must be SAML 2.0 metadata (an EntityDescriptor, in any
 * namespace prefix); its `validUntil`, when present, is the provider's ValidUntil.
 */
function readMetadata(doc: string): { validUntil?: string } {
  if (!/<(?:[\w.-]+:)?EntityDescriptor[\s>/]/.test(doc)) throw new EditError('InvalidInput', 'Could not parse metadata: it has no SAML 2.0 EntityDescriptor.');
  const m = /<(?:[\w.-]+:)?EntityDescriptor\b[^>]*\svalidUntil\s*=\s*["']([^"']+)["']/.exec(doc);
  if (m === null) return {};
  const t = Date.parse(m[1]!);
  if (Number.isNaN(t)) throw new EditError('InvalidInput', `Could not parse metadata: validUntil ${m[1]} is not a date.`);
  return { validUntil: new Date(t).toISOString().replace(/\.000Z$/, 'Z') };
}

export function createSamlProvider(
  a: Account,
  p: { name: string; metadataDocument: string; tags?: readonly Tag[] },
  env: EditEnv,
): { account: Account; provider: SamlProvider } {
  const meta = readMetadata(p.metadataDocument);
  checkTags(p.tags ?? [], (p.tags ?? []).length);
  const list = a.samlProviders ?? [];
  const arn = `arn:aws:iam::${a.id}:saml-provider/${p.name}`;
  if (list.some((x) => x.name.toLowerCase() === p.name.toLowerCase())) throw new EditError('EntityAlreadyExists', `SAMLProvider ${p.name} already exists.`);
  if (list.length >= PROVIDER_QUOTAS.samlPerAccount)
    throw new EditError('LimitExceeded', `Cannot exceed quota for SamlProvidersPerAccount: ${PROVIDER_QUOTAS.samlPerAccount}`);
  const provider: SamlProvider = { arn, name: p.name, metadataDocument: p.metadataDocument, createDate: env.now, ...meta, tags: [...(p.tags ?? [])] };
  return { account: { ...a, samlProviders: [...list, provider] }, provider };
}

export function updateSamlProvider(a: Account, arn: string, metadataDocument: string | undefined): Account {
  const p = requireSamlProvider(a, arn);
  if (metadataDocument === undefined) return a;
  const { validUntil: _old, ...rest } = p;
  return replaceSaml(a, arn, { ...rest, metadataDocument, ...readMetadata(metadataDocument) });
}

export function deleteSamlProvider(a: Account, arn: string): Account {
  requireSamlProvider(a, arn);
  return replaceSaml(a, arn, undefined);
}

export function tagSamlProvider(a: Account, arn: string, tags: readonly Tag[]): Account {
  const p = requireSamlProvider(a, arn);
  return replaceSaml(a, arn, { ...p, tags: mergeTags(p.tags, tags) });
}

export function untagSamlProvider(a: Account, arn: string, keys: readonly string[]): Account {
  const p = requireSamlProvider(a, arn);
  return replaceSaml(a, arn, { ...p, tags: removeTags(p.tags, keys) });
}
