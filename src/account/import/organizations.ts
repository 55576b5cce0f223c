/**
 * Importers for `aws organizations` command outputs. Each output is a piece
 * of the tree (an OrgFragment); org-merge.ts assembles the pieces. Outputs of
 * the `*-for-parent` / `*-for-target` commands do not name their parent or
 * target, so it comes from the import options or from the file name.
 */
import { basename } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { OrgAccount, OrgPolicyType, OrgRoot, OrgUnit, DocumentOrigin } from '../model.js';
import { isRecord, makeDiagnostic, readArray, readDocument, readString } from './source.js';
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

function summary(src: InputSource, item: Record<string, unknown>, path: (string | number)[], out: Diagnostic[]): OrgPolicySummary | undefined {
  const id = readString(src, item, 'Id', path, out, true);
  const name = readString(src, item, 'Name', path, out, true);
  const typeName = readString(src, item, 'Type', path, out, true);
  if (!id || !name || !typeName) return undefined;
  const type = POLICY_TYPES[typeName];
  if (!type) return undefined;
  const arn = readString(src, item, 'Arn', path, out);
  const description = readString(src, item, 'Description', path, out);
  return {
    id,
    name,
    type,
    awsManaged: item['AwsManaged'] === true,
    ...(arn !== undefined ? { arn } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

export interface OrgImportOptions {
  /** Parent id for list-organizational-units-for-parent / list-accounts-for-parent. */
  readonly parentId?: string;
  /** Target id for list-policies-for-target. */
  readonly targetId?: string;
}

export function importOrgOutput(src: InputSource, shape: OrgShape, opts: OrgImportOptions, out: Diagnostic[]): OrgFragment[] {
  const value = src.value as Record<string, unknown>;
  const result: OrgFragment[] = [];
  switch (shape) {
    case 'list-roots': {
      readArray(src, value, 'Roots', [], out).forEach((item, i) => {
        const p = ['Roots', i];
        if (!isRecord(item)) return;
        const id = readString(src, item, 'Id', p, out, true);
        if (!id) return;
        const arn = readString(src, item, 'Arn', p, out);
        const enabled: OrgPolicyType[] = [];
        for (const t of readArray(src, item, 'PolicyTypes', p, out)) {
          if (!isRecord(t) || t['Status'] !== 'ENABLED' || typeof t['Type'] !== 'string') continue;
          const type = POLICY_TYPES[t['Type']];
          if (type) enabled.push(type);
        }
        const root: OrgRoot = { id, name: readString(src, item, 'Name', p, out) ?? 'Root', ...(arn !== undefined ? { arn } : {}) };
        result.push({ kind: 'root', root, enabledPolicyTypes: enabled, ...fromOrgArn(arn) });
      });
      if (result.length > 1) out.push(makeDiagnostic(src, 'ORG_MULTIPLE_ROOTS', 'error', 'an organization has exactly one root', ['Roots']));
      break;
    }
    case 'describe-organization': {
      const org = value['Organization'] as Record<string, unknown>;
      const orgId = readString(src, org, 'Id', ['Organization'], out, true);
      const mgmt = readString(src, org, 'MasterAccountId', ['Organization'], out);
      if (orgId) result.push({ kind: 'organization', orgId, ...(mgmt !== undefined ? { managementAccountId: mgmt } : {}) });
      break;
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
        break;
      }
      if (shape === 'list-ous') {
        const ous: OrgUnit[] = [];
        readArray(src, value, 'OrganizationalUnits', [], out).forEach((item, i) => {
          const p = ['OrganizationalUnits', i];
          if (!isRecord(item)) return;
          const id = readString(src, item, 'Id', p, out, true);
          const arn = readString(src, item, 'Arn', p, out);
          if (id) ous.push({ id, name: readString(src, item, 'Name', p, out) ?? id, parentId, ...(arn !== undefined ? { arn } : {}) });
        });
        result.push({ kind: 'ous', parentId, ous });
      } else {
        const accounts: OrgAccount[] = [];
        readArray(src, value, 'Accounts', [], out).forEach((item, i) => {
          const p = ['Accounts', i];
          if (!isRecord(item)) return;
          const id = readString(src, item, 'Id', p, out, true);
          if (!id) return;
          const opt = (k: string, as: string): Record<string, string> => {
            const v = readString(src, item, k, p, out);
            return v !== undefined ? { [as]: v } : {};
          };
          accounts.push({ id, parentId, ...opt('Name', 'name'), ...opt('Email', 'email'), ...opt('Status', 'status'), ...opt('Arn', 'arn') });
        });
        result.push({ kind: 'accounts', parentId, accounts });
      }
      break;
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
        break;
      }
      const byType = new Map<OrgPolicyType, OrgPolicySummary[]>();
      readArray(src, value, 'Policies', [], out).forEach((item, i) => {
        if (!isRecord(item)) return;
        const s = summary(src, item, ['Policies', i], out);
        if (!s) return;
        const list = byType.get(s.type) ?? [];
        list.push(s);
        byType.set(s.type, list);
      });
      for (const [type, policies] of byType) result.push({ kind: 'attachments', targetId, type, policies });
      break;
    }
    case 'describe-policy': {
      const pol = value['Policy'] as Record<string, unknown>;
      const s = summary(src, pol['PolicySummary'] as Record<string, unknown>, ['Policy', 'PolicySummary'], out);
      if (!s) {
        out.push(makeDiagnostic(src, 'ORG_POLICY_TYPE', 'info', 'not a service or resource control policy; ignored', ['Policy', 'PolicySummary']));
        break;
      }
      const doc = readDocument(src, ['Policy', 'Content'], `${s.type} ${s.name}`, out);
      if (doc) result.push({ kind: 'policy', summary: s, content: doc.text, origin: doc.origin });
      break;
    }
  }
  return result;
}
