/**
 * Every decision of the audit goes through here: one request of a modelled
 * principal, decided by `authorize` (src/authz) with the context AWS derives
 * for the principal plus the time of the audit (aws:CurrentTime,
 * aws:EpochTime, and aws:TokenIssueTime: an attacker can always work with
 * fresh temporary credentials). Keys the request cannot know stay absent,
 * so a statement that needs them does not apply (fail closed). Results are
 * cached per request.
 */
import { EvalMemo } from '../eval/memo.js';
import type { Universe } from '../account/query.js';
import type { Assembled } from '../authz/assemble.js';
import { AssemblyCache } from '../authz/assembly-cache.js';
import { authorize } from '../authz/authorize.js';
import { cite, type CitedStatement } from '../authz/queries.js';
import { resourceTypesForAction } from '../catalog/actions.js';
import { PolicyTextCache } from '../policy/policy-cache.js';
import type { ContextValue } from '../eval/request.js';
import { PolicyIds, shareKey, starActionClasses } from './share.js';

export interface Verdict {
  readonly allowed: boolean;
  /** The first statement that allowed (or denied) the request, when one did. */
  readonly statement?: CitedStatement;
}

const PROBE_NAME = 'iamsim-audit-probe';
export const PROBE_REGION = 'us-east-1';

/**
 * Concrete ARNs an action is authorized against in an account, from the
 * service reference: one per required resource type (AWS checks each), else
 * the `instance` type or the first one, else `*` (actions without resource types).
 */
export function probeResources(action: string, account: string, partition = 'aws'): string[] {
  const types = resourceTypesForAction(action);
  if (types.length === 0) return ['*'];
  // Resource types AWS owns (an ARN naming account `aws`, such as AgentCore's built-in code interpreter) are not
  // what a principal creates or finds in its account: asked about only when nothing else is listed.
  const own = types.filter((t) => t.arnFormat.includes('${Account}'));
  const candidates = own.length > 0 ? own : types;
  const required = candidates.filter((t) => t.required);
  const chosen = required.length > 0 ? required : [candidates.find((t) => t.key === 'instance') ?? candidates[0]];
  return chosen.flatMap((t) => (t ? [fill(t.arnFormat, account, partition)] : []));
}

function fill(format: string, account: string, partition: string): string {
  return format.replace(/\$\{([A-Za-z]+)\}/g, (_m, name: string) => {
    if (name === 'Partition') return partition;
    if (name === 'Region') return PROBE_REGION;
    if (name === 'Account') return account;
    return PROBE_NAME;
  });
}

/** Request context from string values (a step's `context`, a technique's extra keys). */
export function contextOf(values: Readonly<Record<string, string>>): Map<string, ContextValue> {
  return new Map(Object.entries(values).map(([key, v]) => [key.toLowerCase(), { key, type: 'string', values: [v], multivalued: false }]));
}

function timeContext(at: Date): Map<string, ContextValue> {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const v = (key: string, type: ContextValue['type'], value: string): [string, ContextValue] => [
    key.toLowerCase(),
    { key, type, values: [value], multivalued: false },
  ];
  return new Map([
    v('aws:CurrentTime', 'date', iso),
    v('aws:EpochTime', 'numeric', String(Math.floor(at.getTime() / 1000))),
    v('aws:TokenIssueTime', 'date', iso),
  ]);
}

export class AuditDecider {
  /** Verdicts by the exact request, and by share key (share.ts). */
  private readonly cache = new Map<string, Verdict>();
  private readonly shared = new Map<string, Verdict>();
  private readonly exact = new Map<string, Verdict>();
  /** The evaluator's memo for this audit's decisions. */
  private readonly memo = new EvalMemo();
  private readonly assembled: AssemblyCache;
  private readonly star = new Map<string, Assembled>();
  private readonly ids = new PolicyIds();
  private readonly time: Map<string, ContextValue>;
  /** probeResources by action and account. */
  private readonly probes = new Map<string, readonly string[]>();
  /** Number of requests decided by the evaluator (cache misses). */
  evaluations = 0;

  /**
   * `sharing` false: every request is decided on its own (no share keys, no
   * role subsets in the graph): the reference the property tests compare with.
   */
  constructor(
    readonly universe: Universe,
    readonly at: Date,
    readonly sharing = true,
    /**
     * The decider's parsed policies: by default its own (a trust policy is parsed and compiled under each role's
     * name, so a cache kept for the whole model would hold every principal's policies of the organization; these go
     * with the decider, one per partition); a decider over a model derived from another's (a probe user added)
     * passes the other's.
     */
    readonly policies: PolicyTextCache = new PolicyTextCache(),
  ) {
    this.time = timeContext(at);
    this.assembled = new AssemblyCache(Number.POSITIVE_INFINITY, policies);
  }

  /** The evaluator's input for a request (cached per assemblyKey). */
  assembly(req: { principal: string; action: string; resource: string }): Assembled {
    // On `*` no trust or resource policy takes part: one input per principal whatever the action (assemble.ts assemblyKey).
    if (req.resource !== '*') return this.assembled.get(this.universe, req);
    let assembled = this.star.get(req.principal);
    if (assembled === undefined) {
      assembled = this.assembled.get(this.universe, req);
      this.star.set(req.principal, assembled);
    }
    return assembled;
  }

