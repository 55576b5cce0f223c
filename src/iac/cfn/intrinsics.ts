/**
 * CloudFormation intrinsic functions and pseudo parameters, evaluated over a
 * template (CloudFormation User Guide, intrinsic-function-reference and
 * pseudo-parameter-reference): Ref, Fn::GetAtt, Fn::Sub, Fn::Join,
 * Fn::Select, Fn::Split, Fn::If with Conditions (Fn::Equals, Fn::And, Fn::Or,
 * Fn::Not, Condition), Fn::FindInMap, Fn::ImportValue, AWS::NoValue.
 * What a deployment decides (a generated name, an imported value, a
 * parameter without default or value) is a symbol or a hole (symbols.ts).
 */
import type { SourceRef } from '../model.js';
import type { SymbolTable } from '../symbols.js';
import { identityOf } from './identity.js';
import { isRecord as isObj } from '../../account/import/source.js';

export const NO_VALUE = Symbol('AWS::NoValue');

type Value = unknown;

export interface TemplateParts {
  readonly parameters: Record<string, unknown>;
  readonly mappings: Record<string, unknown>;
  readonly conditions: Record<string, unknown>;
  readonly resources: Record<string, unknown>;
}

export class Resolver {
  private readonly conditionCache = new Map<string, boolean | undefined>();
  private readonly visiting = new Set<string>();

  constructor(
    readonly t: TemplateParts,
    readonly table: SymbolTable,
    readonly account: string,
    readonly region: string,
    readonly stackName: string,
    readonly parameterValues: Readonly<Record<string, string>>,
    readonly source: (logicalId: string) => SourceRef,
  ) {}

  hole(address: string, attribute: string, reason: string, shape = '*'): string {
    return this.table.hole(address, attribute, reason, shape, this.t.resources[address] ? this.source(address) : undefined);
  }

  /** A parameter's value: given, else its default, else a hole. */
  parameter(name: string): Value {
    const p = this.t.parameters[name];
    const given = this.parameterValues[name] ?? (isObj(p) && p['Default'] !== undefined ? String(p['Default']) : undefined);
    const type = isObj(p) && typeof p['Type'] === 'string' ? p['Type'] : 'String';
    const list = type === 'CommaDelimitedList' || type.startsWith('List<');
    if (given === undefined) {
      const h = this.hole(`Parameters.${name}`, 'value', 'a parameter without a default and not given with --parameters');
      return list ? [h] : h;
    }
    return list ? given.split(',').map((s) => s.trim()) : given;
  }

