/**
 * The decision API: `POST /v1/authorize` {principal, action, resource, context}
 * and `POST /v1/authorize/batch` {requests:[…]}, decided over the loaded model
 * by authz/authorize (the function behind `iamsim simulate-principal-policy`'s
 * model assembly). Every decision is counted and, with --decision-log, logged.
 */
import { performance } from 'node:perf_hooks';
import { cite } from '../../authz/queries.js';
import { parseContextEntries } from '../../simulate/validate.js';
import { validateActionNames } from '../../simulate/validate.js';
import { ApiError } from '../errors.js';
import { inCallerAccount } from '../iam/account.js';
import { json, parseJsonBody } from '../reply.js';
import type { RequestContext, Route } from '../types.js';

export const MAX_BATCH = 1000;

export interface AuthorizeResult {
  readonly decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  readonly decidedBy: readonly Record<string, unknown>[];
  readonly missingContextValues: readonly string[];
  readonly reasons: readonly string[];
  readonly principalFound: boolean;
}

const invalid = (message: string): ApiError => new ApiError(400, 'InvalidRequest', message);

function str(obj: Record<string, unknown>, field: string, where: string): string {
  const v = obj[field];
  if (typeof v !== 'string' || v === '') throw invalid(`${where}${field} must be a non-empty string`);
  return v;
}

/** `context`: a list of {key, type, values} (or AWS's {ContextKeyName, ContextKeyType, ContextKeyValues}). */
export function readContext(value: unknown, where: string): ReturnType<typeof parseContextEntries> {
  if (value === undefined || value === null) return new Map();
  if (!Array.isArray(value)) throw invalid(`${where}context must be a list of {key, type, values}`);
  const entries = value.map((e: unknown) => {
    if (e === null || typeof e !== 'object') return e;
    const r = e as Record<string, unknown>;
    return 'key' in r ? { ContextKeyName: r['key'], ContextKeyType: r['type'], ContextKeyValues: r['values'] } : r;
  });
  const problems: string[] = [];
  const map = parseContextEntries(entries, (path, msg) => problems.push(`${where}context[${String(path[1] ?? '')}]: ${msg}`));
  if (problems.length > 0) throw invalid(problems[0]!);
  return map;
}

export function decideOne(ctx: RequestContext, value: unknown, where = ''): AuthorizeResult {
  const start = performance.now();
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalid(`${where || 'the body '}must be a JSON object {principal, action, resource, context}`);
  const obj = value as Record<string, unknown>;
  const principal = str(obj, 'principal', where);
  if (principal.startsWith('arn:') && !inCallerAccount(ctx, principal)) {
    throw new ApiError(403, 'AccessDenied', `${where}principal ${principal} is not in account ${ctx.caller.accountId}, the account of the signing key`);
  }
  const action = str(obj, 'action', where);
  validateActionNames(
    [action],
    (_i, msg) => {
      throw invalid(`${where}action: ${msg}`);
    },
    ctx.engine.iamsim.catalog,
  );
  const resource = obj['resource'] === undefined ? '*' : str(obj, 'resource', where);
  const context = readContext(obj['context'], where);
  const deriveContext = obj['deriveContext'] === undefined ? true : obj['deriveContext'] === true;
  const a = ctx.engine.authorize({ principal, action, resource, context, deriveContext }, { explain: false });
  const d = a.decision;
  const decidedBy = d.matchedStatements.map((ref) => ({ ...cite(ref, a.sources) }));
  const result: AuthorizeResult = {
    decision: d.decision,
    decidedBy,
    missingContextValues: d.missingContextValues,
    reasons: [d.reason, ...d.errors],
    principalFound: a.principalFound,
  };
  ctx.metrics.decision('authorize', d.decision);
  ctx.decisionLog?.write({
    requestId: ctx.requestId,
    time: new Date().toISOString(),
    api: 'authorize',
    principal,
    action,
    resource,
    decision: d.decision,
    decidedBy: decidedBy.map((c) => `${String(c['policyId'])}#${String(c['index'])}`),
    latencyMs: Math.round((performance.now() - start) * 1000) / 1000,
  });
  return result;
}

export const authorizeRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/authorize',
    errors: 'json',
    readsModel: true,
    handle(ctx) {
      return json(200, decideOne(ctx, parseJsonBody(ctx.body, invalid)), ctx.requestId);
    },
  },
  {
    method: 'POST',
    path: '/v1/authorize/batch',
    errors: 'json',
    readsModel: true,
    handle(ctx) {
      const body = parseJsonBody(ctx.body, invalid) as { requests?: unknown };
      if (body === null || typeof body !== 'object' || !Array.isArray(body.requests))
        throw invalid('the body must be {"requests": [ {principal, action, resource, context}, … ]}');
      if (body.requests.length > MAX_BATCH) throw invalid(`a batch takes at most ${MAX_BATCH} requests`);
      const results = body.requests.map((r, i) => {
        try {
          return decideOne(ctx, r, `requests[${i}].`);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          return { error: { code: e.code, message: e.message } };
        }
      });
      return json(200, { results }, ctx.requestId);
    },
  },
];
