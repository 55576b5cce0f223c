/**
 * Importer for `aws iam get-account-authorization-details` output, as the AWS
 * CLI prints it (documents as JSON objects) or as the raw API returns it
 * (documents URL-encoded).
 */
import type { Diagnostic, JsonPath } from '../../diagnostics/diagnostic.js';
import { parseArn } from '../../primitives/arn.js';
import { isAwsManagedArn } from '../managed.js';
import { DEFAULT_MAX_SESSION_DURATION } from '../model.js';
import type { InlinePolicy, ManagedPolicy, ManagedPolicyRef, PolicyVersion, Tag } from '../model.js';
import { accountOfArn, newDraft } from './draft.js';
import type { AccountDraft } from './draft.js';
import { isRecord, makeDiagnostic, readArray, readDocument, readString } from './source.js';
import type { InputSource } from './source.js';

export function isAuthorizationDetails(value: unknown): boolean {
  return (
    isRecord(value) &&
    ('UserDetailList' in value ||
      'RoleDetailList' in value ||
      'GroupDetailList' in value ||
      ('Policies' in value && Array.isArray(value['Policies']) && isRecord(value['Policies'][0]) && 'PolicyVersionList' in value['Policies'][0]))
  );
}

interface Ctx {
  readonly src: InputSource;
  readonly out: Diagnostic[];
  readonly draft: AccountDraft;
}

function inlinePolicies(ctx: Ctx, obj: Record<string, unknown>, key: string, path: JsonPath, owner: string): InlinePolicy[] {
  const result: InlinePolicy[] = [];
  readArray(ctx.src, obj, key, path, ctx.out).forEach((item, i) => {
    const p = [...path, key, i];
    if (!isRecord(item)) {
      ctx.out.push(makeDiagnostic(ctx.src, 'FIELD_TYPE', 'error', `${key} entries must be objects`, p));
      return;
    }
    const name = readString(ctx.src, item, 'PolicyName', p, ctx.out, true) ?? `${key}.${i}`;
    const doc = readDocument(ctx.src, [...p, 'PolicyDocument'], `${owner} inline policy ${name}`, ctx.out);
    if (doc) result.push({ name, document: doc.text, origin: doc.origin });
  });
  return result;
}

function attached(ctx: Ctx, obj: Record<string, unknown>, path: JsonPath, owner: string): ManagedPolicyRef[] {
  const result: ManagedPolicyRef[] = [];
  readArray(ctx.src, obj, 'AttachedManagedPolicies', path, ctx.out).forEach((item, i) => {
    const p = [...path, 'AttachedManagedPolicies', i];
    if (!isRecord(item)) return;
    const arn = readString(ctx.src, item, 'PolicyArn', p, ctx.out, true);
    if (!arn) return;
    const name = readString(ctx.src, item, 'PolicyName', p, ctx.out) ?? arn.slice(arn.lastIndexOf('/') + 1);
    result.push({ arn, name });
    ctx.draft.refs.push({ owner, arn, boundary: false, source: ctx.src, path: p });
  });
  return result;
}

function boundary(ctx: Ctx, obj: Record<string, unknown>, path: JsonPath, owner: string): string | undefined {
  const pb = obj['PermissionsBoundary'];
  if (!isRecord(pb)) return undefined;
  const p = [...path, 'PermissionsBoundary'];
  const arn = readString(ctx.src, pb, 'PermissionsBoundaryArn', p, ctx.out, true);
  if (arn) ctx.draft.refs.push({ owner, arn, boundary: true, source: ctx.src, path: p });
  return arn;
}

function tags(ctx: Ctx, obj: Record<string, unknown>, path: JsonPath): Tag[] {
  const result: Tag[] = [];
  readArray(ctx.src, obj, 'Tags', path, ctx.out).forEach((item, i) => {
    if (!isRecord(item)) return;
    const p = [...path, 'Tags', i];
    const key = readString(ctx.src, item, 'Key', p, ctx.out, true);
    const value = readString(ctx.src, item, 'Value', p, ctx.out) ?? '';
    if (key !== undefined) result.push({ key, value });
  });
  return result;
}

