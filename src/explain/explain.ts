/**
 * Explains one AccessDenied report against a model of the accounts: the
 * request the report describes is decided as AWS decides it (authz/authorize
 * with the keys AWS adds to every request), the layers that deny it are
 * compared with the one AWS's message names, and the smallest fix comes from
 * preflight's fix engine (workflows/run planFixes: change the near-miss
 * statement; the plan is applied to a scratch copy of the model and the
 * request decided again).
 */
import type { Universe } from '../account/query.js';
import { authorize, type Authorization } from '../authz/authorize.js';
import type { StatementRef } from '../eval/compile.js';
import { parseArn } from '../primitives/arn.js';
import { makeContext } from '../eval/request.js';
import type { EvalDecision, StatementTrace } from '../eval/types.js';
import type { Policy } from '../policy/model.js';
import { statementLabel } from '../policy/model.js';
import { statementLine } from '../workflows/fix.js';
import { planFixes, type FixPlan } from '../workflows/run.js';
import type { ConcreteStep, Fix } from '../workflows/types.js';
import { contextEntry } from './context.js';
import { awsLayerOf, denyingLayers, missingLayer, ownerOf } from './layers.js';
import { LAYER_PHRASE } from './message.js';
import type { AwsLayer, ContextEntry, Denial, DenialKind } from './types.js';

export interface ExplainOptions {
  /** Fill-ins or overrides for what the report leaves out. */
  readonly principal?: string;
  readonly action?: string;
  readonly resource?: string;
  readonly region?: string;
  readonly vpcEndpointId?: string;
  readonly sessionPolicies?: readonly Policy[];
  /** Context keys the report does not show (they replace the report's values of the same key). */
  readonly context?: readonly ContextEntry[];
}

export interface StatementReport {
  readonly layer: AwsLayer | string;
  readonly policy: string;
  readonly target: string;
  readonly effect: 'Allow' | 'Deny';
  readonly statement: string;
  readonly index: number;
  readonly line: number;
  readonly file?: string;
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

export interface ExplainedRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, readonly string[]>>;
  readonly vpcEndpointId?: string;
}

export interface Explained {
  readonly request: ExplainedRequest;
  readonly aws: { readonly layer: AwsLayer | null; readonly kind: DenialKind | null; readonly policyArn?: string; readonly form: Denial['form'] };
  readonly iamsim: {
    readonly decision: EvalDecision;
    readonly layer: AwsLayer | null;
    readonly layers: readonly AwsLayer[];
    readonly reason: string;
    readonly statements: readonly StatementReport[];
    readonly conditions: readonly ConditionReport[];
    readonly warnings: readonly string[];
  };
  readonly agrees: boolean;
  /**
   * True when the model's answer rests on a Deny that applied only because the report does not show a key
   * it tests (e.g. aws:RequestedRegion for an S3 message): the report is bad input until the key is given.
   */
  readonly incomplete: boolean;
  /** One sentence: agreement, or why the model and AWS differ. */
  readonly verdict: string;
  /** What the model lacks for AWS's answer (empty when nothing is known to be missing). */
  readonly modelGaps: readonly string[];
  /** The fix plan (fix engine), null when iamsim does not agree or knows none. */
  readonly fixes: readonly Fix[] | null;
  /** True when the request is allowed once every fix is applied (decided again on a scratch copy). */
  readonly fixVerified: boolean;
  /** For an explicit deny: who owns the denying statement. */
  readonly owner: string | null;
  readonly notes: readonly string[];
}

export type ExplainOutcome =
  | { readonly ok: true; readonly explained: Explained; readonly step: ConcreteStep; readonly plan?: FixPlan }
  | { readonly ok: false; readonly problem: string };

/**
 * aws:RequestedRegion from the option, the record, a regional resource ARN, or the Region of the
 * modelled VPC endpoint the request went through (an endpoint serves its own Region).
 */
function regionEntries(u: Universe, d: Denial, resource: string, region: string | undefined, vpce: string | undefined, notes: string[]): ContextEntry[] {
  if (d.context.some((e) => e.key.toLowerCase() === 'aws:requestedregion')) return [];
  const fromArn = parseArn(resource)?.region;
  const endpoint = vpce !== undefined ? u.vpcEndpoints.get(vpce) : undefined;
  const fromEndpoint = endpoint !== undefined ? parseArn(endpoint.arn)?.region : undefined;
  const r = region ?? (fromArn !== undefined && fromArn !== '' ? fromArn : fromEndpoint);
  if (r === undefined || r === '') {
    notes.push('the report does not say in which Region the request was made: aws:RequestedRegion is not in the request (give --region)');
    return [];
  }
  if (region === undefined) notes.push(`aws:RequestedRegion taken from the ${r === fromArn ? 'resource ARN' : `VPC endpoint ${vpce}`}: ${r}`);
  return [contextEntry('aws:RequestedRegion', [r])];
}

function requestOf(d: Denial, o: ExplainOptions): { principal?: string; action?: string; resource?: string } {
  const principal = o.principal ?? d.principal;
  const action = o.action ?? d.action;
  const resource = o.resource ?? d.resource;
  return { ...(principal ? { principal } : {}), ...(action ? { action } : {}), ...(resource ? { resource } : {}) };
}

