/** Output of `iamsim account …` (any store). */
import { basename } from 'node:path';
import type { AccountDetails } from '../account/commands.js';
import type { ImportResult } from '../account/import/index.js';
import type { Organization } from '../account/model.js';
import type { AccountSummary } from '../account/async-store.js';
import { trustedPrincipals } from '../authz/queries.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { EXIT, reportDiagnostics, type Io } from './io.js';

export function unknownAccount(location: string, id: string): Diagnostic {
  return { code: 'UNKNOWN_ACCOUNT', severity: 'error', message: `account ${id} is not in the database`, file: location, line: 1, column: 1, path: [] };
}

/** One line per imported account, then the total. */
export function writeImportSummary(io: Io, r: ImportResult, summaries: readonly AccountSummary[], location: string): void {
  for (const id of r.accounts) {
    const s = summaries.find((a) => a.id === id);
    if (s === undefined) continue;
    io.stdout.write(
      `imported account ${id}${s.name !== undefined ? ` (${s.name})` : ''}: ${s.users} users, ${s.groups} groups, ${s.roles} roles, ` +
        `${s.managedPolicies} managed policies, ${s.resourcePolicies} resource policies\n`,
    );
  }
  io.stdout.write(
    `imported ${r.accounts.length} account(s), ${r.resourcePolicies} resource policies${r.organization ? ', the organization' : ''} into ${location}\n`,
  );
}

/** `account list` output for the stored accounts and organization. */
export function writeList(io: Io, format: 'json' | 'text', accounts: readonly AccountSummary[], org: Organization | undefined): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ Accounts: accounts, Organization: org?.id ?? (org ? org.root.id : null) }, null, 2)}\n`);
    return;
  }
  if (accounts.length === 0) io.stdout.write('no accounts imported\n');
  for (const a of accounts) {
    io.stdout.write(
      `${a.id}  ${(a.name ?? '-').padEnd(16)} users ${a.users}, groups ${a.groups}, roles ${a.roles}, managed policies ${a.managedPolicies}, ` +
        `resource policies ${a.resourcePolicies}  (imported ${a.importedAt} from ${a.sources.map((f) => basename(f)).join(', ')})\n`,
    );
  }
  if (org) io.stdout.write(`organization ${org.id ?? org.root.id}: ${org.accounts.length} accounts, ${org.ous.length} OUs, ${org.policies.length} SCPs/RCPs\n`);
}

export function renderDetails(d: AccountDetails): string {
  const a = d.account;
  const out: string[] = [`account ${a.id}${a.name !== undefined ? ` (${a.name})` : ''}${d.managementAccount ? ' — management account' : ''}`];
  out.push(`  sources: ${a.sources.join(', ') || '-'}`);
  const policyNames = (e: { inlinePolicies: readonly { name: string }[]; managedPolicies: readonly { name: string }[] }): string =>
    [...e.inlinePolicies.map((p) => `${p.name} (inline)`), ...e.managedPolicies.map((p) => p.name)].join(', ') || '-';
  out.push(`  users (${a.users.length}):`);
  for (const u of a.users) {
    out.push(`    ${u.arn}`, `      policies: ${policyNames(u)}`);
    if (u.groups.length > 0) out.push(`      groups: ${u.groups.join(', ')}`);
    if (u.permissionsBoundary !== undefined) out.push(`      boundary: ${u.permissionsBoundary}`);
  }
  out.push(`  groups (${a.groups.length}):`);
  for (const g of a.groups) out.push(`    ${g.arn}`, `      policies: ${policyNames(g)}`);
  out.push(`  roles (${a.roles.length}):`);
  for (const r of a.roles) {
    const t = trustedPrincipals(r);
    const trusted = [...t.services, ...t.aws, ...t.federated, ...(t.wildcard ? ['*'] : [])];
    out.push(`    ${r.arn}`, `      trusts: ${trusted.join(', ') || '-'}`, `      policies: ${policyNames(r)}`);
    if (r.permissionsBoundary !== undefined) out.push(`      boundary: ${r.permissionsBoundary}`);
  }
  const customer = a.managedPolicies.filter((p) => !p.awsManaged);
  out.push(`  managed policies: ${customer.length} customer-managed, ${a.managedPolicies.length - customer.length} AWS managed in use`);
  for (const p of a.managedPolicies) out.push(`    ${p.arn} (default ${p.defaultVersionId})`);
  out.push(`  resource policies (${a.resourcePolicies.length}):`);
  for (const rp of a.resourcePolicies) out.push(`    ${rp.arn} (${rp.kind})`);
  if (d.organizationPath !== undefined) {
    out.push('  organization path (root first):');
    for (const l of d.organizationPath) {
      out.push(`    ${l.kind} ${l.nodeId} ${l.name}: SCPs ${l.scps.join(', ') || '-'}; RCPs ${l.rcps.join(', ') || '-'}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** `account show` output; exit 2 for an unknown account. */
export function writeShown(io: Io, format: 'json' | 'text', location: string, id: string, details: AccountDetails | undefined): number {
  if (details === undefined) {
    reportDiagnostics(io, [unknownAccount(location, id)]);
    return EXIT.BAD_INPUT;
  }
  io.stdout.write(format === 'json' ? `${JSON.stringify(details, null, 2)}\n` : renderDetails(details));
  return EXIT.OK;
}

/** `account remove` output; exit 2 for an unknown account. */
export function writeRemoved(io: Io, location: string, id: string, removed: boolean): number {
  if (!removed) {
    reportDiagnostics(io, [unknownAccount(location, id)]);
    return EXIT.BAD_INPUT;
  }
  io.stdout.write(`removed account ${id} from ${location}\n`);
  return EXIT.OK;
}
