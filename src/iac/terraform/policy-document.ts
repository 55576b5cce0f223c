/**
 * `data "aws_iam_policy_document"`: the policy JSON its arguments describe
 * (Terraform AWS provider, data source aws_iam_policy_document). When the
 * data source is read during apply, its `json` is unknown in the plan; the
 * statement blocks are not, except for values that reference resources the
 * plan creates — those become holes shaped like the referenced resource's ARNs.
 */
import type { Json, PlanContext, ResourceChange } from './context.js';
import { shapeOf, Values } from './values.js';

function isObj(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

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
