/**
 * iamsim's simulate responses in IAM's XML shape: AWS's members only (the
 * extensions — Sid, statement index, policy name, explanations — are JSON-only),
 * EvalDecisionDetails as a map, and MaxItems/Marker pagination over
 * EvaluationResults.
 */
import type { InputResult } from '../../simulate/input.js';
import type { EvaluationResult, SimulateResponse } from '../../simulate/run.js';
import { awsEvaluationResult } from '../../simulate/aws-shape.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { ApiError } from '../errors.js';
import { XmlMap } from '../xml.js';
import { DEFAULT_MAX_ITEMS, markerFor, offsetOf } from '../../simulate/options.js';
import type { QueryParams } from './params.js';

/** IAM's XML members: AWS's shape (simulate/aws-shape.ts) with EvalDecisionDetails as XML maps. */
export function evaluationResultXml(r: EvaluationResult): Record<string, unknown> {
  const aws = awsEvaluationResult(r);
  const details = (x: Record<string, unknown>): Record<string, unknown> =>
    x['EvalDecisionDetails'] ? { ...x, EvalDecisionDetails: new XmlMap(x['EvalDecisionDetails'] as Record<string, string>) } : x;
  const rs = aws['ResourceSpecificResults'] as Record<string, unknown>[] | undefined;
  return details(rs ? { ...aws, ResourceSpecificResults: rs.map(details) } : aws);
}

/** Marker/MaxItems over any list, with the simulator's marker encoding (simulate/options.ts). */
export function paginate<T>(items: readonly T[], params: QueryParams): { page: readonly T[]; IsTruncated: boolean; Marker?: string } {
  const max = params.int('MaxItems', 1, 1000) ?? DEFAULT_MAX_ITEMS;
  const marker = params.string('Marker');
  const start = marker === undefined ? 0 : offsetOf(marker);
  if (start === undefined || start > items.length) throw new ApiError(400, 'InvalidInput', 'Invalid Marker: use the Marker of a previous truncated response.');
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return next < items.length ? { page, IsTruncated: true, Marker: markerFor(next) } : { page, IsTruncated: false };
}

/** A simulate response (already paged by the simulator) in IAM's XML shape. */
export function simulateResultXml(resp: SimulateResponse): Record<string, unknown> {
  return {
    EvaluationResults: resp.EvaluationResults.map(evaluationResultXml),
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