  private evaluate(req: { principal: string; action: string; resource: string }, assembled: Assembled, extra?: ReadonlyMap<string, ContextValue>): Verdict {
    const context = new Map(this.time);
    for (const [k, c] of extra ?? []) context.set(k, c);
    this.evaluations++;
    const a = authorize(this.universe, { ...req, context, deriveContext: true }, { explain: false, assembled, memo: this.memo });
    const ref = a.decision.matchedStatements[0];
    return { allowed: a.decision.decision === 'allowed', ...(ref ? { statement: cite(ref, a.sources) } : {}) };
  }

  /**
   * Decides one request; `extra` adds request context (e.g. iam:PassedToService).
   * Requests the evaluator cannot tell apart (share.ts) are decided once; the
   * statement of such a verdict may be the representative's (see decideExact).
   */
  decide(principal: string, action: string, resource: string, extra?: ReadonlyMap<string, ContextValue>): Verdict {
    if (!this.sharing) return this.decideExact(principal, action, resource, extra);
    const extraKey = extra ? [...extra.values()].map((c) => `${c.key}=${c.values.join(',')}`).join('&') : '';
    // Requests on `*` (admin probes, risks) are each asked once per principal: only the shared cache keeps them.
    const own = resource === '*' && extraKey === '' ? undefined : `${principal}\u0000${action}\u0000${resource}\u0000${extraKey}`;
    const hit = own !== undefined ? this.cache.get(own) : undefined;
    if (hit !== undefined) return hit;
    const req = { principal, action, resource };
    const assembled = this.assembly(req);
    const key = shareKey(assembled, this.ids, principal, action, resource, extraKey);
    let verdict = key !== undefined ? this.shared.get(key) : undefined;
    if (verdict === undefined) {
      verdict = this.evaluate(req, assembled, extra);
      if (key !== undefined) this.shared.set(key, verdict);
    }
    if (own !== undefined) this.cache.set(own, verdict);
    return verdict;
  }

  /**
   * Whether each action is allowed on `*` for the principal (the risk scan):
   * one decision per class of actions the evaluator cannot tell apart
   * (share.ts starActionClasses), each decided like `decide`. Without sharing,
   * every action is decided on its own.
   */
  allowedOnStar(principal: string, actions: readonly string[]): boolean[] {
    if (!this.sharing || actions.length === 0) return actions.map((a) => this.decideExact(principal, a, '*').allowed);
    const assembled = this.assembly({ principal, action: actions[0] ?? '', resource: '*' });
    const classes = starActionClasses(assembled, this.ids, principal, actions);
    const byClass = new Map<object, boolean>();
    return actions.map((action, i) => {
      const k = classes[i];
      if (k === undefined) return this.decide(principal, action, '*').allowed;
      let allowed = byClass.get(k);
      if (allowed === undefined) {
        allowed = this.decide(principal, action, '*').allowed;
        byClass.set(k, allowed);
      }
      return allowed;
    });
  }

  /**
   * Decides a request on an input assembled elsewhere (a model changed by a
   * step of a path, after.ts), never cached by the request: requests with
   * equal share keys on it are decided once (the key names every policy by
   * its text, so no input of the model as it is shares with it).
   */
  decideOn(assembled: Assembled, principal: string, action: string, resource: string): boolean {
    const req = { principal, action, resource };
    if (!this.sharing) return this.evaluate(req, assembled).allowed;
    const key = shareKey(assembled, this.ids, principal, action, resource, '');
    let verdict = key !== undefined ? this.shared.get(key) : undefined;
    if (verdict === undefined) {
      verdict = this.evaluate(req, assembled);
      if (key !== undefined) this.shared.set(key, verdict);
    }
    return verdict.allowed;
  }

  /** Decides one request on its own (never shared), with its own deciding statement: for the steps a report shows. */
  decideExact(principal: string, action: string, resource: string, extra?: ReadonlyMap<string, ContextValue>): Verdict {
    const extraKey = extra ? [...extra.values()].map((c) => `${c.key}=${c.values.join(',')}`).join('&') : '';
    const own = `${principal}\u0000${action}\u0000${resource}\u0000${extraKey}`;
    let verdict = this.exact.get(own);
    if (verdict === undefined) {
      const req = { principal, action, resource };
      verdict = this.evaluate(req, this.assembly(req), extra);
      this.exact.set(own, verdict);
    }
    return verdict;
  }

  /**
   * Whether `principal` may call `action` on a resource of `account` it does
   * not name in advance (a new function, an existing instance): allowed on
   * the probe ARN of every resource type AWS checks.
   */
  decideAnywhere(principal: string, action: string, account: string, extra?: ReadonlyMap<string, ContextValue>): Verdict & { resource: string } {
    let last: Verdict & { resource: string } = { allowed: false, resource: '*' };
    let probes = this.probes.get(`${action}\u0000${account}`);
    if (probes === undefined) {
      // Made once per action and account: edges' steps hold these ARNs, one string each instead of one per caller.
      probes = probeResources(action, account);
      this.probes.set(`${action}\u0000${account}`, probes);
    }
    for (const resource of probes) {
      const v = this.decide(principal, action, resource, extra);
      if (!v.allowed) return { ...v, resource };
      last = { ...v, resource };
    }
    return last;
  }
}
