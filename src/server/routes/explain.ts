/**
 * `POST /v1/explain`: the decision API's counterpart of `iamsim explain-denied`
 * (explain/run.ts): AccessDenied reports in, for each the request decided
 * over the loaded model, the layers that deny it, whether iamsim agrees with
 * AWS's message, and the verified fix.
 *
 * Body: {"message": TEXT} (messages one per line) or {"cloudtrail": RECORDS}
 * (a record, an array, a log file, lookup-events output) or {"decoded": DOC}
 * (decode-authorization-message output), plus optional fill-ins principal,
 * action, resource, region, vpcEndpointId, context [{key,type,values}] and
 * patch (default true: the patch, its scope proof and the AWS CLI commands).
 */
import { exitCodeOf, explainedJson, explainReports, type RunOptions } from '../../explain/index.js';
import type { ContextEntry } from '../../explain/types.js';
import { ApiError } from '../errors.js';
import { json, parseJsonBody } from '../reply.js';
import type { Route } from '../types.js';
import { readContext } from './authorize.js';

/** Reports per request: each may run the semantic engine to prove its fix. */
export const MAX_EXPLAIN = 100;

const invalid = (message: string): ApiError => new ApiError(400, 'InvalidRequest', message);

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw invalid(`${field} must be a non-empty string`);
  return v;
}

function inputOf(body: Record<string, unknown>): { text: string; cloudtrail: boolean } {
  const given = ['message', 'cloudtrail', 'decoded'].filter((k) => body[k] !== undefined);
  if (given.length !== 1) throw invalid('give exactly one of message (text), cloudtrail (records) or decoded (decode-authorization-message output)');
  if (body['message'] !== undefined) {
    if (typeof body['message'] !== 'string' || body['message'].trim() === '') throw invalid('message must be the error message text');
    return { text: body['message'], cloudtrail: false };
  }
  const value = body['cloudtrail'] ?? body['decoded'];
  if (value === null || typeof value !== 'object') throw invalid(`${given[0]} must be a JSON object or array`);
  return { text: JSON.stringify(value), cloudtrail: body['cloudtrail'] !== undefined };
}

function contextOf(value: unknown): ContextEntry[] | undefined {
  if (value === undefined) return undefined;
  return [...readContext(value, '').values()].map((v) => ({ key: v.key, type: v.type, values: v.values }));
}

export const explainRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/explain',
    errors: 'json',
    readsModel: true,
    async handle(ctx) {
      const body = parseJsonBody(ctx.body, invalid);
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw invalid('the body must be a JSON object {"message": "User: … is not authorized …"}');
      const b = body as Record<string, unknown>;
      const input = inputOf(b);
      const context = contextOf(b['context']);
      const opts: RunOptions = {
        cloudtrail: input.cloudtrail,
        patch: b['patch'] !== false,
        ...Object.fromEntries(
          (['principal', 'action', 'resource', 'region', 'vpcEndpointId'] as const).flatMap((k) => {
            const v = optionalString(b, k);
            return v === undefined ? [] : [[k, v]];
          }),
        ),
        ...(context ? { context } : {}),
      };
      const lines = input.cloudtrail ? 0 : input.text.split('\n').filter((l) => l.trim() !== '').length;
      if (lines > MAX_EXPLAIN) throw invalid(`at most ${MAX_EXPLAIN} messages per request`);
      const run = await explainReports(ctx.engine.universe, input.text, opts);
      if (run.reports.length > MAX_EXPLAIN) throw invalid(`at most ${MAX_EXPLAIN} denied records per request`);
      for (const r of run.reports) ctx.metrics.decision('explain', r.explained.iamsim.decision);
      return json(
        200,
        {
          explanations: run.reports.map(explainedJson),
          problems: run.problems,
          skipped: run.skipped,
          exitCode: exitCodeOf(run),
        },
        ctx.requestId,
      );
    },
  },
];