function pathOf(ctx: Ctx, item: Record<string, unknown>, p: JsonPath): string {
  return readString(ctx.src, item, 'Path', p, ctx.out) ?? '/';
}

function idOpt(ctx: Ctx, item: Record<string, unknown>, key: string, p: JsonPath): { id?: string } {
  const id = readString(ctx.src, item, key, p, ctx.out);
  return id !== undefined ? { id } : {};
}

/** The entity's CreateDate, kept as exported (IAM returns it for every user, group, role and policy). */
function createDateOpt(ctx: Ctx, item: Record<string, unknown>, p: JsonPath): { createDate?: string } {
  const d = readString(ctx.src, item, 'CreateDate', p, ctx.out);
  return d !== undefined ? { createDate: d } : {};
}

function managedPolicy(ctx: Ctx, item: Record<string, unknown>, p: JsonPath): ManagedPolicy | undefined {
  const arn = readString(ctx.src, item, 'Arn', p, ctx.out, true);
  const name = readString(ctx.src, item, 'PolicyName', p, ctx.out, true);
  if (!arn || !name) return undefined;
  const versions: PolicyVersion[] = [];
  readArray(ctx.src, item, 'PolicyVersionList', p, ctx.out).forEach((v, i) => {
    const vp = [...p, 'PolicyVersionList', i];
    if (!isRecord(v)) return;
    const versionId = readString(ctx.src, v, 'VersionId', vp, ctx.out, true) ?? `v${i + 1}`;
    const doc = readDocument(ctx.src, [...vp, 'Document'], `managed policy ${name} ${versionId}`, ctx.out);
    if (!doc) return;
    const createDate = readString(ctx.src, v, 'CreateDate', vp, ctx.out);
    versions.push({
      versionId,
      isDefault: v['IsDefaultVersion'] === true,
      document: doc.text,
      origin: doc.origin,
      ...(createDate !== undefined ? { createDate } : {}),
    });
  });
  const defaultVersionId = readString(ctx.src, item, 'DefaultVersionId', p, ctx.out) ?? versions.find((v) => v.isDefault)?.versionId;
  // IAM evaluates only the default version (IAM User Guide: access_policies_managed-versioning).
  const def = versions.find((v) => v.versionId === defaultVersionId);
  if (!def || defaultVersionId === undefined) {
    ctx.out.push(
      makeDiagnostic(
        ctx.src,
        'DEFAULT_VERSION_MISSING',
        'error',
        `managed policy ${name}: the default version ${defaultVersionId ?? '(none)'} is not in PolicyVersionList`,
        p,
      ),
    );
    return undefined;
  }
  const description = readString(ctx.src, item, 'Description', p, ctx.out);
  return {
    arn,
    name,
    path: pathOf(ctx, item, p),
    ...idOpt(ctx, item, 'PolicyId', p),
    ...createDateOpt(ctx, item, p),
    ...(description !== undefined ? { description } : {}),
    awsManaged: isAwsManagedArn(arn),
    defaultVersionId,
    versions: versions.map((v) => ({ ...v, isDefault: v.versionId === defaultVersionId })),
    document: def.document,
  };
}

/**
 * True when the output is one page of several: the API's `IsTruncated: true`
 * (with `Marker`), or the AWS CLI's `NextToken` when --max-items cut it short.
 */
export function isTruncatedPage(value: unknown): boolean {
  return isRecord(value) && (value['IsTruncated'] === true || typeof value['NextToken'] === 'string');
}

/** The account ids of the file's IAM ARNs (AWS managed policies belong to none). */
function accountsOf(value: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  for (const list of ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies']) {
    const items = value[list];
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (!isRecord(item) || typeof item['Arn'] !== 'string') continue;
      const id = accountOfArn(item['Arn']);
      if (id) ids.add(id);
    }
  }
  return [...ids];
}

