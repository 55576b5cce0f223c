/**
 * Terraform plan JSON (`terraform show -json plan.out`, format_version 1.x):
 * `resource_changes[].change.before/after/after_unknown`, the configuration's
 * references (which resource a value known only after apply comes from),
 * module addresses, and the data sources (`aws_iam_policy_document`) of the
 * plan and of `prior_state`. Produces the before and after sides of the
 * change (resources.ts maps each resource type to facts).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { IacSide, IacUnknown, Fact } from '../model.js';
import type { SymbolTable } from '../symbols.js';
import { factsOf, TERRAFORM_TYPES } from './resources.js';
import { locateResources } from './locate.js';
import { isObj, type Json } from './json.js';
import { PlanContext, type ResourceChange } from './context.js';

export interface PlanSides {
  readonly before: IacSide;
  readonly after: IacSide;
  readonly diagnostics: Diagnostic[];
}

function asChange(v: Json, i: number, file: string, out: Diagnostic[]): ResourceChange | undefined {
  if (!isObj(v) || typeof v['address'] !== 'string' || typeof v['type'] !== 'string' || !isObj(v['change'])) {
    out.push({
      code: 'TF_PLAN_SHAPE',
      severity: 'error',
      message: `resource_changes[${i}] is not a resource change (address, type, change)`,
      file,
      line: 1,
      column: 1,
      path: ['resource_changes', i],
    });
    return undefined;
  }
  const c = v['change'];
  return {
    address: v['address'],
    mode: v['mode'] === 'data' ? 'data' : 'managed',
    type: v['type'],
    name: typeof v['name'] === 'string' ? v['name'] : '',
    ...(v['index'] !== undefined ? { index: v['index'] } : {}),
    actions: Array.isArray(c['actions']) ? c['actions'].filter((a): a is string => typeof a === 'string') : [],
    before: c['before'] ?? null,
    after: c['after'] ?? null,
    afterUnknown: c['after_unknown'] ?? null,
  };
}

/** True for a Terraform plan in JSON form. */
export function isTerraformPlan(v: unknown): boolean {
  return (
    isObj(v as Json) && Array.isArray((v as Record<string, Json>)['resource_changes']) && typeof (v as Record<string, Json>)['format_version'] === 'string'
  );
}

function ordered(facts: Fact[]): Fact[] {
  const first = (f: Fact) => (f.kind === 'user' || f.kind === 'group' || f.kind === 'role' || f.kind === 'managed-policy' || f.kind === 'org-policy' ? 0 : 1);
  return [...facts].sort((a, b) => first(a) - first(b));
}

/**
 * A policy-carrying attribute of a resource type iamsim does not read (aws_opensearch_domain_policy,
 * aws_efs_file_system_policy, …) that the change sets or changes: never a silent pass.
 */
function unmodelledPolicy(rc: ResourceChange): string | undefined {
  if (rc.type in TERRAFORM_TYPES || !rc.type.startsWith('aws_')) return undefined;
  const after = isObj(rc.after) ? rc.after : {};
  const before = isObj(rc.before) ? rc.before : {};
  const unknown = isObj(rc.afterUnknown) ? rc.afterUnknown : {};
  for (const key of new Set([...Object.keys(after), ...Object.keys(unknown)])) {
    if (!/(^|_)(policy|access_policies|policy_document|content)$/.test(key)) continue;
    if (after[key] === null || after[key] === '' || (after[key] === undefined && unknown[key] !== true)) continue;
    if (unknown[key] === true || JSON.stringify(after[key] ?? null) !== JSON.stringify(before[key] ?? null)) return key;
  }
  return undefined;
}

/** Reads a plan: the before side (prior state of every resource the plan lists) and the after side. */
export function readTerraformPlan(
  plan: Record<string, Json>,
  file: string,
  table: SymbolTable,
  opts: { accountId?: string; region?: string; tfDir?: string } = {},
): PlanSides {
  const diagnostics: Diagnostic[] = [];
  const list = Array.isArray(plan['resource_changes']) ? plan['resource_changes'] : [];
  const changes = list.map((v, i) => asChange(v, i, file, diagnostics)).filter((c): c is ResourceChange => c !== undefined);
  const ctx = new PlanContext(file, changes, plan, table, locateResources(opts.tfDir, plan), opts);
  const before: Fact[] = [];
  const after: Fact[] = [];
  const unknownsBefore: IacUnknown[] = [];
  const unknownsAfter: IacUnknown[] = [];
  for (const rc of changes) {
    if (rc.mode !== 'managed') continue;
    const skipped = unmodelledPolicy(rc);
    if (skipped !== undefined) unknownsAfter.push(ctx.unknown(rc, skipped, `${rc.type} is not modelled by iamsim; the policy it changes is not checked`));
    if (rc.before !== null) before.push(...factsOf(ctx, rc, 'before', unknownsBefore));
    if (rc.after !== null) after.push(...factsOf(ctx, rc, 'after', unknownsAfter));
  }
  return {
    before: { accountId: ctx.account, region: ctx.region, facts: ordered(before), unknowns: unknownsBefore, files: [file] },
    after: { accountId: ctx.account, region: ctx.region, facts: ordered(after), unknowns: unknownsAfter, files: [file] },
    diagnostics,
  };
}
