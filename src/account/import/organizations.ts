/**
 * Importers for `aws organizations` command outputs. Each output is a piece
 * of the tree (an OrgFragment); org-merge.ts assembles the pieces. Outputs of
 * the `*-for-parent` / `*-for-target` commands do not name their parent or
 * target, so it comes from the import options or from the file name. Each
 * output is read through its operation's output shape in AWS's Organizations
 * model (model-read.ts): members typed as the model says, each problem a
 * diagnostic at its line and column.
 */
import { basename } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { OrgAccount, OrgPolicyType, OrgRoot, OrgUnit, DocumentOrigin } from '../model.js';
import {
  type Account,
  type DescribeOrganizationResponse,
  type DescribePolicyResponse,
  type ListAccountsForParentResponse,
  type ListOrganizationalUnitsForParentResponse,
  type ListPoliciesForTargetResponse,
  type ListRootsResponse,
  ORGANIZATIONS_MODEL,
  type OrganizationalUnit,
  type Policy,
  type PolicySummary,
  type Root,
} from '../../protocol/generated/organizations.js';
import { need, readOutput, type ModelRead } from './model-read.js';
import { isRecord, makeDiagnostic, readDocument } from './source.js';
import type { InputSource } from './source.js';

export interface OrgPolicySummary {
  readonly id: string;
  readonly name: string;
  readonly type: OrgPolicyType;
  readonly arn?: string;
  readonly description?: string;
  readonly awsManaged: boolean;
}

export type OrgFragment =
  | {
      readonly kind: 'root';
      readonly root: OrgRoot;
      readonly orgId?: string;
      readonly managementAccountId?: string;
      readonly enabledPolicyTypes: readonly OrgPolicyType[];
    }
  | { readonly kind: 'organization'; readonly orgId: string; readonly managementAccountId?: string }
  | { readonly kind: 'ous'; readonly parentId: string; readonly ous: readonly OrgUnit[] }
  | { readonly kind: 'accounts'; readonly parentId: string; readonly accounts: readonly OrgAccount[] }
  | { readonly kind: 'attachments'; readonly targetId: string; readonly type: OrgPolicyType; readonly policies: readonly OrgPolicySummary[] }
  | { readonly kind: 'policy'; readonly summary: OrgPolicySummary; readonly content: string; readonly origin: DocumentOrigin };

export interface SourcedFragment {
  readonly fragment: OrgFragment;
  readonly source: InputSource;
}

const ROOT_ID = /(?:^|[^a-z0-9-])(r-[0-9a-z]{4,32})(?![0-9a-z-])/;
const OU_ID = /(?:^|[^a-z0-9-])(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})(?![0-9a-z-])/;
const ACCOUNT_ID = /(?:^|[^0-9])(\d{12})(?![0-9])/;

/** Finds a root, OU or (if allowed) account id in a file name. */
export function idFromFileName(file: string, allowAccount: boolean): string | undefined {
  const name = basename(file);
  const ou = OU_ID.exec(name)?.[1];
  if (ou) return ou;
  const root = ROOT_ID.exec(name)?.[1];
  if (root) return root;
  return allowAccount ? ACCOUNT_ID.exec(name)?.[1] : undefined;
}

const POLICY_TYPES: Readonly<Record<string, OrgPolicyType>> = {
  SERVICE_CONTROL_POLICY: 'SCP',
  RESOURCE_CONTROL_POLICY: 'RCP',
};

export type OrgShape = 'list-roots' | 'describe-organization' | 'list-ous' | 'list-accounts' | 'list-policies' | 'describe-policy';

export function detectOrgShape(value: unknown): OrgShape | undefined {
  if (!isRecord(value)) return undefined;
  if (Array.isArray(value['Roots'])) return 'list-roots';
  if (isRecord(value['Organization']) && 'MasterAccountId' in value['Organization']) return 'describe-organization';
  if (Array.isArray(value['OrganizationalUnits'])) return 'list-ous';
  if (Array.isArray(value['Accounts'])) return 'list-accounts';
  const pol = value['Policy'];
  if (isRecord(pol) && 'Content' in pol && isRecord(pol['PolicySummary'])) return 'describe-policy';
  const list = value['Policies'];
  if (Array.isArray(list) && (list.length === 0 || (isRecord(list[0]) && 'AwsManaged' in list[0] && !('PolicyVersionList' in list[0])))) {
    return 'list-policies';
  }
  return undefined;
}

/** Management account and organization id from an Organizations ARN. */
function fromOrgArn(arn: string | undefined): { orgId?: string; managementAccountId?: string } {
  const m = arn ? /^arn:[^:]+:organizations::(\d{12}):[a-z]+\/(o-[0-9a-z]+)\//.exec(arn) : null;
  return m ? { managementAccountId: m[1] ?? '', orgId: m[2] ?? '' } : {};
}

type Read = Omit<ModelRead<unknown>, 'value'>;

function summary(r: Read, item: PolicySummary): OrgPolicySummary | undefined {
  const id = need(r, item, 'Id');
  const name = need(r, item, 'Name');
  const typeName = need(r, item, 'Type');
  if (!id || !name || !typeName) return undefined;
  const type = POLICY_TYPES[typeName];
  if (!type) return undefined;
  return {
    id,
    name,
    type,
    awsManaged: item.AwsManaged === true,
    ...(item.Arn !== undefined ? { arn: item.Arn } : {}),
    ...(item.Description !== undefined ? { description: item.Description } : {}),
  };
}

export interface OrgImportOptions {
  /** Parent id for list-organizational-units-for-parent / list-accounts-for-parent. */
  readonly parentId?: string;
  /** Target id for list-policies-for-target. */
  readonly targetId?: string;
}

