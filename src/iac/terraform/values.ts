/**
 * Reading one resource's attributes on one side of the plan. A value known
 * only after apply is resolved through the configuration's references when
 * the referenced resource names it (a role's name, a bucket's ARN built from
 * its name), becomes a symbol when it is the name of a resource this plan
 * creates, and is a hole (with the resource address and attribute) otherwise.
 */
import { entityArn, normPath } from '../overlay.js';
import type { IacDocument, IacUnknown } from '../model.js';
import { isObj, type Json } from './json.js';
import type { PlanContext, ResourceChange } from './context.js';

export type Side = 'before' | 'after';

/** The widest ARN pattern of a resource type's values (for holes). */
export function shapeOf(ctx: PlanContext, type: string): string {
  const a = ctx.account;
  const shapes: Record<string, string> = {
    aws_s3_bucket: 'arn:aws:s3:::*',
    aws_iam_role: `arn:aws:iam::${a}:role/*`,
    aws_iam_user: `arn:aws:iam::${a}:user/*`,
    aws_iam_group: `arn:aws:iam::${a}:group/*`,
    aws_iam_policy: `arn:aws:iam::${a}:policy/*`,
    aws_kms_key: `arn:aws:kms:*:${a}:key/*`,
    aws_sqs_queue: `arn:aws:sqs:*:${a}:*`,
    aws_sns_topic: `arn:aws:sns:*:${a}:*`,
    aws_ecr_repository: `arn:aws:ecr:*:${a}:repository/*`,
    aws_lambda_function: `arn:aws:lambda:*:${a}:function:*`,
    aws_secretsmanager_secret: `arn:aws:secretsmanager:*:${a}:secret:*`,
    aws_dynamodb_table: `arn:aws:dynamodb:*:${a}:table/*`,
  };
  return shapes[type] ?? '*';
}

export class Values {
  constructor(
    readonly ctx: PlanContext,
    readonly rc: ResourceChange,
    readonly side: Side,
    readonly unknowns: IacUnknown[],
  ) {}

  get value(): { [k: string]: Json } {
    const v = this.side === 'before' ? this.rc.before : this.rc.after;
    return isObj(v) ? v : {};
  }

  raw(path: readonly (string | number)[]): Json | undefined {
    let v: Json | undefined = this.value;
    for (const p of path) v = typeof p === 'number' ? (Array.isArray(v) ? v[p] : undefined) : isObj(v) ? v[p] : undefined;
    return v;
  }

  isUnknown(path: readonly (string | number)[]): boolean {
    if (this.side === 'before') return false;
    let u: Json | undefined = this.rc.afterUnknown;
    for (const p of path) {
      if (u === true) return true;
      u = typeof p === 'number' ? (Array.isArray(u) ? u[p] : undefined) : isObj(u) ? u[p] : undefined;
    }
    return u === true;
  }

  /** A known string, or undefined when absent, empty or not known. */
  known(path: readonly (string | number)[]): string | undefined {
    if (this.isUnknown(path)) return undefined;
    const v = this.raw(path);
    return typeof v === 'string' && v !== '' ? v : undefined;
  }

