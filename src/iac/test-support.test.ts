/** Helpers for the IaC tests: plans built from resource changes, and a diff over them. */
import { diffChange, type DiffReport } from './diff/index.js';
import { SymbolTable } from './symbols.js';
import { readTerraformPlan } from './terraform/plan.js';
import type { Json } from './terraform/json.js';
import type { Universe } from '../account/query.js';

export const ACCT = '111122223333';

export interface Change {
  readonly type: string;
  readonly name: string;
  readonly before?: Record<string, Json> | null;
  readonly after?: Record<string, Json> | null;
  readonly unknown?: Record<string, Json>;
  readonly expressions?: Record<string, Json>;
  readonly mode?: 'managed' | 'data';
}

export function plan(changes: readonly Change[]): Record<string, Json> {
  return {
    format_version: '1.2',
    terraform_version: '1.9.0',
    resource_changes: changes.map((c) => ({
      address: `${c.mode === 'data' ? 'data.' : ''}${c.type}.${c.name}`,
      mode: c.mode ?? 'managed',
      type: c.type,
      name: c.name,
      change: {
        actions: c.before == null ? ['create'] : c.after == null ? ['delete'] : ['update'],
        before: c.before ?? null,
        after: c.after ?? null,
        after_unknown: c.unknown ?? {},
      },
    })),
    configuration: {
      root_module: {
        resources: changes.map((c) => ({
          address: `${c.mode === 'data' ? 'data.' : ''}${c.type}.${c.name}`,
          mode: c.mode ?? 'managed',
          type: c.type,
          name: c.name,
          expressions: c.expressions ?? {},
        })),
      },
    },
  };
}

export function doc(...statements: Record<string, Json>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export const TRUST_SAGEMAKER = doc({ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' });

export function role(name: string, extra: Record<string, Json> = {}): Record<string, Json> {
  return { name, path: '/', assume_role_policy: TRUST_SAGEMAKER, inline_policy: [], managed_policy_arns: [], permissions_boundary: null, tags: {}, ...extra };
}

export async function diffPlan(p: Record<string, Json>, opts: { baseline?: Universe; accountId?: string; audit?: boolean } = {}): Promise<DiffReport> {
  const table = new SymbolTable();
  const r = readTerraformPlan(p, 'plan.json', table, { accountId: opts.accountId ?? ACCT });
  return diffChange({
    before: r.before,
    after: r.after,
    table,
    account: opts.accountId ?? ACCT,
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
    noAudit: opts.audit !== true,
  });
}

/** The new-access verdict of a principal or resource by ARN. */
export function verdict(r: DiffReport, arn: string, policy?: 'trust' | 'resource'): string | undefined {
  const p = r.principals.find((x) => x.arn === arn);
  if (p && policy === undefined) return p.newAccess.result;
  return r.resources.find((x) => x.arn === arn && (policy === undefined || x.policy === policy))?.newAccess.result;
}