/**
 * Reads one get-account-authorization-details output. An export that holds
 * entities of several accounts (e.g. concatenated pages of an organization's
 * accounts) yields one account per account id; each entity goes to the
 * account its ARN names, and AWS managed policies to every account.
 */
export function importAuthorizationDetails(src: InputSource, out: Diagnostic[], accountId?: string): AccountDraft[] {
  const value = src.value;
  if (!isRecord(value)) return [];
  const ids = accountsOf(value);
  if (ids.length === 0 && accountId === undefined) {
    out.push(makeDiagnostic(src, 'ACCOUNT_ID_UNKNOWN', 'error', 'cannot tell the account id: the file has no IAM ARNs; pass the account id explicitly'));
    return [];
  }
  const ctxs = new Map<string, Ctx>();
  for (const id of ids.length > 0 ? ids : [accountId ?? '']) {
    const draft = newDraft(id);
    draft.sources.push(src.file);
    ctxs.set(id, { src, out, draft });
  }
  const first = [...ctxs.values()][0] as Ctx;
  const ctxOf = (arn: string): Ctx => ctxs.get(accountOfArn(arn) ?? '') ?? first;
  const sole = ctxs.size === 1 ? first.draft.id : undefined;
  readEntities(src, value, out, ctxOf, (item, p) => entityArn(src, item, p, out, sole));
  readArray(src, value, 'Policies', [], out).forEach((item, i) => {
    if (!isRecord(item)) return;
    const arn = typeof item['Arn'] === 'string' ? item['Arn'] : '';
    const owners = accountOfArn(arn) === undefined && isAwsManagedArn(arn) ? [...ctxs.values()] : [ctxOf(arn)];
    for (const ctx of owners) {
      const mp = managedPolicy(ctx, item, ['Policies', i]);
      if (mp) ctx.draft.managedPolicies.push(mp);
    }
  });
  const drafts = [...ctxs.values()].map((c) => c.draft);
  if (drafts.length > 1) {
    // Keep in each account only the AWS managed policies its entities use.
    for (const d of drafts) {
      const used = new Set(d.refs.map((r) => r.arn));
      const keep = d.managedPolicies.filter((mp) => !mp.awsManaged || used.has(mp.arn));
      d.managedPolicies.splice(0, d.managedPolicies.length, ...keep);
    }
  }
  return drafts;
}

/**
 * The ARN of a user, group or role. IAM entity ARNs name their 12-digit
 * account (IAM User Guide: reference_identifiers, IAM ARNs); an export whose
 * ARNs were edited (e.g. `arn:aws:iam::aws:user/NAME`, with "aws" in place
 * of the account) is read as the file's one account, with a warning; when the
 * file holds several accounts the entity's account is unknown: an error.
 */
function entityArn(src: InputSource, item: Record<string, unknown>, p: JsonPath, out: Diagnostic[], sole: string | undefined): string | undefined {
  const given = readString(src, item, 'Arn', p, out, true);
  if (given === undefined || accountOfArn(given) !== undefined) return given;
  const parsed = parseArn(given);
  if (parsed === undefined || parsed.service !== 'iam') {
    out.push(makeDiagnostic(src, 'ENTITY_ARN_INVALID', 'error', `${given} is not an IAM ARN`, [...p, 'Arn']));
    return undefined;
  }
  const what = `${given} names account "${parsed.account}", not a 12-digit account id`;
  if (sole === undefined || sole === '') {
    out.push(makeDiagnostic(src, 'ENTITY_ARN_ACCOUNT', 'error', `${what}, and the file's account is not unique: pass the account id`, [...p, 'Arn']));
    return undefined;
  }
  const fixed = `arn:${parsed.partition}:iam::${sole}:${parsed.resource}`;
  out.push(makeDiagnostic(src, 'ENTITY_ARN_ACCOUNT', 'warning', `${what}; read as ${fixed} (the account of the file's other ARNs)`, [...p, 'Arn']));
  return fixed;
}

type ArnReader = (item: Record<string, unknown>, p: JsonPath) => string | undefined;