  strings(path: readonly (string | number)[]): string[] {
    const v = this.raw(path);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  /**
   * A string attribute: known, or resolved through the reference it is
   * computed from, or a hole. Undefined when the attribute is absent.
   */
  str(path: readonly (string | number)[], shape = '*'): string | undefined {
    const k = this.known(path);
    if (k !== undefined) return k;
    if (!this.isUnknown(path)) return undefined;
    for (const { rc, attribute } of this.ctx.referenced(this.rc, path)) {
      const v = attributeOf(this.ctx, rc, attribute);
      if (v !== undefined) return v;
    }
    const attr = path.filter((p) => typeof p === 'string').join('.');
    return this.ctx.table.hole(this.rc.address, attr, 'known only after apply', shape, this.ctx.source(this.rc));
  }

  /** A policy attribute (JSON text): known, built from the aws_iam_policy_document it comes from, or a hole. */
  policy(path: readonly (string | number)[]): IacDocument | undefined {
    const k = this.known(path);
    if (k !== undefined) return { text: k };
    if (!this.isUnknown(path)) return undefined;
    const attr = path.filter((p) => typeof p === 'string').join('.');
    const refs = this.ctx.referenced(this.rc, path);
    for (const { rc, attribute } of refs) {
      if (rc.type === 'aws_iam_policy_document' && attribute === 'json') {
        const text = policyDocumentOf(this.ctx, rc);
        if (text !== undefined) return { text };
      }
    }
    const from = this.ctx.expression(this.rc, path)?.references ?? [];
    const why = `known only after apply${from.length > 0 ? ` (computed from ${from.join(', ')})` : ''}`;
    return this.ctx.table.holeDocument(this.rc.address, attr, why, this.ctx.source(this.rc));
  }
}

function tokenName(ctx: PlanContext, rc: ResourceChange, attribute: string, prefix: string): string {
  return ctx.table.symbol(rc.address, attribute, prefix, { source: ctx.source(rc) });
}

/** The value of another resource's attribute on the after side, derived when the plan leaves it unknown. */
export function attributeOf(ctx: PlanContext, rc: ResourceChange, attribute: string): string | undefined {
  const v = new Values(ctx, rc, 'after', []);
  const known = v.known([attribute]);
  if (known !== undefined) return known;
  const id = identityOf(ctx, rc);
  if (attribute === 'arn') return id.arn;
  if (attribute === 'name' || attribute === 'function_name' || attribute === 'bucket') return id.name;
  if (attribute === 'id' || attribute === 'key_id' || attribute === 'url') return attribute === 'url' ? (id.url ?? id.id) : id.id;
  return undefined;
}

interface Identity {
  readonly name?: string;
  readonly id?: string;
  readonly arn?: string;
  readonly url?: string;
}

/** Name, id and ARN of a resource the plan creates or changes (symbols for what only apply decides). */
export function identityOf(ctx: PlanContext, rc: ResourceChange): Identity {
  const v = new Values(ctx, rc, rc.after !== null ? 'after' : 'before', []);
  const a = ctx.account;
  const r = ctx.region;
  const iam = (kind: 'role' | 'user' | 'group' | 'policy'): Identity => {
    const path = normPath(v.known(['path']));
    const name = v.known(['name']) ?? tokenName(ctx, rc, 'name', `arn:aws:iam::${a}:${kind}${path}`);
    const arn = v.known(['arn']) ?? (kind === 'policy' ? `arn:aws:iam::${a}:policy${path}${name}` : entityArn(a, kind, path, name));
    return { name, id: kind === 'policy' ? arn : name, arn };
  };
  switch (rc.type) {
    case 'aws_iam_role':
      return iam('role');
    case 'aws_iam_user':
      return iam('user');
    case 'aws_iam_group':
      return iam('group');
    case 'aws_iam_policy':
      return iam('policy');
    case 'aws_s3_bucket': {
      const name = v.known(['bucket']) ?? tokenName(ctx, rc, 'bucket', 'arn:aws:s3:::');
      return { name, id: name, arn: `arn:aws:s3:::${name}` };
    }
    case 'aws_kms_key': {
      const id = v.known(['key_id']) ?? tokenName(ctx, rc, 'key_id', `arn:aws:kms:${r}:${a}:key/`);
      return { id, arn: v.known(['arn']) ?? `arn:aws:kms:${r}:${a}:key/${id}` };
    }
    case 'aws_sqs_queue': {
      const name = v.known(['name']) ?? tokenName(ctx, rc, 'name', `arn:aws:sqs:${r}:${a}:`);
      const url = `https://sqs.${r}.amazonaws.com/${a}/${name}`;
      return { name, id: url, url, arn: v.known(['arn']) ?? `arn:aws:sqs:${r}:${a}:${name}` };
    }
    case 'aws_sns_topic': {
      const name = v.known(['name']) ?? tokenName(ctx, rc, 'name', `arn:aws:sns:${r}:${a}:`);
      const arn = v.known(['arn']) ?? `arn:aws:sns:${r}:${a}:${name}`;
      return { name, id: arn, arn };
    }
    case 'aws_ecr_repository': {
      const name = v.known(['name']) ?? tokenName(ctx, rc, 'name', `arn:aws:ecr:${r}:${a}:repository/`);
      return { name, id: name, arn: v.known(['arn']) ?? `arn:aws:ecr:${r}:${a}:repository/${name}` };
    }
    case 'aws_lambda_function': {
      const name = v.known(['function_name']) ?? tokenName(ctx, rc, 'function_name', `arn:aws:lambda:${r}:${a}:function:`);
      return { name, id: name, arn: v.known(['arn']) ?? `arn:aws:lambda:${r}:${a}:function:${name}` };
    }
    case 'aws_secretsmanager_secret': {
      const arn = v.known(['arn']) ?? `arn:aws:secretsmanager:${r}:${a}:secret:${tokenName(ctx, rc, 'arn', `arn:aws:secretsmanager:${r}:${a}:secret:`)}`;
      return { id: arn, arn, ...(v.known(['name']) ? { name: v.known(['name'])! } : {}) };
    }
    case 'aws_organizations_policy':
    case 'aws_organizations_organizational_unit': {
      const id = v.known(['id']) ?? tokenName(ctx, rc, 'id', rc.type === 'aws_organizations_policy' ? 'p-' : 'ou-');
      return { id, ...(v.known(['arn']) ? { arn: v.known(['arn'])! } : {}) };
    }
    default:
      return { ...(v.known(['id']) ? { id: v.known(['id'])! } : {}), ...(v.known(['arn']) ? { arn: v.known(['arn'])! } : {}) };
  }
}

// --- data "aws_iam_policy_document" ---------------------------------------
/**
 * `data "aws_iam_policy_document"`: the policy JSON its arguments describe
 * (Terraform AWS provider, data source aws_iam_policy_document). When the
 * data source is read during apply, its `json` is unknown in the plan; the
 * statement blocks are not, except for values that reference resources the
 * plan creates — those become holes shaped like the referenced resource's ARNs.
 */

type Stmt = Record<string, unknown>;

function list(v: Values, path: (string | number)[], label: string, shape: () => string): string[] | undefined {
  if (v.isUnknown(path)) return [v.ctx.table.hole(v.rc.address, label, 'known only after apply', shape(), v.ctx.source(v.rc))];
  const raw = v.raw(path);
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  return raw.map((x, i) =>
    typeof x === 'string' && !v.isUnknown([...path, i]) ? x : v.ctx.table.hole(v.rc.address, label, 'known only after apply', shape(), v.ctx.source(v.rc)),
  );
}

function refShape(v: Values, path: (string | number)[]): string {
  const refs = v.ctx.referenced(v.rc, path);
  const shapes = [...new Set(refs.map((r) => shapeOf(v.ctx, r.rc.type)))];
  return shapes.length === 1 ? shapes[0]! : '*';
}

function principals(v: Values, path: (string | number)[], label: string): Record<string, string[]> | '*' | undefined {
  const raw = v.raw(path);
  if (v.isUnknown(path)) return { AWS: [v.ctx.table.hole(v.rc.address, label, 'known only after apply', '*', v.ctx.source(v.rc))] };
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const out: Record<string, string[]> = {};
  let star = false;
  raw.forEach((_, i) => {
    const type = v.known([...path, i, 'type']) ?? 'AWS';
    const ids = list(v, [...path, i, 'identifiers'], `${label}.identifiers`, () => '*') ?? [];
    if (type === '*') star = true;
    else out[type] = [...(out[type] ?? []), ...ids];
  });
  return star && Object.keys(out).length === 0 ? '*' : out;
}

function statement(v: Values, i: number): Stmt {
  const p = (k: string): (string | number)[] => ['statement', i, k];
  const st: Stmt = {};
  const sid = v.known(p('sid'));
  if (sid) st['Sid'] = sid;
  st['Effect'] = v.isUnknown(p('effect'))
    ? v.ctx.table.hole(v.rc.address, `statement[${i}].effect`, 'known only after apply')
    : (v.known(p('effect')) ?? 'Allow');
  for (const [key, json] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const pr = principals(v, p(key), `statement[${i}].${key}`);
    if (pr !== undefined) st[json] = pr;
  }
  for (const [key, json] of [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ] as const) {
    const l = list(v, p(key), `statement[${i}].${key}`, () => (key.endsWith('resources') ? refShape(v, p(key)) : '*'));
    if (l !== undefined) st[json] = l;
  }
  const conds = v.raw(p('condition'));
  if (v.isUnknown(p('condition'))) st['Condition'] = { [v.ctx.table.hole(v.rc.address, `statement[${i}].condition`, 'known only after apply')]: {} };
  else if (Array.isArray(conds) && conds.length > 0) {
    const c: Record<string, Record<string, string[]>> = {};
    conds.forEach((_, j) => {
      const cp: (string | number)[] = ['statement', i, 'condition', j];
      const test = v.known([...cp, 'test']) ?? v.ctx.table.hole(v.rc.address, `statement[${i}].condition[${j}].test`, 'known only after apply');
      const variable = v.known([...cp, 'variable']) ?? v.ctx.table.hole(v.rc.address, `statement[${i}].condition[${j}].variable`, 'known only after apply');
      const values = list(v, [...cp, 'values'], `statement[${i}].condition[${j}].values`, () => '*') ?? [];
      c[test] = { ...(c[test] ?? {}), [variable]: [...(c[test]?.[variable] ?? []), ...values] };
    });
    st['Condition'] = c;
  }
  return st;
}

function statementsOf(text: string | undefined): Stmt[] {
  if (text === undefined) return [];
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    const s = doc.Statement;
    return (Array.isArray(s) ? s : s !== undefined ? [s] : []) as Stmt[];
  } catch {
    return [];
  }
}

