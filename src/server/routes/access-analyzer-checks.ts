/**
 * Access Analyzer's custom policy checks, REST-JSON: CheckNoNewAccess,
 * CheckAccessNotGranted, CheckNoPublicAccess, answered by src/reason (the
 * functions behind `iamsim check-*`), with the engine's reasoner caches.
 * Responses carry AWS's members (result, message, reasons) and iamsim's
 * `counterexample` for a FAIL; a result the engine cannot decide is UNKNOWN.
 */
import {
  checkAccessNotGranted,
  checkNoNewAccess,
  checkNoPublicAccess,
  NamedDocument,
  ReasonInputError,
  type AccessItem,
  type CheckResult,
} from '../../reason/index.js';
import { ApiError } from '../errors.js';
import { json } from '../reply.js';
import type { RequestContext, Route } from '../types.js';
import { jsonBody, requiredString, validationError } from './access-analyzer.js';

function shape(r: CheckResult): Record<string, unknown> {
  return {
    result: r.result,
    message: r.message,
    reasons: r.reasons,
    ...(r.counterexample !== undefined ? { counterexample: r.counterexample } : {}),
    ...(r.unknownReasons !== undefined ? { unknownReasons: r.unknownReasons } : {}),
  };
}

async function answer(ctx: RequestContext, api: string, run: () => Promise<CheckResult>): Promise<ReturnType<typeof json>> {
  try {
    const r = await run();
    ctx.metrics.decision(api, r.result);
    return json(200, shape(r), ctx.requestId);
  } catch (e) {
    if (e instanceof ReasonInputError) throw new ApiError(400, 'ValidationException', e.message, { reason: 'fieldValidationFailed' });
    throw e;
  }
}

const doc = (body: Record<string, unknown>, field: string): NamedDocument => new NamedDocument(requiredString(body, field), field);

function accessList(body: Record<string, unknown>): AccessItem[] {
  const v = body['access'];
  if (!Array.isArray(v) || v.length === 0) throw validationError('access', 'access must be a non-empty list of {actions, resources}');
  return v.map((item: unknown, i) => {
    const o = item as Record<string, unknown> | null;
    const list = (k: string): string[] | undefined => {
      const x = o?.[k];
      if (x === undefined) return undefined;
      if (!Array.isArray(x) || !x.every((s) => typeof s === 'string'))
        throw validationError(`access[${i}].${k}`, `access[${i}].${k} must be a list of strings`);
      return x as string[];
    };
    const actions = list('actions');
    const resources = list('resources');
    return { ...(actions !== undefined ? { actions } : {}), ...(resources !== undefined ? { resources } : {}) };
  });
}

export const accessAnalyzerCheckRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/policy/check-no-new-access',
    name: 'CheckNoNewAccess',
    errors: 'rest-json',
    services: ['access-analyzer'],
    handle(ctx) {
      const b = jsonBody(ctx);
      return answer(ctx, 'CheckNoNewAccess', () =>
        checkNoNewAccess(
          {
            existingPolicyDocument: doc(b, 'existingPolicyDocument'),
            newPolicyDocument: doc(b, 'newPolicyDocument'),
            policyType: requiredString(b, 'policyType'),
          },
          ctx.engine.reasonContext,
        ),
      );
    },
  },
  {
    method: 'POST',
    path: '/policy/check-access-not-granted',
    name: 'CheckAccessNotGranted',
    errors: 'rest-json',
    services: ['access-analyzer'],
    handle(ctx) {
      const b = jsonBody(ctx);
      return answer(ctx, 'CheckAccessNotGranted', () =>
        checkAccessNotGranted(
          {
            policyDocument: doc(b, 'policyDocument'),
            access: accessList(b),
            policyType: requiredString(b, 'policyType'),
          },
          ctx.engine.reasonContext,
        ),
      );
    },
  },
  {
    method: 'POST',
    path: '/policy/check-no-public-access',
    name: 'CheckNoPublicAccess',
    errors: 'rest-json',
    services: ['access-analyzer'],
    handle(ctx) {
      const b = jsonBody(ctx);
      return answer(ctx, 'CheckNoPublicAccess', () =>
        checkNoPublicAccess({ policyDocument: doc(b, 'policyDocument'), resourceType: requiredString(b, 'resourceType') }, ctx.engine.reasonContext),
      );
    },
  },
];
