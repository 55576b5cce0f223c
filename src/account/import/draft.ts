/**
 * Accounts under construction during an import, and the final checks that
 * turn them into model Accounts: every attached managed policy and boundary
 * must resolve (customer-managed from the input, AWS-managed offline), and
 * every group a user belongs to must exist.
 */
import type { Diagnostic, JsonPath } from '../../diagnostics/diagnostic.js';
import { parseArn } from '../../primitives/arn.js';
import { isAwsManagedArn, resolveAwsManagedPolicy } from '../managed.js';
import type { Account, Group, ManagedPolicy, ResourcePolicy, Role, User } from '../model.js';
import { makeDiagnostic } from './source.js';
import type { InputSource } from './source.js';

/** Where an entity refers to a managed policy, for diagnostics. */
export interface RefSite {
  readonly owner: string;
  readonly arn: string;
  readonly boundary: boolean;
  readonly source: InputSource;
  readonly path: JsonPath;
}

export interface GroupSite {
  readonly user: string;
  readonly group: string;
  readonly source: InputSource;
  readonly path: JsonPath;
}

export interface AccountDraft {
  readonly id: string;
  name?: string;
  readonly users: User[];
  readonly groups: Group[];
  readonly roles: Role[];
  readonly managedPolicies: ManagedPolicy[];
  readonly resourcePolicies: ResourcePolicy[];
  readonly sources: string[];
  readonly refs: RefSite[];
  readonly groupSites: GroupSite[];
}

export function newDraft(id: string): AccountDraft {
  return {
    id,
    users: [],
    groups: [],
    roles: [],
    managedPolicies: [],
    resourcePolicies: [],
    sources: [],
    refs: [],
    groupSites: [],
  };
}

/** Merges `b` into `a` (e.g. two pages of get-account-authorization-details). */
export function mergeDraft(a: AccountDraft, b: AccountDraft): void {
  if (b.name !== undefined) a.name = b.name;
  a.users.push(...b.users);
  a.groups.push(...b.groups);
  a.roles.push(...b.roles);
  a.managedPolicies.push(...b.managedPolicies);
  a.resourcePolicies.push(...b.resourcePolicies);
  for (const s of b.sources) if (!a.sources.includes(s)) a.sources.push(s);
  a.refs.push(...b.refs);
  a.groupSites.push(...b.groupSites);
}

function checkDuplicates(draft: AccountDraft, out: Diagnostic[]): void {
  const seen = new Set<string>();
  const lists: readonly (readonly { arn: string }[])[] = [draft.users, draft.groups, draft.roles];
  for (const list of lists) {
    for (const e of list) {
      if (seen.has(e.arn)) {
        out.push({
          code: 'DUPLICATE_ENTITY',
          severity: 'error',
          message: `${e.arn} is defined more than once`,
          line: 1,
          column: 1,
          path: [],
          file: draft.sources[0] ?? '<input>',
        });
      }
      seen.add(e.arn);
    }
  }
  const policies = new Set<string>();
  for (const p of draft.managedPolicies) {
    if (policies.has(p.arn)) {
      out.push({
        code: 'DUPLICATE_POLICY',
        severity: 'error',
        message: `managed policy ${p.arn} is defined more than once`,
        line: 1,
        column: 1,
        path: [],
        file: draft.sources[0] ?? '<input>',
      });
    }
    policies.add(p.arn);
  }
}

/**
 * Resolves the managed policies the draft's entities use. A missing
 * customer-managed policy or an AWS managed policy unknown to the offline
 * data is an error naming the entity, never a silent gap.
 */
export function finalizeDraft(draft: AccountDraft, out: Diagnostic[]): Account {
  checkDuplicates(draft, out);
  const byArn = new Map(draft.managedPolicies.map((p) => [p.arn, p] as const));
  for (const ref of draft.refs) {
    if (byArn.has(ref.arn)) continue;
    const what = ref.boundary ? 'permissions boundary' : 'managed policy';
    if (isAwsManagedArn(ref.arn)) {
      const found = resolveAwsManagedPolicy(ref.arn);
      if (found.ok) {
        byArn.set(ref.arn, found.policy);
        continue;
      }
      out.push(
        makeDiagnostic(
          ref.source,
          'UNKNOWN_AWS_MANAGED_POLICY',
          'error',
          `${ref.owner}: ${what} ${ref.arn} is not a known AWS managed policy (${found.reason})`,
          ref.path,
        ),
      );
    } else {
      out.push(makeDiagnostic(ref.source, 'MANAGED_POLICY_NOT_FOUND', 'error', `${ref.owner}: ${what} ${ref.arn} is not defined in the input`, ref.path));
    }
  }
  const groupNames = new Set(draft.groups.map((g) => g.name));
  for (const site of draft.groupSites) {
    if (!groupNames.has(site.group)) {
      out.push(
        makeDiagnostic(
          site.source,
          'GROUP_NOT_FOUND',
          'error',
          `user ${site.user} is a member of group ${site.group}, which is not defined in the input`,
          site.path,
        ),
      );
    }
  }
  return {
    id: draft.id,
    ...(draft.name !== undefined ? { name: draft.name } : {}),
    users: draft.users,
    groups: draft.groups,
    roles: draft.roles,
    managedPolicies: [...byArn.values()],
    resourcePolicies: draft.resourcePolicies,
    sources: draft.sources,
  };
}

/** The account id field of an ARN, or undefined. */
export function accountOfArn(arn: string): string | undefined {
  const acct = parseArn(arn)?.account;
  return acct !== undefined && /^\d{12}$/.test(acct) ? acct : undefined;
}

/** Normalizes an account id written as a number (YAML) to 12 digits. */
export function normalizeAccountId(v: string): string {
  return /^\d{1,12}$/.test(v) ? v.padStart(12, '0') : v;
}
