/**
 * What an explanation cites: the deciding statements and the near misses of
 * the denying layers (with where they stand in their policies), every
 * condition clause with the request's values, and the keys the report does
 * not show that the answer rests on.
 */
import type { Authorization } from '../authz/authorize.js';
import type { StatementRef } from '../eval/compile.js';
import type { StatementTrace } from '../eval/types.js';
import { statementLabel } from '../policy/model.js';
import { statementLine } from '../workflows/fix.js';
import { awsLayerOf } from './layers.js';
import type { Ask, AwsLayer } from './types.js';

export interface StatementReport {
  readonly layer: AwsLayer | string;
  readonly policy: string;
  readonly target: string;
  readonly effect: 'Allow' | 'Deny';
  readonly statement: string;
  readonly index: number;
  readonly line: number;
  readonly file?: string;
  /** The statement's first and last line inside its policy document (for highlighting it there). */
  readonly span: { readonly start: number; readonly end: number };
  /** decided: it decided the request; near-miss: an Allow for the action that did not apply, and why. */
  readonly role: 'decided' | 'near-miss';
  readonly why: string;
}

export interface ConditionReport {
  readonly policy: string;
  readonly statement: string;
  readonly effect: 'Allow' | 'Deny';
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
  /** The request's values of the key; null when the request has none. */
  readonly request: readonly string[] | null;
  readonly held: boolean;
  readonly explanation?: string;
}

function report(auth: Authorization, ref: StatementRef, role: StatementReport['role'], why: string): StatementReport {
  const src = auth.sources.get(ref.policyId);
  const where = statementLine(src, ref);
  return {
    layer: awsLayerOf(src?.layer ?? ref.policyType) ?? ref.policyType,
    policy: src?.name ?? ref.policyName,
    target: src?.target ?? '',
    effect: ref.effect,
    statement: statementLabel(ref.index, ref.sid),
    index: ref.index,
    line: where.line,
    ...(where.file !== undefined ? { file: where.file } : {}),
    span: { start: ref.span.start.line, end: ref.span.end.line },
    role,
    why,
  };
}

function whyNotApplied(t: StatementTrace): string {
  if (t.outcome === 'resource') return 'its Resource does not match the request';
  if (t.outcome === 'principal') return 'its Principal does not name the caller';
  if (t.outcome === 'error') return `error: ${t.error ?? '?'}`;
  const failed = (t.clauses ?? []).filter((c) => !c.matched);
  return `its Condition does not hold: ${failed.map((c) => c.explanation ?? `${c.clause.operator} ${c.clause.key}`).join('; ')}`;
}

/** The deciding statements, then the Allows that matched the action but not the rest (near misses). */
export function statementsOf(auth: Authorization, layers: readonly AwsLayer[]): StatementReport[] {
  const d = auth.decision;
  const out: StatementReport[] = d.matchedStatements.map((ref) =>
    report(auth, ref, 'decided', ref.effect === 'Deny' ? 'it explicitly denies the request' : 'it allows the request'),
  );
  if (d.decision !== 'implicitDeny') return out;
  for (const l of d.layers ?? []) {
    const layer = awsLayerOf(l.layer);
    if (!l.applies || layer === undefined || !layers.includes(layer)) continue;
    for (const t of l.statements ?? []) {
      if (t.ref.effect !== 'Allow' || t.outcome === 'action' || t.outcome === 'applied') continue;
      out.push(report(auth, t.ref, 'near-miss', whyNotApplied(t)));
    }
  }
  return out;
}

/** Every condition clause of the statements whose action and resource matched the request. */
export function conditionsOf(auth: Authorization): ConditionReport[] {
  const out: ConditionReport[] = [];
  for (const l of auth.decision.layers ?? []) {
    if (!l.applies) continue;
    for (const t of l.statements ?? []) {
      if (t.outcome !== 'condition' && t.outcome !== 'applied') continue;
      const src = auth.sources.get(t.ref.policyId);
      for (const c of t.clauses ?? []) {
        const v = auth.context.get(c.clause.key.toLowerCase());
        out.push({
          policy: src?.name ?? t.ref.policyName,
          statement: statementLabel(t.ref.index, t.ref.sid),
          effect: t.ref.effect,
          operator: c.clause.operator,
          key: c.clause.key,
          values: c.clause.values,
          request: v === undefined ? null : v.values,
          held: c.matched,
          ...(c.explanation !== undefined ? { explanation: c.explanation } : {}),
        });
      }
    }
  }
  return out;
}

/**
 * Keys a near-miss Allow of a denying layer tests and the report does not show: without their
 * value iamsim cannot tell whether the statement would have applied, so it offers no fix (a fix
 * made without the key would drop the condition and grant more than the request needs).
 */
export function unseenKeys(auth: Authorization, conditions: readonly ConditionReport[], layers: readonly AwsLayer[]): Gap[] {
  if (auth.decision.decision !== 'implicitDeny') return [];
  const out = new Map<string, Gap>();
  for (const c of conditions) {
    if (c.effect !== 'Allow' || c.held || c.request !== null || modelKey(c.key)) continue;
    const layer = [...auth.sources.values()].find((s) => s.name === c.policy)?.layer;
    const l = layer !== undefined ? awsLayerOf(layer) : undefined;
    if (l !== undefined && !layers.includes(l)) continue;
    const gap = `the report does not show ${c.key}, which statement ${c.statement} of ${c.policy} tests (${c.operator} ${JSON.stringify(c.values)}): its value decides it and gives a fix`;
    out.set(gap, { gap, ask: askFor(c.key) });
  }
  return [...out.values()];
}

/** A gap in the report, and what the user can give to fill it. */
export interface Gap {
  readonly gap: string;
  readonly ask: Ask;
}

/** aws:RequestedRegion is given as the Region; any other key as request context. */
function askFor(key: string): Ask {
  return key.toLowerCase() === 'aws:requestedregion' ? { what: 'region' } : { what: 'context', key };
}

/**
 * Keys the model itself knows (the principal's and the resource's tags, ARNs, accounts and
 * organization): their absence is a fact of the model, not something the report left out.
 */
function modelKey(key: string): boolean {
  return /^aws:(principal|resource)|^[a-z0-9-]+:resourcetag\//i.test(key);
}

/** Keys whose absence made a deciding Deny apply (negated operators and …IfExists match an absent key). */
export function absentDenyKeys(auth: Authorization, conditions: readonly ConditionReport[]): Gap[] {
  if (auth.decision.decision !== 'explicitDeny') return [];
  const out = new Map<string, Gap>();
  for (const c of conditions) {
    if (c.effect !== 'Deny' || !c.held || c.request !== null || modelKey(c.key)) continue;
    const gap = `the Deny statement ${c.statement} of ${c.policy} applies because the report does not show ${c.key} (${c.operator} ${JSON.stringify(c.values)})`;
    out.set(gap, { gap, ask: askFor(c.key) });
  }
  return [...out.values()];
}

export function documentsOf(auth: Authorization): Map<string, string> {
  const out = new Map<string, string>();
  for (const src of auth.sources.values()) out.set(`${src.name}|${src.target}`, src.document);
  return out;
}
