/**
 * IAM Access Analyzer's policy APIs, REST-JSON (service `access-analyzer`):
 * `POST /policy/validation` (ValidatePolicy) answered by analyze/validatePolicy,
 * the same function behind `iamsim validate-policy`.
 */
import { AA_VALIDATE_RESOURCE_TYPES, isAaPolicyType, validatePolicy, AA_POLICY_TYPES } from '../../analyze/validate-policy.js';
import { ACCESSANALYZER_MODEL, type AccessAnalyzerOperationName, type AccessAnalyzerOperations } from '../../protocol/generated/accessanalyzer.js';
import { parseJsonInput } from '../../protocol/json.js';
import { ApiError } from '../errors.js';
import { json, parseJsonBody } from '../reply.js';
import type { RequestContext, Route } from '../types.js';

/** AWS's ValidationException with the offending field. */
export function validationError(field: string, message: string): ApiError {
  return new ApiError(400, 'ValidationException', message, { reason: 'fieldValidationFailed', fieldList: [{ name: field, message }] });
}

export function jsonBody(ctx: RequestContext): Record<string, unknown> {
  const v = parseJsonBody(ctx.body, (m) => new ApiError(400, 'ValidationException', m, { reason: 'cannotParse' }));
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new ApiError(400, 'ValidationException', 'the request body must be a JSON object', { reason: 'cannotParse' });
  return v as Record<string, unknown>;
}

/**
 * The operation's input read from the body (and query string) through AWS's model of Access Analyzer: member types,
 * required members, enums and lengths checked, AWS's ValidationException (`fieldList`) otherwise.
 */
export function modelInput<K extends AccessAnalyzerOperationName>(ctx: RequestContext, name: K): NonNullable<AccessAnalyzerOperations[K]['input']> {
  return parseJsonInput(ACCESSANALYZER_MODEL, ACCESSANALYZER_MODEL.operations[name]!, jsonBody(ctx), ctx.url.searchParams) as NonNullable<
    AccessAnalyzerOperations[K]['input']
  >;
}

function page<T>(items: readonly T[], ctx: RequestContext): { page: readonly T[]; nextToken?: string } {
  const maxText = ctx.url.searchParams.get('maxResults');
  const token = ctx.url.searchParams.get('nextToken');
  const max = maxText === null ? items.length || 1 : Number(maxText);
  if (!Number.isInteger(max) || max < 1) throw validationError('maxResults', 'maxResults must be a positive integer');
  const start = token === null ? 0 : /^\d+$/.test(token) ? Number(token) : -1;
  if (start < 0 || start > items.length) throw validationError('nextToken', 'Invalid nextToken');
  const slice = items.slice(start, start + max);
  return start + slice.length < items.length ? { page: slice, nextToken: String(start + slice.length) } : { page: slice };
}

/** Requests up to this size are validated on the event loop (a thread's round trip would cost more). */
const INLINE_BYTES = 32 * 1024;

export const accessAnalyzerRoutes: Route[] = [
  {
    method: 'POST',
    path: '/policy/validation',
    name: 'ValidatePolicy',
    errors: 'rest-json',
    services: ['access-analyzer'],
    async handle(ctx) {
      const body = modelInput(ctx, 'ValidatePolicy');
      const policyDocument = body.policyDocument;
      const policyType = body.policyType;
      // The model's enums are AWS's; iamsim's validator must know each value too (never a silent pass).
      if (!isAaPolicyType(policyType)) throw validationError('policyType', `policyType must be one of ${AA_POLICY_TYPES.join(', ')}`);
      const resourceType = body.validatePolicyResourceType;
      if (resourceType !== undefined && !(AA_VALIDATE_RESOURCE_TYPES as readonly unknown[]).includes(resourceType)) {
        throw validationError('validatePolicyResourceType', `validatePolicyResourceType must be one of ${AA_VALIDATE_RESOURCE_TYPES.join(', ')}`);
      }
      if (resourceType !== undefined && policyType !== 'RESOURCE_POLICY') {
        throw validationError('validatePolicyResourceType', 'validatePolicyResourceType applies only to RESOURCE_POLICY');
      }
      const input = { policyDocument, policyType, ...(typeof resourceType === 'string' ? { validatePolicyResourceType: resourceType } : {}) };
      // A large document is validated in a request thread (pool.ts), within the request's deadline.
      const res =
        ctx.body.length <= INLINE_BYTES ? validatePolicy(input) : await ctx.pool.run<ReturnType<typeof validatePolicy>>('validate-policy', input, ctx.deadline);
      const p = page(res.findings, ctx);
      return json(200, { findings: p.page, ...(p.nextToken !== undefined ? { nextToken: p.nextToken } : {}) }, ctx.requestId);
    },
  },
];
