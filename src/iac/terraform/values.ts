/**
 * Reading one resource's attributes on one side of the plan. A value known
 * only after apply is resolved through the configuration's references when
 * the referenced resource names it (a role's name, a bucket's ARN built from
 * its name), becomes a symbol when it is the name of a resource this plan
 * creates, and is a hole (with the resource address and attribute) otherwise.
 */
import { entityArn, normPath } from '../overlay.js';
import type { IacDocument, IacUnknown } from '../model.js';
import type { Json, PlanContext, ResourceChange } from './context.js';

export type Side = 'before' | 'after';

function isObj(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

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
        const text = this.ctx.documentOf(rc);
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