function readEntities(src: InputSource, value: Record<string, unknown>, out: Diagnostic[], ctxOf: (arn: string) => Ctx, arnOf: ArnReader): void {
  readArray(src, value, 'UserDetailList', [], out).forEach((item, i) => {
    const p: JsonPath = ['UserDetailList', i];
    if (!isRecord(item)) return;
    const name = readString(src, item, 'UserName', p, out, true);
    const arn = arnOf(item, p);
    if (!name || !arn) return;
    const ctx = ctxOf(arn);
    const draft = ctx.draft;
    const owner = `user ${name}`;
    const groups: string[] = [];
    readArray(src, item, 'GroupList', p, out).forEach((g, gi) => {
      if (typeof g !== 'string') return;
      groups.push(g);
      draft.groupSites.push({ user: name, group: g, source: src, path: [...p, 'GroupList', gi] });
    });
    const pb = boundary(ctx, item, p, owner);
    draft.users.push({
      arn,
      name,
      path: pathOf(ctx, item, p),
      ...idOpt(ctx, item, 'UserId', p),
      ...createDateOpt(ctx, item, p),
      groups,
      inlinePolicies: inlinePolicies(ctx, item, 'UserPolicyList', p, owner),
      managedPolicies: attached(ctx, item, p, owner),
      ...(pb !== undefined ? { permissionsBoundary: pb } : {}),
      tags: tags(ctx, item, p),
    });
  });

  readArray(src, value, 'GroupDetailList', [], out).forEach((item, i) => {
    const p: JsonPath = ['GroupDetailList', i];
    if (!isRecord(item)) return;
    const name = readString(src, item, 'GroupName', p, out, true);
    const arn = arnOf(item, p);
    if (!name || !arn) return;
    const ctx = ctxOf(arn);
    const owner = `group ${name}`;
    ctx.draft.groups.push({
      arn,
      name,
      path: pathOf(ctx, item, p),
      ...idOpt(ctx, item, 'GroupId', p),
      ...createDateOpt(ctx, item, p),
      inlinePolicies: inlinePolicies(ctx, item, 'GroupPolicyList', p, owner),
      managedPolicies: attached(ctx, item, p, owner),
    });
  });

  readArray(src, value, 'RoleDetailList', [], out).forEach((item, i) => {
    const p: JsonPath = ['RoleDetailList', i];
    if (!isRecord(item)) return;
    const name = readString(src, item, 'RoleName', p, out, true);
    const arn = arnOf(item, p);
    if (!name || !arn) return;
    const ctx = ctxOf(arn);
    const owner = `role ${name}`;
    const trust = readDocument(src, [...p, 'AssumeRolePolicyDocument'], `${owner} trust policy`, out);
    if (!trust) return;
    const pb = boundary(ctx, item, p, owner);
    const description = readString(src, item, 'Description', p, out);
    const max = item['MaxSessionDuration'];
    ctx.draft.roles.push({
      arn,
      name,
      path: pathOf(ctx, item, p),
      ...idOpt(ctx, item, 'RoleId', p),
      ...createDateOpt(ctx, item, p),
      ...(description !== undefined ? { description } : {}),
      trustPolicy: trust.text,
      trustPolicyOrigin: trust.origin,
      inlinePolicies: inlinePolicies(ctx, item, 'RolePolicyList', p, owner),
      managedPolicies: attached(ctx, item, p, owner),
      ...(pb !== undefined ? { permissionsBoundary: pb } : {}),
      tags: tags(ctx, item, p),
      maxSessionDuration: typeof max === 'number' ? max : DEFAULT_MAX_SESSION_DURATION,
      ...instanceProfilesOf(item),
    });
  });
}

/** The role's instance profiles, when the export lists them (InstanceProfileList: [{ Arn, … }]). */
function instanceProfilesOf(item: Record<string, unknown>): { instanceProfiles?: string[] } {
  const list = item['InstanceProfileList'];
  if (!Array.isArray(list)) return {};
  return { instanceProfiles: list.flatMap((x) => (isRecord(x) && typeof x['Arn'] === 'string' ? [x['Arn']] : [])) };
}
