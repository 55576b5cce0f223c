/**
 * The statements the generators build (GenStatement: a builder's form
 * without source spans, turned into the one policy model by toPolicy), and
 * their finishing steps: merge
 * statements that can be merged without changing what the policy allows,
 * order everything deterministically and print canonical AWS JSON.
 *
 * Merging follows from the evaluation logic (IAM User Guide: policy evaluation
 * logic): within one policy, statements are ORed, so two statements with the
 * same Effect and Condition that share their Resource list may share one
 * Action list (and vice versa) without granting or denying anything new.
 */
import { arnPatternCanMatchFormat, canonicalActionName, resourceTypesForAction } from '../catalog/catalog.js';
import { NO_POSITION, type Span } from '../diagnostics/diagnostic.js';
import { hasWildcards, wildcardContains } from '../primitives/wildcard.js';
import type { ConditionClause, Policy, PrincipalBlock, PrincipalKind, Statement, ValueList } from '../policy/model.js';
import { parseConditionOperator } from '../policy/operators.js';
import { policyToJson } from '../policy/print.js';
import { MANAGED_POLICY_SIZE_LIMIT, policySize } from '../policy/quota.js';

export { MANAGED_POLICY_SIZE_LIMIT, policySize } from '../policy/quota.js';

/** Condition block: operator → key → values. */
export type ConditionMap = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface GenStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** Trust policies: `{ Service: [...] }` or `{ AWS: [...] }`. */
  readonly principal?: Readonly<Record<string, readonly string[]>>;
  readonly actions: readonly string[];
  /** Omitted in trust policies. */
  readonly resources?: readonly string[];
  readonly conditions?: ConditionMap;
}

/** A policy's AWS JSON value, as policy/print writes it. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

/** Canonical spelling for a known action; patterns and unknown names are kept as written. */
export function canonicalAction(action: string): string {
  if (action.includes('*') || action.includes('?')) return action;
  return canonicalActionName(action) ?? action;
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Plain code-unit order: deterministic and locale-independent. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function conditionKey(c: ConditionMap | undefined): string {
  if (c === undefined) return '';
  const ops = Object.keys(c).sort(compareStrings);
  return JSON.stringify(
    ops.map((op) => {
      const block = c[op] ?? {};
      return [
        op,
        Object.keys(block)
          .sort(compareStrings)
          .map((k) => [k, [...(block[k] ?? [])]]),
      ];
    }),
  );
}

/**
 * Sorted, unique, and without entries another pattern of the list contains.
 * IAM's `*` in a Resource matches any run of characters, `/` and `:` included
 * (IAM JSON policy elements: Resource); Resource matching is case-sensitive.
 */
export function prune(values: readonly string[]): string[] {
  const unique = uniqueSorted(values);
  if (unique.includes('*')) return ['*'];
  const patterns = unique.filter(hasWildcards);
  return unique.filter((a) => !patterns.some((p) => p !== a && wildcardContains(p, a, false)));
}

function normalize(s: GenStatement): GenStatement {
  return {
    ...s,
    actions: uniqueSorted(s.actions.map(canonicalAction)),
    ...(s.resources !== undefined ? { resources: prune(s.resources) } : {}),
  };
}

/** Merges statements that differ only in the list named by `by`. Keeps first-seen order and Sid. */
function mergeBy(statements: readonly GenStatement[], by: 'actions' | 'resources'): GenStatement[] {
  const out: GenStatement[] = [];
  const index = new Map<string, number>();
  for (const s of statements) {
    const other = by === 'actions' ? s.resources : s.actions;
    const key = JSON.stringify([s.effect, s.principal ?? null, conditionKey(s.conditions), other ?? null]);
    const at = index.get(key);
    const prev = at === undefined ? undefined : out[at];
    if (at === undefined || prev === undefined || s.principal !== undefined) {
      index.set(key, out.length);
      out.push(s);
      continue;
    }
    const merged: GenStatement =
      by === 'actions'
        ? { ...prev, actions: uniqueSorted([...prev.actions, ...s.actions]) }
        : { ...prev, resources: uniqueSorted([...(prev.resources ?? []), ...(s.resources ?? [])]) };
    out[at] = merged;
  }
  return out;
}

export interface FinishOptions {
  /** Sort statements (Deny first, then by first action and resource); default keeps the builder's order. */
  readonly sort?: boolean;
  /** Also merge statements whose actions and resources are disjoint in type (see crossMerge); default true. */
  readonly crossMerge?: boolean;
}

/** Could `resource` name a resource that `action` is authorized against? ("*" always can.) */
function resourceFitsAction(action: string, resource: string): boolean {
  if (resource === '*' || action.includes('*') || action.includes('?')) return true;
  const types = resourceTypesForAction(action);
  if (types.length === 0) return resource === '*';
  return types.some((t) => arnPatternCanMatchFormat(resource, t.arnFormat));
}

function servicesOf(actions: readonly string[]): string {
  return [...new Set(actions.map((a) => a.slice(0, a.indexOf(':')).toLowerCase()))].sort().join(',');
}

/** Two Sids' common word prefix (`CreateTaggedEndpoint` + `CreateTaggedModel` → `CreateTagged`), else the first. */
function mergedSid(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined || a === b) return a ?? b;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  while (i > 0 && i < a.length && !(a[i] as string).match(/[A-Z0-9]/)) i--;
  return i >= 6 ? a.slice(0, i) : a;
}

