/**
 * The simulation actions over the Query API, answered by the same readers and
 * evaluators as `iamsim simulate-custom-policy` / `simulate-principal-policy`:
 * SimulateCustomPolicy, SimulatePrincipalPolicy, GetContextKeysForCustomPolicy,
 * GetContextKeysForPrincipalPolicy. A `file://` policy is an input error here.
 * The simulations run in a request thread (pool.ts) within the request's deadline.
 */
import { principalPolicies, findPrincipal } from '../../account/query.js';
import { contextKeysOf } from '../../simulate/context-keys.js';
import { type findPolicySource, simulatePrincipal } from '../../simulate/principal.js';
import { runSimulation, type SimulateResponse } from '../../simulate/run.js';
import type { Policy } from '../../policy/model.js';
import { ApiError } from '../errors.js';
import type { RequestContext } from '../types.js';
import { type IamAction, type IamInput, iamAction } from './registry.js';
import { simulateResultXml } from './simulate-shape.js';
import { readSimulateRequest, sourceIn } from './simulate-request.js';
import { inCallerAccount } from './account.js';

/**
 * The request fields of both simulate actions, in the SimulateCustomPolicy JSON shape that src/simulate reads (the
 * model's input is that shape already; a context entry without values has an empty list).
 */
export function simulateFields(p: IamInput<'SimulateCustomPolicy'> | IamInput<'SimulatePrincipalPolicy'>): Record<string, unknown> {
  const { PolicySourceArn: _, ...fields } = p as IamInput<'SimulatePrincipalPolicy'>;
  const entries = fields.ContextEntries?.map((e) => ({ ...e, ContextKeyValues: e.ContextKeyValues ?? [] }));
  return { ...fields, ...(entries !== undefined ? { ContextEntries: entries } : {}) };
}

function count(ctx: RequestContext, api: string, resp: SimulateResponse): void {
  for (const r of resp.EvaluationResults) ctx.metrics.decision(api, r.EvalDecision);
}

/** The policy source, in the caller's account only (a key bound to an account sees no other). */
function sourceOf(ctx: RequestContext, arn: string): NonNullable<ReturnType<typeof findPolicySource>> {
  if (!inCallerAccount(ctx, arn)) throw new ApiError(404, 'NoSuchEntity', `The user, group or role ${arn} cannot be found.`);
  return sourceIn(ctx.engine.universe, arn);
}

/** Parses PolicyInputList for the context-key actions (MalformedPolicyDocument on a bad one). */
function policies(ctx: RequestContext, texts: readonly string[]): Policy[] {
  return texts.map((text, i) => {
    if (text.startsWith('file://'))
      throw new ApiError(400, 'InvalidInput', `PolicyInputList.${i + 1}: file:// references are not accepted here; send the policy document itself`);
    const res = ctx.engine.iamsim.parsePolicy(text, 'identity', `PolicyInputList.${i + 1}`, false);
    const err = res.diagnostics.find((d) => d.severity === 'error');
    if (err !== undefined || res.policy === undefined) throw new ApiError(400, 'MalformedPolicyDocument', err?.message ?? 'Syntax errors in policy.');
    return res.policy;
  });
}

/**
 * A simulation small enough to answer on the event loop (a thread's round
 * trip would cost more than it): at most 64 action × resource pairs in a
 * request of at most 32 KiB. Anything larger goes to the request threads.
 */
function small(fields: Record<string, unknown>, ctx: RequestContext): boolean {
  const count = (k: string): number => (Array.isArray(fields[k]) ? (fields[k] as unknown[]).length : 0);
  return ctx.body.length <= 32 * 1024 && count('ActionNames') * Math.max(1, count('ResourceArns')) <= 64;
}

export const SIMULATE_ACTIONS: readonly IamAction[] = [
  iamAction('SimulateCustomPolicy', false, async (p, ctx) => {
    const fields = simulateFields(p);
    // A large simulation runs in a request thread: it never holds the event loop, and stops at the deadline.
    const resp = small(fields, ctx)
      ? runSimulation(readSimulateRequest(fields), { explain: false, memo: ctx.engine.iamsim.memo })
      : await ctx.pool.run<SimulateResponse>('simulate-custom', fields, ctx.deadline);
    count(ctx, 'SimulateCustomPolicy', resp);
    return simulateResultXml(resp);
  }),
  iamAction('SimulatePrincipalPolicy', false, async (p, ctx) => {
    const arn = p.PolicySourceArn;
    sourceOf(ctx, arn);
    const fields = simulateFields(p);
    const resp = small(fields, ctx)
      ? simulatePrincipal(ctx.engine.universe, sourceIn(ctx.engine.universe, arn), readSimulateRequest(fields), {
          explain: false,
          policies: ctx.engine.iamsim.policies,
          memo: ctx.engine.iamsim.memo,
        })
      : await ctx.pool.run<SimulateResponse>('simulate-principal', { arn, fields }, ctx.deadline, ctx.engine.snapshot());
    count(ctx, 'SimulatePrincipalPolicy', resp);
    return simulateResultXml(resp);
  }),
  iamAction('GetContextKeysForCustomPolicy', false, (p, ctx) => ({ ContextKeyNames: contextKeysOf(policies(ctx, p.PolicyInputList)) })),
  iamAction('GetContextKeysForPrincipalPolicy', false, (p, ctx) => {
    const arn = p.PolicySourceArn;
    sourceOf(ctx, arn);
    const resolved = findPrincipal(ctx.engine.universe, arn);
    const own =
      resolved === undefined
        ? []
        : principalPolicies(resolved).identity.map((x, i) => ctx.engine.iamsim.parsePolicy(x.document, 'identity', x.name ?? `policy ${i + 1}`, true).policy);
    return { ContextKeyNames: contextKeysOf([...own.filter((x): x is Policy => x !== undefined), ...policies(ctx, p.PolicyInputList ?? [])]) };
  }),
];