/** The Organizations operation whose output each shape is (the `…-for-parent`/`…-for-target` outputs have the same members). */
const OPERATION: Readonly<Record<OrgShape, string>> = {
  'list-roots': 'ListRoots',
  'describe-organization': 'DescribeOrganization',
  'list-ous': 'ListOrganizationalUnitsForParent',
  'list-accounts': 'ListAccountsForParent',
  'list-policies': 'ListPoliciesForTarget',
  'describe-policy': 'DescribePolicy',
};

/** A policy's content is read by `readDocument` at its path (a JSON string; edited files may hold the object). */
const CONTENT: ReadonlySet<string> = new Set(['PolicyContent']);

/** Every output shape's members (each importer reads its own). */
type AnyOutput = ListRootsResponse &
  DescribeOrganizationResponse &
  ListOrganizationalUnitsForParentResponse &
  ListAccountsForParentResponse &
  ListPoliciesForTargetResponse &
  DescribePolicyResponse;

export function importOrgOutput(src: InputSource, shape: OrgShape, opts: OrgImportOptions, out: Diagnostic[]): OrgFragment[] {
  const { value, ...r } = readOutput<AnyOutput>(src, out, ORGANIZATIONS_MODEL, OPERATION[shape], CONTENT);
  switch (shape) {
    case 'list-roots':
      return roots(r, value.Roots ?? []);
    case 'describe-organization': {
      const org = value.Organization;
      const orgId = org !== undefined ? need(r, org, 'Id') : undefined;
      const mgmt = org?.MasterAccountId;
      return orgId ? [{ kind: 'organization', orgId, ...(mgmt !== undefined ? { managementAccountId: mgmt } : {}) }] : [];
    }
    case 'list-ous':
    case 'list-accounts': {
      const parentId = opts.parentId ?? idFromFileName(src.file, false);
      if (!parentId) {
        out.push(
          makeDiagnostic(
            src,
            'ORG_PARENT_UNKNOWN',
            'error',
            'cannot tell the parent of this list: pass the parent id (r-... or ou-...) or put it in the file name',
          ),
        );
        return [];
      }
      return shape === 'list-ous' ? [ous(r, value.OrganizationalUnits ?? [], parentId)] : [accounts(r, value.Accounts ?? [], parentId)];
    }
    case 'list-policies': {
      const targetId = opts.targetId ?? idFromFileName(src.file, true);
      if (!targetId) {
        out.push(
          makeDiagnostic(
            src,
            'ORG_TARGET_UNKNOWN',
            'error',
            'cannot tell the target of this list: pass the target id (root, OU or account) or put it in the file name',
          ),
        );
        return [];
      }
      return attachments(r, value.Policies ?? [], targetId);
    }
    case 'describe-policy':
      return describedPolicy(r, value.Policy);
  }
}

function roots(r: Read, list: readonly Root[]): OrgFragment[] {
  const result: OrgFragment[] = [];
  for (const item of list) {
    const id = need(r, item, 'Id');
    if (!id) continue;
    const enabled: OrgPolicyType[] = [];
    for (const t of item.PolicyTypes ?? []) {
      const type = t.Status === 'ENABLED' && t.Type !== undefined ? POLICY_TYPES[t.Type] : undefined;
      if (type) enabled.push(type);
    }
    const root: OrgRoot = { id, name: item.Name ?? 'Root', ...(item.Arn !== undefined ? { arn: item.Arn } : {}) };
    result.push({ kind: 'root', root, enabledPolicyTypes: enabled, ...fromOrgArn(item.Arn) });
  }
  if (result.length > 1) r.out.push(makeDiagnostic(r.src, 'ORG_MULTIPLE_ROOTS', 'error', 'an organization has exactly one root', ['Roots']));
  return result;
}

function ous(r: Read, list: readonly OrganizationalUnit[], parentId: string): OrgFragment {
  const result: OrgUnit[] = [];
  for (const item of list) {
    const id = need(r, item, 'Id');
    if (id) result.push({ id, name: item.Name ?? id, parentId, ...(item.Arn !== undefined ? { arn: item.Arn } : {}) });
  }
  return { kind: 'ous', parentId, ous: result };
}

function accounts(r: Read, list: readonly Account[], parentId: string): OrgFragment {
  const result: OrgAccount[] = [];
  for (const item of list) {
    const id = need(r, item, 'Id');
    if (!id) continue;
    const opt = (as: string, v: string | undefined): Record<string, string> => (v !== undefined ? { [as]: v } : {});
    result.push({ id, parentId, ...opt('name', item.Name), ...opt('email', item.Email), ...opt('status', item.Status), ...opt('arn', item.Arn) });
  }
  return { kind: 'accounts', parentId, accounts: result };
}

function attachments(r: Read, list: readonly PolicySummary[], targetId: string): OrgFragment[] {
  const byType = new Map<OrgPolicyType, OrgPolicySummary[]>();
  for (const item of list) {
    const s = summary(r, item);
    if (!s) continue;
    const policies = byType.get(s.type) ?? [];
    policies.push(s);
    byType.set(s.type, policies);
  }
  return [...byType].map(([type, policies]) => ({ kind: 'attachments', targetId, type, policies }));
}

function describedPolicy(r: Read, pol: Policy | undefined): OrgFragment[] {
  const s = pol?.PolicySummary !== undefined ? summary(r, pol.PolicySummary) : undefined;
  if (!s) {
    r.out.push(makeDiagnostic(r.src, 'ORG_POLICY_TYPE', 'info', 'not a service or resource control policy; ignored', ['Policy', 'PolicySummary']));
    return [];
  }
  const doc = readDocument(r.src, ['Policy', 'Content'], `${s.type} ${s.name}`, r.out);
  return doc ? [{ kind: 'policy', summary: s, content: doc.text, origin: doc.origin }] : [];
}
