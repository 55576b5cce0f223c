/**
 * Importer for iamsim's own hand-writable bundle (YAML or JSON), documented
 * in docs/account-bundle.md with the JSON Schema schemas/account-bundle.schema.json.
 */
import type { Diagnostic, JsonPath } from '../../diagnostics/diagnostic.js';
import { parseArn } from '../../primitives/arn.js';
import { resolveAwsManagedPolicy } from '../managed.js';
import { DEFAULT_MAX_SESSION_DURATION } from '../model.js';
import type { InlinePolicy, ManagedPolicy, ManagedPolicyRef, Organization, ResourcePolicy, Tag } from '../model.js';
import { checkKeys, err, list, objects, str, strList } from './bundle-common.js';
import type { BundleCtx } from './bundle-common.js';
import { importBundleOrganization } from './bundle-org.js';
import { newDraft, normalizeAccountId } from './draft.js';
import type { AccountDraft } from './draft.js';
import { resourceKindOf } from './resources.js';
import { isRecord, readDocument } from './source.js';
import type { InputSource } from './source.js';

export interface BundleResult {
  readonly accounts: AccountDraft[];
  readonly resourcePolicies: ResourcePolicy[];
  readonly organization?: Organization;
}

/** A bundle has `accounts` and/or `organization` at the top level. */
export function isBundle(value: unknown): boolean {
  return (
    isRecord(value) && (Array.isArray(value['accounts']) || isRecord(value['organization'])) && !('UserDetailList' in value) && !('RoleDetailList' in value)
  );
}

const TOP_KEYS = ['$schema', 'version', 'accounts', 'organization', 'resourcePolicies'];
const ACCOUNT_KEYS = ['id', 'name', 'policies', 'roles', 'users', 'groups', 'resourcePolicies'];
const ROLE_KEYS = ['name', 'path', 'description', 'trustPolicy', 'policies', 'managedPolicies', 'permissionsBoundary', 'tags', 'maxSessionDuration'];
const USER_KEYS = ['name', 'path', 'groups', 'policies', 'managedPolicies', 'permissionsBoundary', 'tags'];
const GROUP_KEYS = ['name', 'path', 'policies', 'managedPolicies'];
const POLICY_KEYS = ['name', 'path', 'description', 'document'];
const RESOURCE_KEYS = ['arn', 'policy', 'accountId'];

function normPath(p: string | undefined): string {
  if (!p) return '/';
  return `${p.startsWith('/') ? '' : '/'}${p}${p.endsWith('/') ? '' : '/'}`;
}

function inline(ctx: BundleCtx, obj: Record<string, unknown>, path: JsonPath, owner: string): InlinePolicy[] {
  const v = obj['policies'];
  const result: InlinePolicy[] = [];
  if (v === undefined || v === null) return result;
  if (isRecord(v)) {
    for (const name of Object.keys(v)) {
      const doc = readDocument(ctx.src, [...path, 'policies', name], `${owner} inline policy ${name}`, ctx.out);
      if (doc) result.push({ name, document: doc.text, origin: doc.origin });
    }
    return result;
  }
  for (const { obj: item, path: p } of objects(ctx, obj, 'policies', path)) {
    checkKeys(ctx, item, ['name', 'document'], p);
    const name = str(ctx, item, 'name', p, true);
    const doc = readDocument(ctx.src, [...p, 'document'], `${owner} inline policy ${name ?? ''}`, ctx.out);
    if (name && doc) result.push({ name, document: doc.text, origin: doc.origin });
  }
  return result;
}

function tags(ctx: BundleCtx, obj: Record<string, unknown>, path: JsonPath): Tag[] {
  const v = obj['tags'];
  if (v === undefined || v === null) return [];
  if (isRecord(v)) return Object.entries(v).map(([key, value]) => ({ key, value: String(value) }));
  const result: Tag[] = [];
  for (const { obj: item, path: p } of objects(ctx, obj, 'tags', path)) {
    const key = str(ctx, item, 'key', p) ?? str(ctx, item, 'Key', p);
    const value = str(ctx, item, 'value', p) ?? str(ctx, item, 'Value', p) ?? '';
    if (key === undefined) err(ctx, 'BUNDLE_MISSING_FIELD', 'a tag needs a key', p);
    else result.push({ key, value });
  }
  return result;
}

