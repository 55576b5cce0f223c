/** A Terraform plan's resource changes, configuration expressions and prior data, as the readers see them. */
import type { IacUnknown, SourceRef } from '../model.js';
import type { SymbolTable } from '../symbols.js';
import type { TfLocator } from './locate.js';
import { isObj, type Json } from './json.js';

export interface ResourceChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: Json;
  readonly actions: readonly string[];
  readonly before: Json;
  readonly after: Json;
  readonly afterUnknown: Json;
}

interface ConfigExpr {
  readonly references?: readonly string[];
  readonly constant_value?: Json;
}

/** The unindexed address (`module.a["x"].aws_iam_role.r[0]` → `module.a.aws_iam_role.r`). */
export function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

function modulePrefix(address: string): string {
  const parts = configAddress(address).split('.');
  const out: string[] = [];
  for (let i = 0; i + 1 < parts.length && parts[i] === 'module'; i += 2) out.push(`module.${parts[i + 1]}`);
  return out.length > 0 ? `${out.join('.')}.` : '';
}

export class PlanContext {
  readonly byConfig = new Map<string, ResourceChange[]>();
  readonly expressions = new Map<string, Record<string, Json>>();
  readonly priorData = new Map<string, Json>();
  account: string;
  region: string;

  constructor(
    readonly file: string,
    readonly changes: readonly ResourceChange[],
    readonly plan: Record<string, Json>,
    readonly table: SymbolTable,
    readonly locator: TfLocator,
    opts: { accountId?: string; region?: string },
  ) {
    for (const rc of changes) {
      const k = configAddress(rc.address);
      this.byConfig.set(k, [...(this.byConfig.get(k) ?? []), rc]);
    }
    const config = plan['configuration'];
    if (isObj(config) && isObj(config['root_module'])) this.indexModule(config['root_module'], '');
    const prior = plan['prior_state'];
    if (isObj(prior) && isObj(prior['values']) && isObj(prior['values']['root_module'])) this.indexState(prior['values']['root_module']);
    this.region = opts.region ?? this.providerRegion() ?? 'us-east-1';
    this.account = opts.accountId ?? this.findAccount() ?? table.accountSymbol('the account the plan deploys to', 'account_id');
  }

  private indexModule(mod: Record<string, Json>, prefix: string): void {
    for (const r of Array.isArray(mod['resources']) ? mod['resources'] : []) {
      if (isObj(r) && typeof r['address'] === 'string' && isObj(r['expressions'])) this.expressions.set(prefix + r['address'], r['expressions']);
    }
    const calls = mod['module_calls'];
    if (!isObj(calls)) return;
    for (const [name, call] of Object.entries(calls)) {
      if (isObj(call) && isObj(call['module'])) this.indexModule(call['module'], `${prefix}module.${name}.`);
    }
  }

  private indexState(mod: Record<string, Json>): void {
    for (const r of Array.isArray(mod['resources']) ? mod['resources'] : []) {
      if (isObj(r) && typeof r['address'] === 'string') this.priorData.set(r['address'], r['values'] ?? null);
    }
    for (const c of Array.isArray(mod['child_modules']) ? mod['child_modules'] : []) if (isObj(c)) this.indexState(c);
  }

  private providerRegion(): string | undefined {
    const pc = isObj(this.plan['configuration']) ? this.plan['configuration']['provider_config'] : undefined;
    if (!isObj(pc)) return undefined;
    for (const p of Object.values(pc)) {
      if (!isObj(p) || p['name'] !== 'aws' || !isObj(p['expressions'])) continue;
      const r = p['expressions']['region'];
      if (isObj(r) && typeof r['constant_value'] === 'string') return r['constant_value'];
    }
    return undefined;
  }

  /** The account from data.aws_caller_identity or from the ARNs the plan's known values hold. */
  private findAccount(): string | undefined {
    for (const [addr, v] of this.priorData) if (addr.includes('aws_caller_identity') && isObj(v) && typeof v['account_id'] === 'string') return v['account_id'];
    for (const rc of this.changes) {
      if (rc.type === 'aws_caller_identity' && isObj(rc.after) && typeof rc.after['account_id'] === 'string') return rc.after['account_id'];
    }
    const counts = new Map<string, number>();
    const text = JSON.stringify(this.changes.map((c) => [c.before, c.after]));
    for (const m of text.matchAll(/arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(?:role|user|group|policy)\//g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  source(rc: ResourceChange): SourceRef {
    const at = this.locator(configAddress(rc.address), rc.type);
    return { file: at?.file ?? this.file, ...(at ? { line: at.line, column: at.column } : {}), address: rc.address, type: rc.type };
  }

  /** The configuration expression of an attribute path (nested blocks as lists). */
  expression(rc: ResourceChange, path: readonly (string | number)[]): ConfigExpr | undefined {
    let v: Json | undefined = this.expressions.get(configAddress(rc.address)) ?? null;
    for (const p of path) {
      if (typeof p === 'number') v = Array.isArray(v) ? (v[p] ?? v[0]) : v;
      else v = isObj(v) ? v[p] : undefined;
    }
    return isObj(v) ? (v as ConfigExpr) : undefined;
  }

  /** Resources (and data sources) an attribute's expression refers to, as resource changes. */
  referenced(rc: ResourceChange, path: readonly (string | number)[]): { rc: ResourceChange; attribute: string }[] {
    const refs = this.expression(rc, path)?.references ?? [];
    const prefix = modulePrefix(rc.address);
    const out: { rc: ResourceChange; attribute: string }[] = [];
    for (const ref of refs) {
      const parts = ref.split('.');
      const isData = parts[0] === 'data';
      const head = isData ? parts.slice(0, 3) : parts.slice(0, 2);
      if (head.length < (isData ? 3 : 2) || ['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self'].includes(parts[0]!)) continue;
      const attribute = parts.slice(head.length).join('.');
      if (attribute === '') continue;
      const target = this.instance(prefix + head.join('.'), rc);
      if (target) out.push({ rc: target, attribute });
    }
    return out;
  }

  /** The instance of a resource a reference means: the only one, or the one with the referrer's index. */
  instance(config: string, from: ResourceChange): ResourceChange | undefined {
    const list = this.byConfig.get(config.replace(/\[[^\]]*\]/g, ''));
    if (!list || list.length === 0) return undefined;
    if (list.length === 1) return list[0];
    return list.find((r) => JSON.stringify(r.index) === JSON.stringify(from.index));
  }

  unknown(rc: ResourceChange, attribute: string, reason: string): IacUnknown {
    return { address: rc.address, attribute, reason, source: this.source(rc) };
  }
}