function cite(ref: StatementRef): string {
  return `statement ${statementLabel(ref.index, ref.sid)}`;
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
function statementsOf(auth: Authorization, layers: readonly AwsLayer[]): StatementReport[] {
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
function conditionsOf(auth: Authorization): ConditionReport[] {
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
function unseenKeys(auth: Authorization, conditions: readonly ConditionReport[], layers: readonly AwsLayer[]): string[] {
  if (auth.decision.decision !== 'implicitDeny') return [];
  const out = new Set<string>();
  for (const c of conditions) {
    if (c.effect !== 'Allow' || c.held || c.request !== null || modelKey(c.key)) continue;
    const layer = [...auth.sources.values()].find((s) => s.name === c.policy)?.layer;
    const l = layer !== undefined ? awsLayerOf(layer) : undefined;
    if (l !== undefined && !layers.includes(l)) continue;
    out.add(
      `the report does not show ${c.key}, which statement ${c.statement} of ${c.policy} tests (${c.operator} ${JSON.stringify(c.values)}): give --context ${c.key}=VALUE to decide it and get a fix`,
    );
  }
  return [...out];
}

/**
 * Keys the model itself knows (the principal's and the resource's tags, ARNs, accounts and
 * organization): their absence is a fact of the model, not something the report left out.
 */
function modelKey(key: string): boolean {
  return /^aws:(principal|resource)|^[a-z0-9-]+:resourcetag\//i.test(key);
}

/** Keys whose absence made a deciding Deny apply (negated operators and …IfExists match an absent key). */
function absentDenyKeys(auth: Authorization, conditions: readonly ConditionReport[]): string[] {
  if (auth.decision.decision !== 'explicitDeny') return [];
  const out = new Set<string>();
  for (const c of conditions) {
    if (c.effect !== 'Deny' || !c.held || c.request !== null || modelKey(c.key)) continue;
    const flag = c.key.toLowerCase() === 'aws:requestedregion' ? '--region REGION' : `--context ${c.key}=VALUE`;
    out.add(
      `the Deny statement ${c.statement} of ${c.policy} applies because the report does not show ${c.key} (${c.operator} ${JSON.stringify(c.values)}): give ${flag}`,
    );
  }
  return [...out];
}

function kindOf(d: EvalDecision): DenialKind | null {
  return d === 'explicitDeny' ? 'explicit' : d === 'implicitDeny' ? 'implicit' : null;
}

function phrase(l: AwsLayer): string {
  return LAYER_PHRASE[l];
}

interface Judged {
  readonly agrees: boolean;
  readonly layer: AwsLayer | null;
  readonly verdict: string;
  readonly gaps: string[];
}

function judge(
  u: Universe,
  d: Denial,
  auth: Authorization,
  layers: readonly AwsLayer[],
  req: { principal: string; resource: string; vpcEndpointId?: string },
): Judged {
  const decision = auth.decision.decision;
  const gaps: string[] = [];
  if (d.layer !== undefined) {
    const g = missingLayer(u, d.layer, req, auth);
    if (g !== undefined) gaps.push(g);
  }
  const awsSays =
    d.layer !== undefined
      ? `${d.kind === 'explicit' ? 'an explicit deny in' : 'no Allow in'} the ${phrase(d.layer)}`
      : d.kind === 'explicit'
        ? 'an explicit deny'
        : 'a denial';
  if (decision === 'allowed') {
    if (gaps.length === 0)
      gaps.push('the model is stale: a policy changed since it was imported, or a policy AWS evaluated is not in it; re-import the accounts');
    return { agrees: false, layer: null, verdict: `AWS reports ${awsSays}, but the model allows the request: ${gaps[0]}.`, gaps };
  }
  const kind = kindOf(decision);
  const first = layers[0] ?? null;
  const modelSays = `${kind === 'explicit' ? 'an explicit deny in' : 'no Allow in'} ${layers.length > 0 ? layers.map((l) => `the ${phrase(l)}`).join(', ') : 'any policy'}`;
  if (d.kind !== undefined && d.kind !== kind) {
    if (gaps.length === 0)
      gaps.push(
        d.kind === 'explicit'
          ? `a Deny AWS evaluated is not in the model (stale or missing ${d.layer !== undefined ? phrase(d.layer) : 'policy'})`
          : 'the model has a Deny AWS did not apply: the model is stale',
      );
    return { agrees: false, layer: first, verdict: `AWS reports ${awsSays}; the model finds ${modelSays}: ${gaps[0]}.`, gaps };
  }
  if (d.layer !== undefined && !layers.includes(d.layer)) {
    if (gaps.length === 0)
      gaps.push(`the model's ${phrase(d.layer)} lets the request through: it is stale, or the request's context differs from what the report shows`);
    return { agrees: false, layer: first, verdict: `AWS reports ${awsSays}; the model finds ${modelSays}: ${gaps[0]}.`, gaps };
  }
  const layer = d.layer ?? first;
  const also = layers.filter((l) => l !== layer);
  const tail = also.length > 0 ? ` (the model also finds the ${also.map(phrase).join(', ')} denying it; AWS names only one)` : '';
  return {
    agrees: true,
    layer,
    verdict: `iamsim agrees: ${modelSays.replace(/^no Allow in .*$/, `no Allow in the ${layer !== null ? phrase(layer) : 'policies'}`)}${tail}.`,
    gaps,
  };
}

/** Explains one report; a report that lacks the principal, action or resource (and no option fills it) is a problem. */
export function explainDenial(u: Universe, d: Denial, o: ExplainOptions = {}): ExplainOutcome {
  const r = requestOf(d, o);
  const missing = (['principal', 'action', 'resource'] as const).filter((k) => r[k] === undefined);
  if (missing.length > 0) {
    const hint = d.notes.find((n) => n.includes('decode-authorization-message')) ?? `give ${missing.map((m) => `--${m}`).join(', ')}`;
    return { ok: false, problem: `the report does not name the ${missing.join(', ')} of the request: ${hint}` };
  }
  const principal = r.principal as string;
  const action = r.action as string;
  const resource = r.resource as string;
  const notes = [...d.notes];
  const vpce = o.vpcEndpointId ?? d.vpcEndpointId;
  if (o.sessionPolicies !== undefined) notes.push('with a session policy the fix engine plans no fix (it edits stored policies only)');
  const given = new Set((o.context ?? []).map((e) => e.key.toLowerCase()));
  const reported = d.context.filter((e) => !given.has(e.key.toLowerCase()));
  const entries = [
    ...reported,
    ...(o.context ?? []),
    ...regionEntries(u, { ...d, context: [...reported, ...(o.context ?? [])] }, resource, o.region, vpce, notes),
  ];
  const step: ConcreteStep = {
    name: 'explain-denied',
    title: `${action} on ${resource}`,
    principal,
    action,
    resource,
    context: entries,
    expect: 'allowed',
    why: d.text,
    ...(vpce !== undefined ? { vpcEndpointId: vpce } : {}),
  };
  const auth = authorize(
    u,
    {
      principal,
      action,
      resource,
      context: makeContext(entries),
      deriveContext: true,
      ...(vpce !== undefined ? { vpcEndpointId: vpce } : {}),
      ...(o.sessionPolicies !== undefined && o.sessionPolicies.length > 0 ? { sessionPolicies: o.sessionPolicies } : {}),
    },
    { explain: true },
  );
  const layers = denyingLayers(auth, action);
  const judged = judge(u, d, auth, layers, { principal, resource, ...(vpce !== undefined ? { vpcEndpointId: vpce } : {}) });
  const explicit = auth.decision.decision === 'explicitDeny';
  let fixes: Fix[] | null = null;
  let verified = false;
  let plan: FixPlan | undefined;
  const conditions = conditionsOf(auth);
  const unseen = unseenKeys(auth, conditions, layers);
  const absent = absentDenyKeys(auth, conditions);
  const incomplete = absent.length > 0 && !judged.agrees;
  const gaps = incomplete ? absent : [...judged.gaps, ...unseen, ...absent];
  if (judged.agrees && o.sessionPolicies === undefined && unseen.length === 0 && absent.length === 0) {
    plan = planFixes(u, [step]);
    fixes = plan.groups.map((g) => g.fix);
    verified = plan.verified;
    if (fixes.length === 0) fixes = null;
  }
  const denyRef = explicit ? auth.decision.matchedStatements.find((s) => s.effect === 'Deny') : undefined;
  const denySrc = denyRef ? auth.sources.get(denyRef.policyId) : undefined;
  const denyLayer = denySrc ? awsLayerOf(denySrc.layer) : undefined;
  const owner =
    denyRef && denySrc && denyLayer ? `${cite(denyRef)} of ${denySrc.name} (${denySrc.target}) is owned by ${ownerOf(denyLayer, denySrc.target, u)}` : null;
  const context: Record<string, readonly string[]> = {};
  for (const v of auth.context.values()) context[v.key] = v.values;
  return {
    ok: true,
    step,
    ...(plan !== undefined && plan.groups.length > 0 ? { plan } : {}),
    explained: {
      request: { principal, action, resource, context, ...(vpce !== undefined ? { vpcEndpointId: vpce } : {}) },
      aws: { layer: d.layer ?? null, kind: d.kind ?? null, ...(d.policyArn !== undefined ? { policyArn: d.policyArn } : {}), form: d.form },
      iamsim: {
        decision: auth.decision.decision,
        layer: judged.layer,
        layers,
        reason: auth.decision.reason,
        statements: statementsOf(auth, layers),
        conditions,
        warnings: [...auth.warnings, ...auth.diagnostics.map((x) => x.message)],
      },
      agrees: judged.agrees,
      incomplete,
      verdict: incomplete ? `iamsim cannot decide as AWS did: ${absent[0]}.` : judged.verdict,
      modelGaps: gaps,
      fixes,
      fixVerified: verified,
      owner,
      notes,
    },
  };
}