/**
 * Merges statements with the same Effect and Condition into one with the
 * union of actions and resources when that adds no (action, resource) pair
 * that could ever be requested: every added resource is of a type the
 * action is never authorized against (Service Authorization Reference:
 * resource types per action). `CreateEndpointConfig on endpoint-config/*`
 * and `CreateTransformJob on transform-job/*` become one statement.
 */
function crossMerge(statements: readonly GenStatement[]): GenStatement[] {
  const out: GenStatement[] = [];
  for (const s of statements) {
    let merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      const o = out[i] as GenStatement;
      if (o.effect !== s.effect || o.principal !== undefined || s.principal !== undefined) continue;
      if (o.resources === undefined || s.resources === undefined) continue;
      if (conditionKey(o.conditions) !== conditionKey(s.conditions)) continue;
      // Only within one service, so each statement stays about one thing.
      if (servicesOf(o.actions) !== servicesOf(s.actions)) continue;
      const oRes = new Set(o.resources);
      const sRes = new Set(s.resources);
      const clean = (actions: readonly string[], own: Set<string>, added: readonly string[]): boolean =>
        actions.every((a) => added.every((r) => own.has(r) || !resourceFitsAction(a, r)));
      if (clean(o.actions, oRes, s.resources) && clean(s.actions, sRes, o.resources)) {
        const sid = mergedSid(o.sid, s.sid);
        out[i] = {
          ...o,
          actions: uniqueSorted([...o.actions, ...s.actions]),
          resources: uniqueSorted([...o.resources, ...s.resources]),
          ...(sid !== undefined ? { sid } : {}),
        };
        merged = true;
      }
    }
    if (!merged) out.push(s);
  }
  return out;
}

/**
 * Normalizes (canonical action names, duplicates removed, lists sorted) and
 * merges: first actions over identical resource sets, then resources over
 * identical action sets. Statements with a Principal are never merged.
 */
export function finishStatements(statements: readonly GenStatement[], options: FinishOptions = {}): GenStatement[] {
  let list = statements.map(normalize).filter((s) => s.actions.length > 0 && (s.resources === undefined || s.resources.length > 0));
  list = mergeBy(list, 'actions');
  list = mergeBy(list, 'resources');
  if (options.crossMerge !== false) list = crossMerge(list);
  if (options.sort === true) {
    list = [...list].sort(
      (a, b) =>
        (a.effect === b.effect ? 0 : a.effect === 'Deny' ? -1 : 1) ||
        compareStrings(a.actions[0] ?? '', b.actions[0] ?? '') ||
        compareStrings((a.resources ?? [])[0] ?? '', (b.resources ?? [])[0] ?? '') ||
        compareStrings(conditionKey(a.conditions), conditionKey(b.conditions)),
    );
  }
  return dedupeSids(list);
}

