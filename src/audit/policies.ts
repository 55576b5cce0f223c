/**
 * Escalation risks of a set of identity-based policies alone (no account
 * model): which techniques of techniques.ts the policies would let their
 * principal use. Used by `lint --principal` and by `generate` to warn.
 *
 * Each needed action is decided by the evaluator (with the permissions
 * boundaries, and the time of the check as aws:CurrentTime/aws:TokenIssueTime)
 * on resources the principal does not name in advance: for an Allow whose
 * Resource is a pattern, an ARN that pattern matches (its wildcards filled
 * in), for `*` or NotResource the action's own resource types. A grant on
 * exact ARNs is taken as deliberate and not reported. Policy versions can
 * only be created for customer managed policies, so `arn:aws:iam::aws:policy/…`
 * resources never count.
 */
import { compilePolicy, type CompiledPolicy, type StatementRef } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { formatArn, parseArn } from '../primitives/arn.js';
import type { ContextValue } from '../eval/request.js';
import type { Policy } from '../policy/model.js';
import { probeResources } from './decide.js';
import { Catalog } from '../catalog/catalog-object.js';
import { TECHNIQUES, type Technique } from './techniques.js';

export interface EscalationGrant {
  readonly action: string;
  readonly resource: string;
  /** The Allow statement that decided (policyId = the index of the policy in the input, as a string). */
  readonly statement: StatementRef;
}

export interface EscalationRisk {
  readonly technique: Technique;
  /** iam:PassRole first (pass-role techniques), then the technique's actions. */
  readonly grants: readonly EscalationGrant[];
}

/** A 12-digit account standing for "the principal's own account" in probe ARNs. */
const PROBE_ACCOUNT = '000000000000';
const FILL = 'iamsim-audit-probe';

const TECHNIQUE_KINDS = new Set(['edit-policy', 'policy-version', 'group-join', 'credentials', 'trust-edit', 'pass-role', 'existing-compute']);

/** An ARN the pattern matches, with `*`/`?` filled in; undefined for patterns with policy variables. */
export function instantiate(pattern: string): string | undefined {
  if (pattern.includes('${')) return undefined;
  if (pattern === '*') return undefined;
  const arn = parseArn(pattern);
  if (arn === undefined) return undefined;
  const fill = (s: string, dflt: string): string => (s === '*' ? dflt : s.replace(/\*/g, FILL).replace(/\?/g, 'x'));
  return formatArn({
    partition: fill(arn.partition, 'aws'),
    service: arn.service,
    region: fill(arn.region, 'us-east-1'),
    account: fill(arn.account, PROBE_ACCOUNT),
    resource: fill(arn.resource, FILL),
  });
}

/** Resources worth asking about for an action: those the Allow statements naming it (the evaluator's own action match) reach with a wildcard. */
function candidateResources(policies: readonly CompiledPolicy[], action: string, catalog: Catalog): string[] {
  const lower = action.toLowerCase();
  const out = new Set<string>();
  for (const p of policies) {
    for (const { statement: st } of p.candidates(lower)) {
      if (st.effect !== 'Allow') continue;
      if (st.notResource || st.resource?.values.includes('*')) for (const r of probeResources(action, PROBE_ACCOUNT)) out.add(r);
      // A pattern of another resource type (an S3 object ARN for an EC2 action) never lets the action through.
      const typed = catalog.resourceTypesForAction(action).length > 0;
      for (const v of st.resource?.values ?? []) {
        if (!v.includes('*') && !v.includes('?')) continue;
        const arn = instantiate(v);
        if (arn !== undefined && (!typed || catalog.resourceTypeOfArn(action, arn) !== undefined)) out.add(arn);
      }
    }
  }
  return [...out];
}

function versionable(action: string, resource: string): boolean {
  if (!/^iam:(CreatePolicyVersion|SetDefaultPolicyVersion)$/i.test(action)) return true;
  const arn = parseArn(resource);
  return arn !== undefined && arn.account !== 'aws' && arn.account !== '';
}

function timeContext(at: Date, extra: readonly [string, string][]): Map<string, ContextValue> {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const entries: [string, ContextValue['type'], string][] = [
    ['aws:CurrentTime', 'date', iso],
    ['aws:TokenIssueTime', 'date', iso],
    ['aws:EpochTime', 'numeric', String(Math.floor(at.getTime() / 1000))],
    ...extra.map(([k, v]) => [k, 'string', v] as [string, ContextValue['type'], string]),
  ];
  return new Map(entries.map(([key, type, v]) => [key.toLowerCase(), { key, type, values: [v], multivalued: false }]));
}

class Checker {
  readonly identity: CompiledPolicy[];
  readonly boundary: CompiledPolicy[];
  constructor(
    readonly policies: readonly Policy[],
    boundaries: readonly Policy[],
    readonly at: Date,
    readonly catalog: Catalog,
  ) {
    this.identity = policies.map((p, i) => compilePolicy(p, String(i)));
    this.boundary = boundaries.map((p, i) => compilePolicy(p, `boundary.${i}`));
  }

  grant(action: string, extra: readonly [string, string][] = []): EscalationGrant | undefined {
    for (const resource of candidateResources(this.identity, action, this.catalog)) {
      if (!versionable(action, resource)) continue;
      const d = evaluate(
        { identity: this.identity, boundary: this.boundary },
        { action, resource, principal: `arn:aws:iam::${PROBE_ACCOUNT}:user/${FILL}`, context: timeContext(this.at, extra) },
      );
      const ref = d.matchedStatements[0];
      if (d.decision === 'allowed' && ref) return { action, resource, statement: ref };
    }
    return undefined;
  }
}

/**
 * The techniques the policies allow (`sts:AssumeRole` alone is not one).
 * `boundaries`: permissions boundaries of the same principal. `catalog`: the one to ask (a caller checking many
 * principals passes one, which remembers compiled Resource patterns); default: one for this call.
 */
export function escalationRisks(
  policies: readonly Policy[],
  boundaries: readonly Policy[] = [],
  at: Date = new Date(),
  catalog: Catalog = new Catalog(),
): EscalationRisk[] {
  const c = new Checker(policies, boundaries, at, catalog);
  const out: EscalationRisk[] = [];
  for (const t of TECHNIQUES) {
    if (!TECHNIQUE_KINDS.has(t.kind)) continue;
    const grants: EscalationGrant[] = [];
    if (t.kind === 'pass-role') {
      const services = [t.service ?? '', ...(t.alsoPasses !== undefined ? [t.alsoPasses] : [])];
      const passes = services.map((service) => c.grant('iam:PassRole', [['iam:PassedToService', service]]));
      if (passes.some((g) => g === undefined)) continue;
      for (const g of passes) if (g !== undefined) grants.push(g);
    }
    let ok = true;
    for (const a of t.actions) {
      const g = c.grant(a);
      if (g === undefined) {
        ok = false;
        break;
      }
      grants.push(g);
    }
    if (ok) out.push({ technique: t, grants });
  }
  return out;
}
