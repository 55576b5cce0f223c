/**
 * Compare two policies for the console: Access Analyzer's CheckNoNewAccess
 * (src/reason) asked both ways. Neither grants more → same access; one way
 * fails → that policy grants more, with a request the evaluator confirms.
 */
import { checkNoNewAccess, ReasonInputError, type CheckResult, type ReasonContext } from '../../reason/index.js';
import { ApiError, objectBody, ok, requiredString, type ApiInput, type ApiReply } from './types.js';

export type Verdict = 'equivalent' | 'a-broader' | 'b-broader' | 'incomparable' | 'unknown';

function verdictOf(bOverA: CheckResult, aOverB: CheckResult): Verdict {
  if (bOverA.result === 'UNKNOWN' || aOverB.result === 'UNKNOWN') return 'unknown';
  if (bOverA.result === 'PASS' && aOverB.result === 'PASS') return 'equivalent';
  if (bOverA.result === 'PASS') return 'a-broader';
  if (aOverB.result === 'PASS') return 'b-broader';
  return 'incomparable';
}

/** `{"a","b","policyType":"IDENTITY_POLICY"|"RESOURCE_POLICY"}` → the verdict and each direction's result. */
export async function compare(ctx: ReasonContext, { body }: ApiInput): Promise<ApiReply> {
  const o = objectBody(body);
  const a = requiredString(o, 'a');
  const b = requiredString(o, 'b');
  const policyType = requiredString(o, 'policyType');
  try {
    // "new" grants nothing "existing" does not ⇔ new ⊆ existing.
    const bOverA = await checkNoNewAccess({ existingPolicyDocument: a, newPolicyDocument: b, policyType }, ctx);
    const aOverB = await checkNoNewAccess({ existingPolicyDocument: b, newPolicyDocument: a, policyType }, ctx);
    return ok({ verdict: verdictOf(bOverA, aOverB), bGrantsMore: bOverA, aGrantsMore: aOverB });
  } catch (e) {
    if (e instanceof ReasonInputError) throw new ApiError(400, 'InvalidInput', e.message, e.diagnostics);
    throw e;
  }
}
