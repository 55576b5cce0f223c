/**
 * Importer for `aws iam get-account-authorization-details` output, as the AWS
 * CLI prints it (documents as JSON objects) or as the raw API returns it
 * (documents URL-encoded). The file is read through the operation's output
 * shape in AWS's IAM model (src/protocol/generated/iam.ts, decoded by
 * protocol/decode.ts): every member's type is checked there and each problem
 * is a diagnostic at its line and column; this module adds what iamsim needs
 * beyond the model (names and ARNs present, the default version listed).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseArn } from '../../primitives/arn.js';
import {
  IAM_MODEL,
  type AttachedPermissionsBoundary,
  type AttachedPolicy,
  type GetAccountAuthorizationDetailsResponse,
  type GroupDetail,
  type ManagedPolicyDetail,
  type PolicyDetail,
  type RoleDetail,
  type Tag as IamTag,
  type UserDetail,
} from '../../protocol/generated/iam.js';
import { isAwsManagedArn } from '../managed.js';
import { DEFAULT_MAX_SESSION_DURATION } from '../model.js';
import type { InlinePolicy, ManagedPolicy, ManagedPolicyRef, PolicyVersion, Tag } from '../model.js';
import { accountOfArn, newDraft } from './draft.js';
import type { AccountDraft } from './draft.js';
import { need, readOutput, type ModelRead } from './model-read.js';
import { isRecord, makeDiagnostic, readDocument } from './source.js';
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

/** Policy documents: the AWS CLI prints them as JSON objects, the API as URL-encoded strings; `readDocument` reads both at their path. */
const DOCUMENTS: ReadonlySet<string> = new Set(['policyDocumentType']);

type Details = GetAccountAuthorizationDetailsResponse;

/** The file read through the model, with where each structure came from. */
type Read = Omit<ModelRead<Details>, 'value'>;

interface Ctx extends Read {
  readonly draft: AccountDraft;
}

function inlinePolicies(ctx: Ctx, list: readonly PolicyDetail[] | undefined, key: string, owner: string): InlinePolicy[] {
  const result: InlinePolicy[] = [];
  for (const item of list ?? []) {
    const p = ctx.pathOf(item);
    const name = need(ctx, item, 'PolicyName') ?? `${key}.${String(p[p.length - 1])}`;
    const doc = readDocument(ctx.src, [...p, 'PolicyDocument'], `${owner} inline policy ${name}`, ctx.out);
    if (doc) result.push({ name, document: doc.text, origin: doc.origin });
  }
  return result;
}

function attached(ctx: Ctx, list: readonly AttachedPolicy[] | undefined, owner: string): ManagedPolicyRef[] {
  const result: ManagedPolicyRef[] = [];
  for (const item of list ?? []) {
    const arn = need(ctx, item, 'PolicyArn');
    if (!arn) continue;
    const p = ctx.pathOf(item);
    result.push({ arn, name: item.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1) });
    ctx.draft.refs.push({ owner, arn, boundary: false, source: ctx.src, path: p });
  }
  return result;
}

function boundary(ctx: Ctx, pb: AttachedPermissionsBoundary | undefined, owner: string): string | undefined {
  if (pb === undefined) return undefined;
  const arn = need(ctx, pb, 'PermissionsBoundaryArn');
  if (arn) ctx.draft.refs.push({ owner, arn, boundary: true, source: ctx.src, path: ctx.pathOf(pb) });
  return arn;
}

const tags = (list: readonly IamTag[] | undefined): Tag[] => (list ?? []).map((t) => ({ key: t.Key, value: t.Value }));

/** The entity's id and CreateDate, kept as exported (IAM returns both for every user, group, role and policy). */
function idAndDate(id: string | undefined, createDate: string | undefined): { id?: string; createDate?: string } {
  return { ...(id !== undefined ? { id } : {}), ...(createDate !== undefined ? { createDate } : {}) };
}