/** Resolves a managed-policy reference: ARN, customer policy name, or AWS managed policy name. */
function policyRef(ctx: BundleCtx, draft: AccountDraft, ref: string, path: JsonPath, owner: string, boundary: boolean): ManagedPolicyRef | undefined {
  let arn: string;
  if (ref.startsWith('arn:')) {
    arn = ref;
  } else {
    const local = draft.managedPolicies.find((p) => p.name === ref);
    if (local) {
      arn = local.arn;
    } else {
      const found = resolveAwsManagedPolicy(ref);
      if (!found.ok) {
        err(
          ctx,
          'UNKNOWN_AWS_MANAGED_POLICY',
          `${owner}: ${boundary ? 'permissions boundary' : 'managed policy'} ${ref} is neither a policy of this account nor a known AWS managed policy`,
          path,
        );
        return undefined;
      }
      arn = found.policy.arn;
    }
  }
  draft.refs.push({ owner, arn, boundary, source: ctx.src, path });
  return { arn, name: arn.slice(arn.lastIndexOf('/') + 1) };
}

function managed(ctx: BundleCtx, draft: AccountDraft, obj: Record<string, unknown>, path: JsonPath, owner: string): ManagedPolicyRef[] {
  const result: ManagedPolicyRef[] = [];
  for (const { value, path: p } of strList(ctx, obj, 'managedPolicies', path)) {
    const ref = policyRef(ctx, draft, value, p, owner, false);
    if (ref) result.push(ref);
  }
  return result;
}

function boundaryOf(ctx: BundleCtx, draft: AccountDraft, obj: Record<string, unknown>, path: JsonPath, owner: string): { permissionsBoundary?: string } {
  const b = str(ctx, obj, 'permissionsBoundary', path);
  if (b === undefined) return {};
  const ref = policyRef(ctx, draft, b, [...path, 'permissionsBoundary'], owner, true);
  return ref ? { permissionsBoundary: ref.arn } : {};
}

function resourcePolicies(ctx: BundleCtx, obj: Record<string, unknown>, path: JsonPath, accountId?: string): ResourcePolicy[] {
  const result: ResourcePolicy[] = [];
  for (const { obj: item, path: p } of objects(ctx, obj, 'resourcePolicies', path)) {
    checkKeys(ctx, item, RESOURCE_KEYS, p);
    const arn = str(ctx, item, 'arn', p, true);
    const doc = readDocument(ctx.src, [...p, 'policy'], `resource policy ${arn ?? ''}`, ctx.out);
    if (!arn || !doc) continue;
    const owner = str(ctx, item, 'accountId', p) ?? accountId ?? parseArn(arn)?.account;
    const { service, kind } = resourceKindOf(arn);
    result.push({
      arn,
      service,
      kind,
      document: doc.text,
      origin: doc.origin,
      ...(owner ? { accountId: normalizeAccountId(owner) } : {}),
    });
  }
  return result;
}