/** The JSON of a policy document data source; undefined when even its arguments are not known. */
export function policyDocumentOf(ctx: PlanContext, rc: ResourceChange): string | undefined {
  const v = new Values(ctx, rc, 'after', []);
  if (!isObj(rc.after)) {
    const prior = ctx.priorData.get(rc.address);
    return isObj(prior) && typeof prior['json'] === 'string' ? prior['json'] : undefined;
  }
  const json = v.known(['json']);
  if (json !== undefined) return json;
  if (v.isUnknown(['statement'])) return undefined;
  const own = (Array.isArray(v.raw(['statement'])) ? (v.raw(['statement']) as Json[]) : []).map((_, i) => statement(v, i));
  const docs = (key: string): Stmt[] | undefined => {
    if (v.isUnknown([key])) return undefined;
    return v.strings([key]).flatMap((t) => statementsOf(t));
  };
  const source = docs('source_policy_documents');
  const override = docs('override_policy_documents');
  if (source === undefined || override === undefined) return undefined;
  // Statements with the same Sid: the document's own replace the source's; the override's replace both.
  const merge = (base: Stmt[], top: Stmt[]): Stmt[] => {
    const sids = new Set(top.map((s) => s['Sid']).filter((s) => typeof s === 'string' && s !== ''));
    return [...base.filter((s) => !(typeof s['Sid'] === 'string' && sids.has(s['Sid']))), ...top];
  };
  const all = merge(merge(source, own), override);
  if (all.length === 0) return undefined;
  return JSON.stringify({ Version: v.known(['version']) ?? '2012-10-17', Statement: all });
}
