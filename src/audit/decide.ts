/**
 * Every decision of the audit goes through here: one request of a modelled
 * principal, decided by `authorize` (src/authz) with the context AWS derives
 * for the principal plus the time of the audit (aws:CurrentTime,
 * aws:EpochTime, and aws:TokenIssueTime: an attacker can always work with
 * fresh temporary credentials). Keys the request cannot know stay absent,
 * so a statement that needs them does not apply (fail closed). Results are
 * cached per request.
 */
import { resourcePolicyFor, type Universe } from '../account/query.js';
import { AssemblyCache } from '../authz/assembly-cache.js';
import { authorize } from '../authz/authorize.js';
import { cite, type CitedStatement } from '../authz/queries.js';
import { resourceTypesForAction } from '../catalog/actions.js';
import type { ContextValue } from '../eval/request.js';

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
  const required = types.filter((t) => t.required);
  const chosen = required.length > 0 ? required : [types.find((t) => t.key === 'instance') ?? types[0]];
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
  private readonly cache = new Map<string, Verdict>();
  private readonly assembled = new AssemblyCache(Number.POSITIVE_INFINITY);
  private readonly time: Map<string, ContextValue>;
  /** Number of requests decided by the evaluator (cache misses). */
  evaluations = 0;

  /**
   * `signature`: principals with equal signatures (nodes.ts policySignature) decide
   * alike on requests no resource or trust policy takes part in; those share results.
   */
  constructor(
    readonly universe: Universe,
    readonly at: Date,
    private readonly signature: (arn: string) => string | undefined = () => undefined,
  ) {
    this.time = timeContext(at);
  }

  private who(principal: string, action: string, resource: string): string {
    if (/^sts:/i.test(action) || resourcePolicyFor(this.universe, resource) !== undefined) return principal;
    const sig = this.signature(principal);
    return sig !== undefined ? `sig:${sig}` : principal;
  }

  /** Decides one request; `extra` adds request context (e.g. iam:PassedToService). */
  decide(principal: string, action: string, resource: string, extra?: ReadonlyMap<string, ContextValue>): Verdict {
    const extraKey = extra ? [...extra.values()].map((c) => `${c.key}=${c.values.join(',')}`).join('&') : '';
    const own = `${principal}\u0000${action}\u0000${resource}\u0000${extraKey}`;
    const hit = this.cache.get(own);
    if (hit !== undefined) return hit;
    const who = this.who(principal, action, resource);
    const key = who === principal ? own : `${who}\u0000${action}\u0000${resource}\u0000${extraKey}`;
    const shared = key === own ? undefined : this.cache.get(key);
    if (shared !== undefined) {
      this.cache.set(own, shared);
      return shared;
    }
    const context = new Map(this.time);
    for (const [k, c] of extra ?? []) context.set(k, c);
    this.evaluations++;
    const req = { principal, action, resource };
    const assembled = this.assembled.get(this.universe, req);
    const a = authorize(this.universe, { ...req, context, deriveContext: true }, { explain: false, assembled });
    const ref = a.decision.matchedStatements[0];
    const verdict: Verdict = { allowed: a.decision.decision === 'allowed', ...(ref ? { statement: cite(ref, a.sources) } : {}) };
    this.cache.set(key, verdict);
    this.cache.set(own, verdict);
    return verdict;
  }

  /**
   * Whether `principal` may call `action` on a resource of `account` it does
   * not name in advance (a new function, an existing instance): allowed on
   * the probe ARN of every resource type AWS checks.
   */
  decideAnywhere(principal: string, action: string, account: string, extra?: ReadonlyMap<string, ContextValue>): Verdict & { resource: string } {
    let last: Verdict & { resource: string } = { allowed: false, resource: '*' };
    for (const resource of probeResources(action, account)) {
      const v = this.decide(principal, action, resource, extra);
      if (!v.allowed) return { ...v, resource };
      last = { ...v, resource };
    }
    return last;
  }
}