function account(ctx: BundleCtx, obj: Record<string, unknown>, path: JsonPath): AccountDraft | undefined {
  checkKeys(ctx, obj, ACCOUNT_KEYS, path);
  const rawId = str(ctx, obj, 'id', path, true);
  if (rawId === undefined) return undefined;
  const id = normalizeAccountId(rawId);
  if (!/^\d{12}$/.test(id)) err(ctx, 'BUNDLE_ACCOUNT_ID', `account id ${rawId} must be 12 digits`, [...path, 'id']);
  const draft = newDraft(id);
  const name = str(ctx, obj, 'name', path);
  if (name !== undefined) draft.name = name;
  draft.sources.push(ctx.src.file);
  const iam = (kind: string, p: string, n: string): string => `arn:aws:iam::${id}:${kind}${p}${n}`;

  for (const { obj: item, path: p } of objects(ctx, obj, 'policies', path)) {
    checkKeys(ctx, item, POLICY_KEYS, p);
    const pname = str(ctx, item, 'name', p, true);
    const doc = readDocument(ctx.src, [...p, 'document'], `managed policy ${pname ?? ''}`, ctx.out);
    if (!pname || !doc) continue;
    const ppath = normPath(str(ctx, item, 'path', p));
    const description = str(ctx, item, 'description', p);
    const mp: ManagedPolicy = {
      arn: iam('policy', ppath, pname),
      name: pname,
      path: ppath,
      awsManaged: false,
      defaultVersionId: 'v1',
      versions: [{ versionId: 'v1', isDefault: true, document: doc.text, origin: doc.origin }],
      document: doc.text,
      ...(description !== undefined ? { description } : {}),
    };
    draft.managedPolicies.push(mp);
  }
  for (const { obj: item, path: p } of objects(ctx, obj, 'groups', path)) {
    checkKeys(ctx, item, GROUP_KEYS, p);
    const gname = str(ctx, item, 'name', p, true);
    if (!gname) continue;
    const gpath = normPath(str(ctx, item, 'path', p));
    const owner = `group ${gname}`;
    draft.groups.push({
      arn: iam('group', gpath, gname),
      name: gname,
      path: gpath,
      inlinePolicies: inline(ctx, item, p, owner),
      managedPolicies: managed(ctx, draft, item, p, owner),
    });
  }
  for (const { obj: item, path: p } of objects(ctx, obj, 'users', path)) {
    checkKeys(ctx, item, USER_KEYS, p);
    const uname = str(ctx, item, 'name', p, true);
    if (!uname) continue;
    const upath = normPath(str(ctx, item, 'path', p));
    const owner = `user ${uname}`;
    const groups = strList(ctx, item, 'groups', p);
    for (const g of groups) draft.groupSites.push({ user: uname, group: g.value, source: ctx.src, path: g.path });
    draft.users.push({
      arn: iam('user', upath, uname),
      name: uname,
      path: upath,
      groups: groups.map((g) => g.value),
      inlinePolicies: inline(ctx, item, p, owner),
      managedPolicies: managed(ctx, draft, item, p, owner),
      ...boundaryOf(ctx, draft, item, p, owner),
      tags: tags(ctx, item, p),
    });
  }
  for (const { obj: item, path: p } of objects(ctx, obj, 'roles', path)) {
    checkKeys(ctx, item, ROLE_KEYS, p);
    const rname = str(ctx, item, 'name', p, true);
    if (!rname) continue;
    const rpath = normPath(str(ctx, item, 'path', p));
    const owner = `role ${rname}`;
    const trust = readDocument(ctx.src, [...p, 'trustPolicy'], `${owner} trust policy`, ctx.out);
    if (!trust) continue;
    const description = str(ctx, item, 'description', p);
    const max = item['maxSessionDuration'];
    if (max !== undefined && (typeof max !== 'number' || max < 3600 || max > 43200)) {
      err(ctx, 'BUNDLE_FIELD_TYPE', 'maxSessionDuration must be a number of seconds from 3600 to 43200', [...p, 'maxSessionDuration']);
    }
    draft.roles.push({
      arn: iam('role', rpath, rname),
      name: rname,
      path: rpath,
      ...(description !== undefined ? { description } : {}),
      trustPolicy: trust.text,
      trustPolicyOrigin: trust.origin,
      inlinePolicies: inline(ctx, item, p, owner),
      managedPolicies: managed(ctx, draft, item, p, owner),
      ...boundaryOf(ctx, draft, item, p, owner),
      tags: tags(ctx, item, p),
      maxSessionDuration: typeof max === 'number' ? max : DEFAULT_MAX_SESSION_DURATION,
    });
  }
  draft.resourcePolicies.push(...resourcePolicies(ctx, obj, path, id));
  return draft;
}

export function importBundle(src: InputSource, out: Diagnostic[]): BundleResult {
  const ctx: BundleCtx = { src, out };
  const value = src.value as Record<string, unknown>;
  checkKeys(ctx, value, TOP_KEYS, []);
  const version = value['version'];
  if (version !== undefined && version !== 1 && version !== '1') {
    err(ctx, 'BUNDLE_VERSION', `unsupported bundle version ${String(version)} (this iamsim reads version 1)`, ['version']);
  }
  const accounts: AccountDraft[] = [];
  list(ctx, value, 'accounts', []).forEach((item, i) => {
    if (!isRecord(item)) {
      err(ctx, 'BUNDLE_FIELD_TYPE', 'accounts entries must be mappings', ['accounts', i]);
      return;
    }
    const d = account(ctx, item, ['accounts', i]);
    if (d) accounts.push(d);
  });
  const resources = resourcePolicies(ctx, value, []);
  const org = isRecord(value['organization']) ? importBundleOrganization(ctx, value['organization'], ['organization']) : undefined;
  if (value['organization'] !== undefined && !isRecord(value['organization'])) {
    err(ctx, 'BUNDLE_FIELD_TYPE', 'organization must be a mapping', ['organization']);
  }
  return { accounts, resourcePolicies: resources, ...(org ? { organization: org } : {}) };
}
