/**
 * Account files over a store: the one rule for a model read from both. An
 * account in the files replaces the stored account of the same ID, a
 * resource policy replaces the stored one with its ARN, and an organization
 * in the files replaces the stored organization. Used by the commands'
 * `--account FILE… --db PATH` (authz/universe.ts) and by the server's
 * `--account` files kept over its store (server/engine.ts).
 */
import type { StoreContents } from './async-store.js';
import type { ImportBatch } from './model.js';

export function overlayContents(stored: StoreContents | undefined, files: ImportBatch | undefined): StoreContents {
  const accounts = new Map(stored?.accounts.map((a) => [a.id, a] as const));
  const resourcePolicies = new Map(stored?.resourcePolicies.map((r) => [r.arn, r] as const));
  let organization = stored?.organization;
  if (files) {
    for (const a of files.accounts) accounts.set(a.id, a);
    for (const r of files.resourcePolicies) resourcePolicies.set(r.arn, r);
    if (files.organization) organization = files.organization;
  }
  return { accounts: [...accounts.values()], resourcePolicies: [...resourcePolicies.values()], ...(organization ? { organization } : {}) };
}
