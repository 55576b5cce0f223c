/**
 * Access Analyzer's custom policy checks, REST-JSON: CheckNoNewAccess,
 * CheckAccessNotGranted, CheckNoPublicAccess, answered by src/reason (the
 * functions behind `iamsim check-*`), with the engine's reasoner caches.
 * Requests are read through AWS's model of Access Analyzer (src/protocol).
 * Responses carry AWS's members (result, message, reasons) and iamsim's
 * `counterexample` for a FAIL; a result the engine cannot decide is UNKNOWN.
 * The checks run in a request thread (pool.ts, pool-worker.ts).
 */
import type { CheckResult } from '../../reason/index.js';
import { json } from '../reply.js';
import type { TaskKind } from '../pool-protocol.js';
import type { RequestContext, Route } from '../types.js';
import { modelInput, validationError } from './access-analyzer.js';

function shape(r: CheckResult): Record<string, unknown> {
  return {
    result: r.result,
    message: r.message,
    reasons: r.reasons,
    ...(r.counterexample !== undefined ? { counterexample: r.counterexample } : {}),
    ...(r.unknownReasons !== undefined ? { unknownReasons: r.unknownReasons } : {}),
  };
}

/** Runs the check in a request thread (pool.ts): it never holds the event loop and stops at the deadline. */
async function answer(ctx: RequestContext, api: string, kind: TaskKind, input: Record<string, unknown>): Promise<ReturnType<typeof json>> {
  const r = await ctx.pool.run<CheckResult>(kind, input, ctx.deadline);
  ctx.metrics.decision(api, r.result);
  return json(200, shape(r), ctx.requestId);
}

export const accessAnalyzerCheckRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/policy/check-no-new-access',
    name: 'CheckNoNewAccess',
    errors: 'rest-json',
    services: ['access-analyzer'],
    handle(ctx) {
      const b = modelInput(ctx, 'CheckNoNewAccess');
      return answer(ctx, 'CheckNoNewAccess', 'check-no-new-access', {
        existingPolicyDocument: b.existingPolicyDocument,
        newPolicyDocument: b.newPolicyDocument,
        policyType: b.policyType,
      });
    },
  },
  {
    method: 'POST',
    path: '/policy/check-access-not-granted',
    name: 'CheckAccessNotGranted',
    errors: 'rest-json',
    services: ['access-analyzer'],
    handle(ctx) {
      const b = modelInput(ctx, 'CheckAccessNotGranted');
      if (b.access.length === 0) throw validationError('access', 'access must be a non-empty list of {actions, resources}');
      return answer(ctx, 'CheckAccessNotGranted', 'check-access-not-granted', { policyDocument: b.policyDocument, access: b.access, policyType: b.policyType });
    },
  },
  {
    method: 'POST',
    path: '/policy/check-no-public-access',
    name: 'CheckNoPublicAccess',
    errors: 'rest-json',
    services: ['access-analyzer'],
    handle(ctx) {
      const b = modelInput(ctx, 'CheckNoPublicAccess');
      return answer(ctx, 'CheckNoPublicAccess', 'check-no-public-access', { policyDocument: b.policyDocument, resourceType: b.resourceType });
    },
  },
];
