/**
 * Functions behind `iamsim account import|list|show|remove`. The CLI opens
 * the store (`--db`, `IAMSIM_DB`, default DEFAULT_DB_PATH) and formats output.
 */
import type { AsyncStore } from './async-store.js';
import type { Account, Organization } from './model.js';
import { createUniverse, orgPoliciesFor } from './query.js';
import type { OrgLevel } from './query.js';
import type { AccountSummary, Store } from './store.js';

export { importFiles, importFilesAsync } from './import/index.js';
export type { ImportOptions, ImportResult } from './import/index.js';

export function listAccounts(store: Store): AccountSummary[] {
  return store.listAccounts();
}

export interface AccountDetails {
  readonly account: Account;
  /** Root → OU… → account, with the SCPs and RCPs attached at each level. */
  readonly organizationPath?: readonly {
    readonly nodeId: string;
    readonly kind: OrgLevel['kind'];
    readonly name: string;
    readonly scps: readonly string[];
    readonly rcps: readonly string[];
  }[];
  readonly managementAccount: boolean;
}

export function showAccount(store: Store, id: string): AccountDetails | undefined {
  const account = store.getAccount(id);
  return account ? accountDetails(account, store.getOrganization()) : undefined;
}

/** showAccount over an AsyncStore (SQLite or PostgreSQL). */
export async function showAccountAsync(store: AsyncStore, id: string): Promise<AccountDetails | undefined> {
  const account = await store.getAccount(id);
  return account ? accountDetails(account, await store.getOrganization()) : undefined;
}

/** The account with its path through the organization and the SCPs/RCPs at each level. */
export function accountDetails(account: Account, organization: Organization | undefined): AccountDetails {
  const id = account.id;
  const u = createUniverse({ accounts: [account], ...(organization ? { organization } : {}) });
  const scps = orgPoliciesFor(u, id, 'SCP');
  const rcps = orgPoliciesFor(u, id, 'RCP');
  const path = scps?.levels.map((l, i) => ({
    nodeId: l.nodeId,
    kind: l.kind,
    name: l.name,
    scps: l.policies.map((p) => p.name),
    rcps: rcps?.levels[i]?.policies.map((p) => p.name) ?? [],
  }));
  return {
    account,
    managementAccount: organization?.managementAccountId === id,
    ...(path ? { organizationPath: path } : {}),
  };
}

export function removeAccount(store: Store, id: string): boolean {
  return store.removeAccount(id);
}
