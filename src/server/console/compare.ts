/**
 * Compare two policies for the console: Access Analyzer's CheckNoNewAccess
 * (src/reason) asked both ways. Neither grants more → same access; one way
 * fails → that policy grants more, with a request the evaluator confirms.
 */
import { checkNoNewAccess, NamedDocument, ReasonInputError, type CheckResult, type ReasonContext } from '../../reason/index.js';
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
    // Named as the page names them, so a problem points at "Policy A" or "Policy B", never at a command-line flag.
    const docA = new NamedDocument(a, 'Policy A');
    const docB = new NamedDocument(b, 'Policy B');
    const bOverA = await checkNoNewAccess({ existingPolicyDocument: docA, newPolicyDocument: docB, policyType }, ctx);
    const aOverB = await checkNoNewAccess({ existingPolicyDocument: docB, newPolicyDocument: docA, policyType }, ctx);
    return ok({ verdict: verdictOf(bOverA, aOverB), bGrantsMore: bOverA, aGrantsMore: aOverB });
  } catch (e) {
    if (e instanceof ReasonInputError) {
      const which = [...new Set(e.diagnostics.map((d) => d.file).filter((f) => f !== undefined))].join(' and ') || 'A policy';
      throw new ApiError(400, 'InvalidInput', `${which} cannot be read as a policy document`, e.diagnostics);
    }
    throw e;
  }
}
