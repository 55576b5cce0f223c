/**
 * iamsim's simulate responses in IAM's shape: AWS's members only (the
 * extensions — Sid, statement index, policy name, explanations — are JSON-only;
 * the model's serializer writes EvalDecisionDetails as the map it is), and
 * MaxItems/Marker pagination over any list.
 */
import type { InputResult } from '../../simulate/input.js';
import type { EvaluationResult, SimulateResponse } from '../../simulate/run.js';
import { awsEvaluationResult } from '../../simulate/aws-shape.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { ApiError } from '../errors.js';
import { DEFAULT_MAX_ITEMS, markerFor, offsetOf } from '../../simulate/options.js';
import type { SimulatePolicyResponse } from '../../protocol/generated/iam.js';
import type { Answer } from './registry.js';

/** A List operation's paging members (validated by the model: MaxItems 1–1000). */
export interface PageInput {
  readonly MaxItems?: number;
  readonly Marker?: string;
}

/** Marker/MaxItems over any list, with the simulator's marker encoding (simulate/options.ts). */
export function paginate<T>(items: readonly T[], params: PageInput): { page: readonly T[]; IsTruncated: boolean; Marker?: string } {
  const max = params.MaxItems ?? DEFAULT_MAX_ITEMS;
  const marker = params.Marker;
  const start = marker === undefined ? 0 : offsetOf(marker);
  if (start === undefined || start > items.length) throw new ApiError(400, 'InvalidInput', 'Invalid Marker: use the Marker of a previous truncated response.');
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return next < items.length ? { page, IsTruncated: true, Marker: markerFor(next) } : { page, IsTruncated: false };
}

/** One page of a List operation's list: the list as `field`, with IsTruncated and Marker (the members every IAM List output has). */
export type Page<F extends string, T> = { readonly [K in F]: readonly T[] } & { readonly IsTruncated: boolean; readonly Marker?: string };

export function page<F extends string, T>(list: readonly T[], p: PageInput, field: F): Page<F, T> {
  const r = paginate(list, p);
  return { [field]: r.page, IsTruncated: r.IsTruncated, ...(r.Marker !== undefined ? { Marker: r.Marker } : {}) } as Page<F, T>;
}

/** A simulate response (already paged by the simulator) in IAM's XML shape. */
export function simulateResultXml(resp: SimulateResponse): Answer<SimulatePolicyResponse> {
  return {
    EvaluationResults: resp.EvaluationResults.map((r: EvaluationResult) => awsEvaluationResult(r)),
    IsTruncated: resp.IsTruncated,
    ...(resp.Marker !== undefined ? { Marker: resp.Marker } : {}),
  };
}

/** An input that did not read: MalformedPolicyDocument or InvalidInput with the first error. */
export function inputError(res: InputResult): ApiError {
  const first = res.diagnostics.find((d) => d.severity === 'error');
  const message = first === undefined ? 'invalid request' : first.file === undefined ? first.message : formatDiagnostic(first);
  return new ApiError(400, res.errorCode ?? 'InvalidInput', message);
}
