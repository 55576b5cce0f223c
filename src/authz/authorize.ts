/** Decides a request made by a principal of a modelled account (see assemble.ts). */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { evaluate } from '../eval/evaluate.js';
import type { EvalMemo } from '../eval/memo.js';
import type { ContextValue } from '../eval/request.js';
import type { Decision } from '../eval/types.js';
import type { Universe } from '../account/query.js';
import { assemble, type Assembled, type AuthzRequest, type PolicySourceInfo } from './assemble.js';
import { deriveContext, withGiven } from './context.js';
import { keyPolicyWarning } from './kms.js';
import { structured } from './request.js';

export interface AuthorizeRequest extends AuthzRequest {
  readonly context?: ReadonlyMap<string, ContextValue>;
  /** Add the principal and resource keys AWS puts in every request (default false: AWS simulator behaviour). */
  readonly deriveContext?: boolean;
}

export interface Authorization {
  readonly decision: Decision;
  readonly sources: ReadonlyMap<string, PolicySourceInfo>;
  /** Problems with stored documents; an error here means the decision failed closed. */
  readonly diagnostics: readonly Diagnostic[];
  readonly context: ReadonlyMap<string, ContextValue>;
  /** False when the principal is not in the model (its identity policies are then unknown). */
  readonly principalFound: boolean;
  /** What the model lacks to decide as AWS does (e.g. a KMS key without its key policy). */
  readonly warnings: readonly string[];
}

export interface AuthorizeOptions {
  readonly explain?: boolean;
  /** An earlier `assemble` result for a request with the same `assemblyKey`. */
  readonly assembled?: Assembled;
  /** With `deriveContext`: an earlier `derivedKeys` result for the same principal, resource and assembled input. */
  readonly derivedKeys?: ReadonlyMap<string, ContextValue>;
  /** The evaluator's memo (a long-lived caller's engine: `Iamsim.memo`). */
  readonly memo?: EvalMemo;
}

/**
 * `assembled`: an earlier `assemble` result for a request with the same
 * `assemblyKey` (callers deciding many requests of one principal reuse it).
 */
export function authorize(u: Universe, req: AuthorizeRequest, options: AuthorizeOptions = {}): Authorization {
  const a = options.assembled ?? assemble(u, structured(req));
  const given = req.context ?? new Map<string, ContextValue>();
  let context = given;
  if (req.deriveContext) {
    context = options.derivedKeys ? withGiven(options.derivedKeys, given) : deriveContext(u, structured(req), a.resolved, a.input.resourceOwnerAccount, given);
  }
  let decision = evaluate(
    a.input,
    { action: req.action, resource: req.resource, principal: req.principal, context },
    {
      explain: options.explain ?? true,
      ...(options.memo !== undefined ? { memo: options.memo } : {}),
    },
  );
  if (a.diagnostics.length > 0 && decision.decision === 'allowed') {
    decision = {
      ...decision,
      decision: 'implicitDeny',
      matchedStatements: [],
      reason: `Denied: a stored policy could not be parsed (${a.diagnostics[0]?.message ?? 'error'}); iamsim fails closed.`,
      errors: [...decision.errors, ...a.diagnostics.map((d) => d.message)],
    };
  }
  const kms = keyPolicyWarning(req.action, req.resource, a.input.resource !== undefined);
  return {
    decision,
    sources: a.sources,
    diagnostics: a.diagnostics,
    context,
    principalFound: a.resolved !== undefined,
    warnings: kms !== undefined ? [kms] : [],
  };
}
