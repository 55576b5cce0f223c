/**
 * The `organization` section of a bundle: a nested tree root → OUs → accounts
 * with SCPs/RCPs attached by policy name at any node.
 */
import type { JsonPath } from '../../diagnostics/diagnostic.js';
import { FULL_AWS_ACCESS_RCP_CONTENT, FULL_AWS_ACCESS_RCP_ID, FULL_AWS_ACCESS_SCP_CONTENT, FULL_AWS_ACCESS_SCP_ID } from '../model.js';
import type { DocumentOrigin, OrgAccount, Organization, OrgPolicyType, OrgUnit } from '../model.js';
import { checkKeys, err, objects, str, strList } from './bundle-common.js';
import type { BundleCtx } from './bundle-common.js';
import { normalizeAccountId } from './draft.js';
import { isRecord, readDocument } from './source.js';

const ORG_KEYS = ['id', 'managementAccount', 'enabledPolicyTypes', 'policies', 'root'];
const NODE_KEYS = ['id', 'name', 'scps', 'rcps', 'ous', 'accounts'];
const ACCOUNT_KEYS = ['id', 'name', 'email', 'scps', 'rcps'];
const POLICY_KEYS = ['id', 'name', 'type', 'description', 'document'];

interface WorkPolicy {
  id: string;
  name: string;
  type: OrgPolicyType;
  awsManaged: boolean;
  content: string;
  description?: string;
  origin?: DocumentOrigin;
  targets: string[];
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

export function importBundleOrganization(ctx: BundleCtx, obj: Record<string, unknown>, path: JsonPath): Organization | undefined {
  checkKeys(ctx, obj, ORG_KEYS, path);
  const policies = new Map<string, WorkPolicy>();
  const builtin = (id: string, name: string, type: OrgPolicyType, content: string): void => {
    policies.set(name, { id, name, type, awsManaged: true, content, targets: [] });
  };
  builtin(FULL_AWS_ACCESS_SCP_ID, 'FullAWSAccess', 'SCP', FULL_AWS_ACCESS_SCP_CONTENT);
  builtin(FULL_AWS_ACCESS_RCP_ID, 'RCPFullAWSAccess', 'RCP', FULL_AWS_ACCESS_RCP_CONTENT);

  for (const { obj: item, path: p } of objects(ctx, obj, 'policies', path)) {
    checkKeys(ctx, item, POLICY_KEYS, p);
    const name = str(ctx, item, 'name', p, true);
    const typeText = (str(ctx, item, 'type', p, true) ?? '').toUpperCase();
    const type: OrgPolicyType | undefined = typeText === 'SCP' ? 'SCP' : typeText === 'RCP' ? 'RCP' : undefined;
    if (!type && typeText) err(ctx, 'BUNDLE_FIELD_TYPE', 'type must be SCP or RCP', [...p, 'type']);
    const doc = readDocument(ctx.src, [...p, 'document'], `${typeText} ${name ?? ''}`, ctx.out);
    if (!name || !type || !doc) continue;
    if (policies.has(name)) err(ctx, 'BUNDLE_DUPLICATE', `organization policy ${name} is defined more than once`, p);
    const description = str(ctx, item, 'description', p);
    policies.set(name, {
      id: str(ctx, item, 'id', p) ?? `p-${slug(name)}`,
      name,
      type,
      awsManaged: false,
      content: doc.text,
      origin: doc.origin,
      targets: [],
      ...(description !== undefined ? { description } : {}),
    });
  }

  const enabledList =
    obj['enabledPolicyTypes'] === undefined ? ['SCP', 'RCP'] : strList(ctx, obj, 'enabledPolicyTypes', path).map((e) => e.value.toUpperCase());
  const enabled: OrgPolicyType[] = (['SCP', 'RCP'] as const).filter((t) => enabledList.includes(t));

  const ous: OrgUnit[] = [];
  const accounts: OrgAccount[] = [];
  const ids = new Set<string>();

  // SCPs: FullAWSAccess is attached by default to every node (Organizations guide:
  // orgs_manage_policies_scps), so an omitted `scps` means [FullAWSAccess].
  // RCPs: RCPFullAWSAccess is attached to every node and cannot be detached
  // (Organizations guide: orgs_manage_policies_rcps_examples).
  const attach = (node: Record<string, unknown>, nodePath: JsonPath, target: string): void => {
    for (const type of enabled) {
      const key = type === 'SCP' ? 'scps' : 'rcps';
      const names = node[key] === undefined ? (type === 'SCP' ? ['FullAWSAccess'] : []) : strList(ctx, node, key, nodePath).map((e) => e.value);
      if (type === 'RCP' && !names.includes('RCPFullAWSAccess')) names.push('RCPFullAWSAccess');
      names.forEach((n, i) => {
        const pol = policies.get(n) ?? [...policies.values()].find((x) => x.id === n);
        if (!pol) err(ctx, 'BUNDLE_UNKNOWN_POLICY', `${key}: no ${type} named ${n} in organization.policies`, [...nodePath, key, i]);
        else if (pol.type !== type) err(ctx, 'BUNDLE_POLICY_TYPE', `${n} is an ${pol.type}, listed under ${key}`, [...nodePath, key, i]);
        else if (!pol.targets.includes(target)) pol.targets.push(target);
      });
    }
  };
  const claim = (id: string, p: JsonPath): void => {
    if (ids.has(id)) err(ctx, 'BUNDLE_DUPLICATE', `organization node ${id} appears more than once`, p);
    ids.add(id);
  };
  const walk = (node: Record<string, unknown>, nodePath: JsonPath, nodeId: string): void => {
    attach(node, nodePath, nodeId);
    for (const { obj: ou, path: p } of objects(ctx, node, 'ous', nodePath)) {
      checkKeys(ctx, ou, NODE_KEYS, p);
      const name = str(ctx, ou, 'name', p, true) ?? 'OU';
      const id = str(ctx, ou, 'id', p) ?? `ou-${slug(name)}`;
      claim(id, p);
      ous.push({ id, name, parentId: nodeId });
      walk(ou, p, id);
    }
    const list = node['accounts'];
    (Array.isArray(list) ? list : []).forEach((a, i) => {
      const p = [...nodePath, 'accounts', i];
      const rec: Record<string, unknown> = isRecord(a) ? a : { id: a };
      if (isRecord(a)) checkKeys(ctx, a, ACCOUNT_KEYS, p);
      const raw = str(ctx, rec, 'id', p, true);
      if (raw === undefined) return;
      const id = normalizeAccountId(raw);
      if (!/^\d{12}$/.test(id)) err(ctx, 'BUNDLE_ACCOUNT_ID', `account id ${raw} must be 12 digits`, p);
      claim(id, p);
      const name = str(ctx, rec, 'name', p);
      const email = str(ctx, rec, 'email', p);
      accounts.push({ id, parentId: nodeId, ...(name !== undefined ? { name } : {}), ...(email !== undefined ? { email } : {}) });
      attach(rec, p, id);
    });
    if (list !== undefined && !Array.isArray(list)) err(ctx, 'BUNDLE_FIELD_TYPE', 'accounts must be a list', [...nodePath, 'accounts']);
  };

  const rootObj = obj['root'];
  if (!isRecord(rootObj)) {
    err(ctx, 'BUNDLE_MISSING_FIELD', 'organization needs a root mapping', path);
    return undefined;
  }
  const rootPath = [...path, 'root'];
  checkKeys(ctx, rootObj, NODE_KEYS, rootPath);
  const rootId = str(ctx, rootObj, 'id', rootPath) ?? 'r-root';
  claim(rootId, rootPath);
  walk(rootObj, rootPath, rootId);

  const orgId = str(ctx, obj, 'id', path);
  const mgmt = str(ctx, obj, 'managementAccount', path);
  const managementAccountId = mgmt !== undefined ? normalizeAccountId(mgmt) : undefined;
  if (managementAccountId !== undefined && !accounts.some((a) => a.id === managementAccountId)) {
    err(ctx, 'BUNDLE_MANAGEMENT_ACCOUNT', `management account ${managementAccountId} is not in the organization tree`, [...path, 'managementAccount']);
  }
  return {
    ...(orgId !== undefined ? { id: orgId } : {}),
    ...(managementAccountId !== undefined ? { managementAccountId } : {}),
    root: { id: rootId, name: str(ctx, rootObj, 'name', rootPath) ?? 'Root' },
    enabledPolicyTypes: enabled,
    ous,
    accounts,
    policies: [...policies.values()]
      .filter((p) => p.targets.length > 0 || !p.awsManaged)
      .map((p) => ({
        id: p.id,
        name: p.name,
        type: p.type,
        awsManaged: p.awsManaged,
        content: p.content,
        targets: p.targets,
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.origin !== undefined ? { origin: p.origin } : {}),
      })),
  };
}
