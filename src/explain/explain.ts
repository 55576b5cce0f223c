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
import type { EvalDecision } from '../eval/types.js';
import type { Policy } from '../policy/model.js';
import { statementLabel } from '../policy/model.js';
import { planFixes, type FixPlan } from '../workflows/run.js';
import type { ConcreteStep, Fix } from '../workflows/types.js';
import { contextEntry } from './context.js';
import { absentDenyKeys, conditionsOf, documentsOf, statementsOf, unseenKeys, type ConditionReport, type StatementReport } from './findings.js';
import { awsLayerOf, denyingLayers, layerAsk, missingLayer, ownerOf } from './layers.js';
import { LAYER_PHRASE } from './message.js';
import type { Ask, AwsLayer, ContextEntry, Denial, DenialKind } from './types.js';

export type { ConditionReport, StatementReport } from './findings.js';

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
  /** What the user can give to fill what the report leaves out (each shell words it: flags, fields). */
  readonly asks: readonly Ask[];
  /** The fix plan (fix engine), null when iamsim does not agree or knows none. */
  readonly fixes: readonly Fix[] | null;
  /** True when the request is allowed once every fix is applied (decided again on a scratch copy). */
  readonly fixVerified: boolean;
  /** For an explicit deny: who owns the denying statement. */
  readonly owner: string | null;
  readonly notes: readonly string[];
  /** The text of every policy a statement above cites, by `policy|target` (for showing it; not in the JSON output). */
  readonly documents: ReadonlyMap<string, string>;
}

export type ExplainOutcome =
  | { readonly ok: true; readonly explained: Explained; readonly step: ConcreteStep; readonly plan?: FixPlan }
  | { readonly ok: false; readonly problem: string; readonly asks: readonly Ask[] };

/**
 * aws:RequestedRegion from the option, the record, a regional resource ARN, or the Region of the
 * modelled VPC endpoint the request went through (an endpoint serves its own Region).
 */
function regionEntries(
  u: Universe,
  d: Denial,
  resource: string,
  o: { region: string | undefined; vpce: string | undefined },
  notes: string[],
  asks: Ask[],
): ContextEntry[] {
  const { region, vpce } = o;
  if (d.context.some((e) => e.key.toLowerCase() === 'aws:requestedregion')) return [];
  const fromArn = parseArn(resource)?.region;
  const endpoint = vpce !== undefined ? u.vpcEndpoints.get(vpce) : undefined;
  const fromEndpoint = endpoint !== undefined ? parseArn(endpoint.arn)?.region : undefined;
  const r = region ?? (fromArn !== undefined && fromArn !== '' ? fromArn : fromEndpoint);
  if (r === undefined || r === '') {
    notes.push('the report does not say in which Region the request was made: aws:RequestedRegion is not in the request');
    asks.push({ what: 'region' });
    return [];
  }
  if (region === undefined) notes.push(`aws:RequestedRegion taken from the ${r === fromArn ? 'resource ARN' : `VPC endpoint ${vpce}`}: ${r}`);
  return [contextEntry('aws:RequestedRegion', [r])];
}

/** Each ask once, in the order first asked. */
function uniqueAsks(asks: readonly Ask[]): Ask[] {
  const seen = new Set<string>();
  return asks.filter((a) => {
    const k = a.what === 'context' ? `context:${a.key.toLowerCase()}` : a.what;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
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
  readonly asks: Ask[];
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
  const asks: Ask[] = [];
  if (d.layer !== undefined) {
    const g = missingLayer(u, d.layer, req, auth);
    if (g !== undefined) gaps.push(g);
    const a = layerAsk(d.layer, g, req.vpcEndpointId);
    if (a !== undefined) asks.push(a);
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
    return { agrees: false, layer: null, verdict: `AWS reports ${awsSays}, but the model allows the request: ${gaps[0]}.`, gaps, asks };
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
    return { agrees: false, layer: first, verdict: `AWS reports ${awsSays}; the model finds ${modelSays}: ${gaps[0]}.`, gaps, asks };
  }
  if (d.layer !== undefined && !layers.includes(d.layer)) {
    if (gaps.length === 0)
      gaps.push(`the model's ${phrase(d.layer)} lets the request through: it is stale, or the request's context differs from what the report shows`);
    return { agrees: false, layer: first, verdict: `AWS reports ${awsSays}; the model finds ${modelSays}: ${gaps[0]}.`, gaps, asks };
  }
  const layer = d.layer ?? first;
  const also = layers.filter((l) => l !== layer);
  const tail = also.length > 0 ? ` (the model also finds the ${also.map(phrase).join(', ')} denying it; AWS names only one)` : '';
  return {
    agrees: true,
    layer,
    verdict: `iamsim agrees: ${modelSays.replace(/^no Allow in .*$/, `no Allow in the ${layer !== null ? phrase(layer) : 'policies'}`)}${tail}.`,
    gaps,
    asks,
  };
}

/** Explains one report; a report that lacks the principal, action or resource (and no option fills it) is a problem. */
export function explainDenial(u: Universe, d: Denial, o: ExplainOptions = {}): ExplainOutcome {
  const r = requestOf(d, o);
  const missing = (['principal', 'action', 'resource'] as const).filter((k) => r[k] === undefined);
  if (missing.length > 0) {
    const decode = d.notes.find((n) => n.includes('decode-authorization-message'));
    return {
      ok: false,
      problem: `the report does not name the ${missing.join(', ')} of the request${decode !== undefined ? `: ${decode}` : ''}`,
      asks: decode !== undefined ? [] : missing.map((what) => ({ what })),
    };
  }
  const principal = r.principal as string;
  const action = r.action as string;
  const resource = r.resource as string;
  const notes = [...d.notes];
  const asks: Ask[] = [...(d.asks ?? [])];
  const vpce = o.vpcEndpointId ?? d.vpcEndpointId;
  if (o.sessionPolicies !== undefined) notes.push('with a session policy the fix engine plans no fix (it edits stored policies only)');
  const given = new Set((o.context ?? []).map((e) => e.key.toLowerCase()));
  const reported = d.context.filter((e) => !given.has(e.key.toLowerCase()));
  const entries = [
    ...reported,
    ...(o.context ?? []),
    ...regionEntries(u, { ...d, context: [...reported, ...(o.context ?? [])] }, resource, { region: o.region, vpce }, notes, asks),
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
  const gaps = incomplete ? absent.map((g) => g.gap) : [...judged.gaps, ...unseen.map((g) => g.gap), ...absent.map((g) => g.gap)];
  asks.push(...(incomplete ? [] : judged.asks), ...unseen.map((g) => g.ask), ...absent.map((g) => g.ask));
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
      verdict: incomplete ? `iamsim cannot decide as AWS did: ${absent[0]?.gap}.` : judged.verdict,
      modelGaps: gaps,
      asks: uniqueAsks(asks),
      fixes,
      fixVerified: verified,
      owner,
      notes,
      documents: documentsOf(auth),
    },
  };
}
