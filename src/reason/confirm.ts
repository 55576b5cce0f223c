/**
 * Witnesses become concrete requests that the evaluator (src/eval) decides.
 * Identity policy sets are evaluated as they are. A resource-based policy is
 * evaluated for a caller whose own identity-based policies allow everything
 * and who belongs to another account than the resource (ResourceOwner), so
 * that the resource-based policy alone decides
 * (reference_policies_evaluation-logic-cross-account.md).
 */
import { compilePolicy, type CompiledPolicy } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { EvalMemo } from '../eval/memo.js';
import type { RequestContext } from '../eval/request.js';
import type { EvalDecision } from '../eval/types.js';
import { parsePolicy } from '../policy/parse.js';
import type { Witness } from './engine.js';
import type { PolicySet } from './problem.js';
import { accountOfCaller } from './principals.js';

const ALLOW_ALL_TEXT = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

/** AWS's SimulateCustomPolicy request fields (iamsim simulate's input shape). */
export interface Counterexample {
  readonly CallerArn?: string;
  readonly ActionNames: readonly string[];
  readonly ResourceArns: readonly string[];
  readonly ResourceOwner?: string;
  readonly ContextEntries: readonly { ContextKeyName: string; ContextKeyValues: readonly string[]; ContextKeyType: string }[];
}

export class Confirmer {
  private allowAll: CompiledPolicy | undefined;

  /** `memo`: the evaluator's memo for the witnesses this confirmer decides (an engine's, through its `ReasonContext`). */
  constructor(readonly memo: EvalMemo = new EvalMemo()) {}

  private identityAllowAll(): CompiledPolicy {
    if (this.allowAll === undefined) {
      const { policy } = parsePolicy(ALLOW_ALL_TEXT, { type: 'identity', name: 'caller-allows-everything' });
      this.allowAll = compilePolicy(policy!, 'CallerIdentityPolicy');
    }
    return this.allowAll;
  }

  /** The evaluator's decision for the witness under the set. */
  decide(ps: PolicySet, w: Witness): EvalDecision {
    const req = requestOf(ps, w);
    if (ps.mode === 'identity') {
      return evaluate({ identity: ps.identity, boundary: ps.boundary, ...(ps.scp.length > 0 ? { scp: ps.scp } : {}) }, req, { memo: this.memo }).decision;
    }
    // Same account: the resource-based policy alone decides; across accounts the caller's own policies allow everything.
    const sameAccount = w.caller !== undefined && w.owner !== undefined && accountOfCaller(w.caller) === w.owner;
    const identity = sameAccount ? [] : [this.identityAllowAll()];
    return evaluate({ identity, ...(ps.resource ? { resource: ps.resource } : {}) }, req, { memo: this.memo }).decision;
  }

  allowed(ps: PolicySet, w: Witness): boolean {
    return this.decide(ps, w) === 'allowed';
  }
}

function requestOf(ps: PolicySet, w: Witness): RequestContext {
  const context = new Map(w.context.map((cv) => [cv.key.toLowerCase(), cv] as const));
  if (ps.mode === 'identity') return { action: w.action, resource: w.resource, context };
  const owner = w.owner;
  return {
    action: w.action,
    resource: w.resource,
    context,
    ...(w.caller !== undefined ? { principal: w.caller } : {}),
    ...(owner !== undefined ? { resourceOwner: owner } : {}),
  };
}

export function counterexampleOf(mode: PolicySet['mode'], w: Witness): Counterexample {
  const owner = mode === 'resource' ? w.owner : undefined;
  return {
    ...(mode === 'resource' && w.caller !== undefined ? { CallerArn: w.caller } : {}),
    ActionNames: [w.action],
    ResourceArns: [w.resource],
    ...(owner !== undefined ? { ResourceOwner: owner } : {}),
    ContextEntries: w.context.map((cv) => ({ ContextKeyName: cv.key, ContextKeyValues: cv.values, ContextKeyType: cv.type })),
  };
}
