/**
 * Assembles an Organization from the stored one and the pieces of an import
 * (organizations command outputs and/or bundle organizations), then checks
 * that the tree is complete enough to evaluate SCPs and RCPs.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { InputSource } from './import/source.js';
import { makeDiagnostic } from './import/source.js';
import type { SourcedFragment } from './import/organizations.js';
import { FULL_AWS_ACCESS_RCP_CONTENT, FULL_AWS_ACCESS_RCP_ID, FULL_AWS_ACCESS_SCP_CONTENT, FULL_AWS_ACCESS_SCP_ID } from './model.js';
import type { DocumentOrigin, OrgAccount, Organization, OrgPolicy, OrgPolicyType, OrgRoot, OrgUnit } from './model.js';

interface WorkPolicy {
  id: string;
  name: string;
  type: OrgPolicyType;
  arn?: string;
  description?: string;
  awsManaged: boolean;
  content?: string;
  origin?: DocumentOrigin;
  targets: Set<string>;
  site?: InputSource;
}

/** A bundle organization with the file it came from. */
export interface SourcedOrganization {
  readonly organization: Organization;
  readonly source: InputSource;
}

const BUILTIN: Readonly<Record<string, string>> = {
  [FULL_AWS_ACCESS_SCP_ID]: FULL_AWS_ACCESS_SCP_CONTENT,
  [FULL_AWS_ACCESS_RCP_ID]: FULL_AWS_ACCESS_RCP_CONTENT,
};