  pseudo(name: string): Value | undefined {
    switch (name) {
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.region}:${this.account}:stack/${this.stackName}/${this.table.symbol(this.stackName, 'StackId', '')}`;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  ref(name: string): Value {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    if (name in this.t.parameters) return this.parameter(name);
    if (name in this.t.resources) return this.attribute(name, 'Ref');
    return this.hole(name, 'Ref', `Ref names no parameter or resource of the template`);
  }

  /** Ref or Fn::GetAtt of a resource of the template. */
  attribute(logicalId: string, attr: string): Value {
    if (this.visiting.has(logicalId)) return this.hole(logicalId, attr, 'circular reference');
    this.visiting.add(logicalId);
    try {
      const id = identityOf(this, logicalId);
      const v = attr === 'Ref' ? id.ref : id.attrs[attr];
      return v ?? this.hole(logicalId, attr, 'known only after the stack is deployed');
    } finally {
      this.visiting.delete(logicalId);
    }
  }

  condition(name: string): boolean | undefined {
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    this.conditionCache.set(name, undefined);
    const v = this.evalCondition(this.t.conditions[name]);
    this.conditionCache.set(name, v);
    return v;
  }

  /** A condition's truth; undefined when it depends on a value the template does not fix. */
  evalCondition(c: unknown): boolean | undefined {
    if (typeof c === 'boolean') return c;
    if (!isObj(c)) return undefined;
    const [fn, arg] = Object.entries(c)[0] ?? [];
    const args = Array.isArray(arg) ? arg : [arg];
    const all = args.map((a) => this.evalCondition(a));
    switch (fn) {
      case 'Condition':
        return typeof arg === 'string' ? this.condition(arg) : undefined;
      case 'Fn::Equals': {
        const [a, b] = args.map((x) => this.resolve(x));
        const unknown = (x: unknown) => JSON.stringify(x ?? null).includes('iamsim:hole:') || JSON.stringify(x ?? null).includes('iamsim-sym');
        return unknown(a) || unknown(b) ? undefined : JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::And':
        return all.includes(false) ? false : all.includes(undefined) ? undefined : true;
      case 'Fn::Or':
        return all.includes(true) ? true : all.includes(undefined) ? undefined : false;
      case 'Fn::Not':
        return all[0] === undefined ? undefined : !all[0];
      default:
        return undefined;
    }
  }

  /** Evaluates every intrinsic function in a value; NO_VALUE removes a key or list item. */
  resolve(v: Value): Value {
    if (Array.isArray(v)) return v.map((x) => this.resolve(x)).filter((x) => x !== NO_VALUE);
    if (!isObj(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return this.fn(keys[0]!, v[keys[0]!]);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = this.resolve(v[k]);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private str(v: Value): string {
    const r = this.resolve(v);
    if (typeof r === 'string') return r;
    if (typeof r === 'number' || typeof r === 'boolean') return String(r);
    return this.hole('template', 'value', `expected a string, found ${JSON.stringify(r)?.slice(0, 60)}`);
  }

  private fn(name: string, arg: unknown): Value {
    const args = Array.isArray(arg) ? arg : [arg];
    switch (name) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg) : this.hole('template', 'Ref', 'Ref needs a name');
      case 'Fn::GetAtt': {
        const [res, ...rest] = typeof arg === 'string' ? arg.split('.') : args.map((a) => this.str(a));
        return res && rest.length > 0 ? this.attribute(res, rest.join('.')) : this.hole(String(res), 'GetAtt', 'malformed Fn::GetAtt');
      }
      case 'Fn::Sub':
        return this.sub(args[0], isObj(args[1]) ? args[1] : {});
      case 'Fn::Join': {
        const list = this.resolve(args[1]);
        return Array.isArray(list) ? list.map((x) => this.str(x)).join(this.str(args[0])) : this.hole('template', 'Fn::Join', 'the list is not known');
      }
      case 'Fn::Select': {
        const i = Number(this.resolve(args[0]));
        const list = this.resolve(args[1]);
        return Array.isArray(list) && Number.isInteger(i) && list[i] !== undefined
          ? list[i]
          : this.hole('template', 'Fn::Select', 'the list or index is not known');
      }
      case 'Fn::Split': {
        const s = this.str(args[1]);
        return s.includes('iamsim:hole:') ? [s] : s.split(this.str(args[0]));
      }
      case 'Fn::If': {
        const c = typeof args[0] === 'string' ? this.condition(args[0]) : undefined;
        if (c === undefined) return this.hole(`Conditions.${String(args[0])}`, 'value', 'the condition depends on values the template does not fix');
        return this.resolve(c ? args[1] : args[2]);
      }
      case 'Fn::FindInMap': {
        const [m, a, b] = args.map((x) => this.str(x));
        const top = isObj(this.t.mappings[m!]) ? (this.t.mappings[m!] as Record<string, unknown>)[a!] : undefined;
        const v = isObj(top) ? top[b!] : undefined;
        return v !== undefined ? this.resolve(v) : this.hole(`Mappings.${m}`, `${a}.${b}`, 'not in the mapping (or a key is not known)');
      }
      case 'Fn::ImportValue':
        return this.hole(`Fn::ImportValue ${this.str(arg)}`, 'value', "another stack's export, known only at deployment");
      default:
        return this.hole('template', name, `${name} is not evaluated by iamsim`);
    }
  }

  private sub(template: unknown, vars: Record<string, unknown>): Value {
    const text = this.str(template);
    return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (name in vars) return this.str(vars[name]);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::') && name.slice(0, dot) in this.t.resources)
        return this.str(this.attribute(name.slice(0, dot), name.slice(dot + 1)));
      const v = this.ref(name);
      return typeof v === 'string' ? v : whole;
    });
  }
}