/** Sids must be unique within a policy (IAM JSON policy elements: Sid). */
function dedupeSids(list: readonly GenStatement[]): GenStatement[] {
  const seen = new Map<string, number>();
  return list.map((s) => {
    if (s.sid === undefined) return s;
    const n = (seen.get(s.sid) ?? 0) + 1;
    seen.set(s.sid, n);
    return n === 1 ? s : { ...s, sid: `${s.sid}${n}` };
  });
}

const NO_SPAN: Span = { start: NO_POSITION, end: NO_POSITION };

function valueList(values: readonly string[]): ValueList {
  return { values: [...values], spans: values.map(() => NO_SPAN), span: NO_SPAN };
}

function clause(operator: string, key: string, values: readonly string[]): ConditionClause {
  const parsed = parseConditionOperator(operator);
  const op = parsed.ok ? parsed.op : { baseOperator: operator, ifExists: false };
  return {
    operator,
    key,
    values: [...values],
    span: NO_SPAN,
    baseOperator: op.baseOperator,
    ifExists: op.ifExists,
    ...(parsed.ok && parsed.op.setQualifier !== undefined ? { setQualifier: parsed.op.setQualifier } : {}),
  };
}

function principalBlock(principal: Readonly<Record<string, readonly string[]>>): PrincipalBlock {
  const values: Partial<Record<PrincipalKind, readonly string[]>> = {};
  for (const [kind, list] of Object.entries(principal)) values[kind as PrincipalKind] = [...list];
  return { wildcard: false, values, span: NO_SPAN };
}

function toStatement(s: GenStatement, index: number): Statement {
  const conditions = Object.entries(s.conditions ?? {}).flatMap(([op, block]) => Object.entries(block).map(([key, values]) => clause(op, key, values)));
  return {
    index,
    effect: s.effect,
    conditions,
    span: NO_SPAN,
    action: valueList(s.actions),
    ...(s.sid !== undefined ? { sid: s.sid } : {}),
    ...(s.principal !== undefined ? { principal: principalBlock(s.principal) } : {}),
    ...(s.resources !== undefined ? { resource: valueList(s.resources) } : {}),
  };
}

/**
 * The builder's statements as the project's one policy model (policy/model),
 * so generated policies are printed, linted and evaluated like parsed ones.
 * A statement with a Principal makes it a trust policy.
 */
export function toPolicy(statements: readonly GenStatement[], name = 'generated'): Policy {
  return {
    name,
    type: statements.some((s) => s.principal !== undefined) ? 'trust' : 'identity',
    version: '2012-10-17',
    statements: statements.map(toStatement),
    span: NO_SPAN,
  };
}

/** Canonical AWS JSON (policy/print: Sid, Effect, Principal, Action, Resource, Condition). */
export function toDocument(statements: readonly GenStatement[]): PolicyDocument {
  return policyToJson(toPolicy(statements)) as PolicyDocument;
}

/** Pretty JSON with a trailing newline. */
export function printDocument(doc: PolicyDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Packs statements, in order, into as few documents as fit the size limit
 * (a statement larger than the limit gets a document of its own). Several
 * managed policies attached to one role grant the union of their statements
 * (IAM User Guide: policy evaluation logic), so splitting changes nothing.
 */
export function packDocuments(statements: readonly GenStatement[], limit = MANAGED_POLICY_SIZE_LIMIT): PolicyDocument[] {
  const docs: GenStatement[][] = [];
  let current: GenStatement[] = [];
  for (const s of statements) {
    const trial = [...current, s];
    if (current.length > 0 && policySize(toDocument(trial)) > limit) {
      docs.push(current);
      current = [s];
    } else current = trial;
  }
  if (current.length > 0) docs.push(current);
  return docs.map(toDocument);
}