export function mergeOrganization(
  existing: Organization | undefined,
  full: readonly SourcedOrganization[],
  fragments: readonly SourcedFragment[],
  out: Diagnostic[],
): Organization | undefined {
  if (full.length === 0 && fragments.length === 0) return existing;
  let root: OrgRoot | undefined;
  let orgId: string | undefined;
  let mgmt: string | undefined;
  let enabled: OrgPolicyType[] = [];
  const ous = new Map<string, OrgUnit>();
  const accounts = new Map<string, OrgAccount>();
  const policies = new Map<string, WorkPolicy>();
  const sites = new Map<string, InputSource>();
  let firstSource: InputSource | undefined;

  const absorb = (org: Organization, site?: InputSource): void => {
    root = org.root;
    if (org.id !== undefined) orgId = org.id;
    if (org.managementAccountId !== undefined) mgmt = org.managementAccountId;
    enabled = [...org.enabledPolicyTypes];
    for (const ou of org.ous) {
      ous.set(ou.id, ou);
      if (site) sites.set(ou.id, site);
    }
    for (const a of org.accounts) {
      accounts.set(a.id, a);
      if (site) sites.set(a.id, site);
    }
    for (const p of org.policies) {
      policies.set(p.id, { ...p, targets: new Set(p.targets), ...(site ? { site } : {}) });
    }
  };
  if (existing) absorb(existing);
  for (const f of full) {
    firstSource ??= f.source;
    // A bundle organization is complete: it replaces what was stored.
    ous.clear();
    accounts.clear();
    policies.clear();
    absorb(f.organization, f.source);
  }

  const policyFor = (id: string, init: Omit<WorkPolicy, 'targets'>): WorkPolicy => {
    let p = policies.get(id);
    if (!p) {
      p = { ...init, targets: new Set() };
      policies.set(id, p);
    }
    return p;
  };
  // Order: structure first, then contents, then attachments.
  const order = ['root', 'organization', 'ous', 'accounts', 'policy', 'attachments'];
  const sorted = [...fragments].sort((a, b) => order.indexOf(a.fragment.kind) - order.indexOf(b.fragment.kind));
  for (const { fragment: f, source } of sorted) {
    firstSource ??= source;
    switch (f.kind) {
      case 'root':
        if (root && root.id !== f.root.id) {
          // A different organization: start over from this root.
          ous.clear();
          accounts.clear();
          policies.clear();
          orgId = undefined;
          mgmt = undefined;
        }
        root = f.root;
        enabled = [...f.enabledPolicyTypes];
        if (f.orgId !== undefined) orgId = f.orgId;
        if (f.managementAccountId !== undefined) mgmt = f.managementAccountId;
        sites.set(f.root.id, source);
        break;
      case 'organization':
        orgId = f.orgId;
        if (f.managementAccountId !== undefined) mgmt = f.managementAccountId;
        break;
      case 'ous':
        for (const ou of f.ous) {
          ous.set(ou.id, ou);
          sites.set(ou.id, source);
        }
        break;
      case 'accounts':
        for (const a of f.accounts) {
          accounts.set(a.id, a);
          sites.set(a.id, source);
        }
        break;
      case 'policy': {
        const p = policyFor(f.summary.id, { ...f.summary, site: source });
        Object.assign(p, f.summary, { content: f.content, origin: f.origin, site: source });
        break;
      }
      case 'attachments': {
        // The list is complete for this target and type: replace earlier attachments.
        for (const p of policies.values()) if (p.type === f.type) p.targets.delete(f.targetId);
        for (const s of f.policies) policyFor(s.id, { ...s, site: source }).targets.add(f.targetId);
        break;
      }
    }
  }

  const where = firstSource ?? { file: '<input>' };
  if (!root) {
    out.push(makeDiagnostic(where, 'ORG_ROOT_MISSING', 'error', 'organization data without a root: import the output of `aws organizations list-roots` too'));
    return undefined;
  }
  const known = new Set<string>([root.id, ...ous.keys()]);
  for (const node of [...ous.values(), ...accounts.values()]) {
    if (!known.has(node.parentId)) {
      out.push(
        makeDiagnostic(
          sites.get(node.id) ?? where,
          'ORG_PARENT_NOT_FOUND',
          'error',
          `${node.id} has parent ${node.parentId}, which is not part of the imported organization`,
        ),
      );
    }
  }
  const finished: OrgPolicy[] = [];
  for (const p of policies.values()) {
    const content = p.content ?? BUILTIN[p.id];
    if (content === undefined) {
      if (p.targets.size > 0) {
        out.push(
          makeDiagnostic(
            p.site ?? where,
            'ORG_POLICY_CONTENT_MISSING',
            'error',
            `${p.type} ${p.name} (${p.id}) is attached but its content is unknown: import \`aws organizations describe-policy --policy-id ${p.id}\``,
          ),
        );
      }
      continue;
    }
    finished.push({
      id: p.id,
      name: p.name,
      type: p.type,
      awsManaged: p.awsManaged,
      content,
      ...(p.arn !== undefined ? { arn: p.arn } : {}),
      ...(p.description !== undefined ? { description: p.description } : {}),
      ...(p.origin !== undefined ? { origin: p.origin } : {}),
      targets: [...p.targets].sort(),
    });
  }
  // Every node carries at least one policy of each enabled type in AWS
  // (Organizations guide: orgs_manage_policies_scps); a node without any was
  // probably not imported. Evaluation then finds no Allow at that level.
  for (const type of enabled) {
    for (const id of [root.id, ...ous.keys(), ...accounts.keys()]) {
      if (!finished.some((p) => p.type === type && p.targets.includes(id))) {
        out.push(
          makeDiagnostic(
            sites.get(id) ?? where,
            'ORG_NO_POLICIES',
            'warning',
            `no ${type}s are recorded as attached to ${id}; import \`aws organizations list-policies-for-target --target-id ${id}\` (evaluation will find no ${type} allowing anything there)`,
          ),
        );
      }
    }
  }
  return {
    ...(orgId !== undefined ? { id: orgId } : {}),
    ...(mgmt !== undefined ? { managementAccountId: mgmt } : {}),
    root,
    enabledPolicyTypes: enabled,
    ous: [...ous.values()],
    accounts: [...accounts.values()],
    policies: finished,
  };
}