function managedPolicy(ctx: Ctx, item: ManagedPolicyDetail): ManagedPolicy | undefined {
  const arn = need(ctx, item, 'Arn');
  const name = need(ctx, item, 'PolicyName');
  if (!arn || !name) return undefined;
  const p = ctx.pathOf(item);
  const versions: PolicyVersion[] = [];
  (item.PolicyVersionList ?? []).forEach((v, i) => {
    const vp = ctx.pathOf(v);
    const versionId = need(ctx, v, 'VersionId') ?? `v${i + 1}`;
    const doc = readDocument(ctx.src, [...vp, 'Document'], `managed policy ${name} ${versionId}`, ctx.out);
    if (!doc) return;
    versions.push({
      versionId,
      isDefault: v.IsDefaultVersion === true,
      document: doc.text,
      origin: doc.origin,
      ...(v.CreateDate !== undefined ? { createDate: v.CreateDate } : {}),
    });
  });
  const defaultVersionId = item.DefaultVersionId ?? versions.find((v) => v.isDefault)?.versionId;
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
  return {
    arn,
    name,
    path: item.Path ?? '/',
    ...idAndDate(item.PolicyId, item.CreateDate),
    ...(item.Description !== undefined ? { description: item.Description } : {}),
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
function accountsOf(d: Details): string[] {
  const ids = new Set<string>();
  for (const item of [...(d.UserDetailList ?? []), ...(d.GroupDetailList ?? []), ...(d.RoleDetailList ?? []), ...(d.Policies ?? [])]) {
    const id = item.Arn !== undefined ? accountOfArn(item.Arn) : undefined;
    if (id) ids.add(id);
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
  if (!isRecord(src.value)) return [];
  const { value, ...read } = readOutput<Details>(src, out, IAM_MODEL, 'GetAccountAuthorizationDetails', DOCUMENTS);
  const ids = accountsOf(value);
  if (ids.length === 0 && accountId === undefined) {
    out.push(makeDiagnostic(src, 'ACCOUNT_ID_UNKNOWN', 'error', 'cannot tell the account id: the file has no IAM ARNs; pass the account id explicitly'));
    return [];
  }
  const ctxs = new Map<string, Ctx>();
  for (const id of ids.length > 0 ? ids : [accountId ?? '']) {
    const draft = newDraft(id);
    draft.sources.push(src.file);
    ctxs.set(id, { ...read, draft });
  }
  const first = [...ctxs.values()][0] as Ctx;
  const ctxOf = (arn: string): Ctx => ctxs.get(accountOfArn(arn) ?? '') ?? first;
  const sole = ctxs.size === 1 ? first.draft.id : undefined;
  const arnOf: ArnReader = (item) => entityArn(read, item, sole);
  for (const u of value.UserDetailList ?? []) readUser(read, u, ctxOf, arnOf);
  for (const g of value.GroupDetailList ?? []) readGroup(read, g, ctxOf, arnOf);
  for (const r of value.RoleDetailList ?? []) readRole(read, r, ctxOf, arnOf);
  for (const item of value.Policies ?? []) {
    const arn = item.Arn ?? '';
    const owners = accountOfArn(arn) === undefined && isAwsManagedArn(arn) ? [...ctxs.values()] : [ctxOf(arn)];
    for (const ctx of owners) {
      const mp = managedPolicy(ctx, item);
      if (mp) ctx.draft.managedPolicies.push(mp);
    }
  }
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
function entityArn(r: Read, item: { readonly Arn?: string }, sole: string | undefined): string | undefined {
  const given = need(r, item, 'Arn');
  if (given === undefined || accountOfArn(given) !== undefined) return given;
  const at = [...r.pathOf(item), 'Arn'];
  const parsed = parseArn(given);
  if (parsed === undefined || parsed.service !== 'iam') {
    r.out.push(makeDiagnostic(r.src, 'ENTITY_ARN_INVALID', 'error', `${given} is not an IAM ARN`, at));
    return undefined;
  }
  const what = `${given} names account "${parsed.account}", not a 12-digit account id`;
  if (sole === undefined || sole === '') {
    r.out.push(makeDiagnostic(r.src, 'ENTITY_ARN_ACCOUNT', 'error', `${what}, and the file's account is not unique: pass the account id`, at));
    return undefined;
  }
  const fixed = `arn:${parsed.partition}:iam::${sole}:${parsed.resource}`;
  r.out.push(makeDiagnostic(r.src, 'ENTITY_ARN_ACCOUNT', 'warning', `${what}; read as ${fixed} (the account of the file's other ARNs)`, at));
  return fixed;
}

type ArnReader = (item: { readonly Arn?: string }) => string | undefined;

function readUser(r: Read, item: UserDetail, ctxOf: (arn: string) => Ctx, arnOf: ArnReader): void {
  const name = need(r, item, 'UserName');
  const arn = arnOf(item);
  if (!name || !arn) return;
  const ctx = ctxOf(arn);
  const p = ctx.pathOf(item);
  const owner = `user ${name}`;
  const groups = item.GroupList ?? [];
  groups.forEach((g, gi) => {
    ctx.draft.groupSites.push({ user: name, group: g, source: ctx.src, path: [...p, 'GroupList', gi] });
  });
  const pb = boundary(ctx, item.PermissionsBoundary, owner);
  ctx.draft.users.push({
    arn,
    name,
    path: item.Path ?? '/',
    ...idAndDate(item.UserId, item.CreateDate),
    groups: [...groups],
    inlinePolicies: inlinePolicies(ctx, item.UserPolicyList, 'UserPolicyList', owner),
    managedPolicies: attached(ctx, item.AttachedManagedPolicies, owner),
    ...(pb !== undefined ? { permissionsBoundary: pb } : {}),
    tags: tags(item.Tags),
  });
}

function readGroup(r: Read, item: GroupDetail, ctxOf: (arn: string) => Ctx, arnOf: ArnReader): void {
  const name = need(r, item, 'GroupName');
  const arn = arnOf(item);
  if (!name || !arn) return;
  const ctx = ctxOf(arn);
  const owner = `group ${name}`;
  ctx.draft.groups.push({
    arn,
    name,
    path: item.Path ?? '/',
    ...idAndDate(item.GroupId, item.CreateDate),
    inlinePolicies: inlinePolicies(ctx, item.GroupPolicyList, 'GroupPolicyList', owner),
    managedPolicies: attached(ctx, item.AttachedManagedPolicies, owner),
  });
}

function readRole(r: Read, item: RoleDetail, ctxOf: (arn: string) => Ctx, arnOf: ArnReader): void {
  const name = need(r, item, 'RoleName');
  const arn = arnOf(item);
  if (!name || !arn) return;
  const ctx = ctxOf(arn);
  const owner = `role ${name}`;
  const trust = readDocument(ctx.src, [...ctx.pathOf(item), 'AssumeRolePolicyDocument'], `${owner} trust policy`, ctx.out);
  if (!trust) return;
  const pb = boundary(ctx, item.PermissionsBoundary, owner);
  ctx.draft.roles.push({
    arn,
    name,
    path: item.Path ?? '/',
    ...idAndDate(item.RoleId, item.CreateDate),
    trustPolicy: trust.text,
    trustPolicyOrigin: trust.origin,
    inlinePolicies: inlinePolicies(ctx, item.RolePolicyList, 'RolePolicyList', owner),
    managedPolicies: attached(ctx, item.AttachedManagedPolicies, owner),
    ...(pb !== undefined ? { permissionsBoundary: pb } : {}),
    tags: tags(item.Tags),
    // AWS's RoleDetail carries neither the role's description nor its maximum session duration (GetRole does).
    maxSessionDuration: DEFAULT_MAX_SESSION_DURATION,
    ...(item.InstanceProfileList !== undefined ? { instanceProfiles: item.InstanceProfileList.map((x) => x.Arn) } : {}),
  });
}
