/**
 * iamsim's simulate responses in IAM's XML shape: AWS's members only (the
 * extensions — Sid, statement index, policy name, explanations — are JSON-only),
 * EvalDecisionDetails as a map, and MaxItems/Marker pagination over
 * EvaluationResults.
 */
import type { InputResult } from '../../simulate/input.js';
import type { EvaluationResult, MatchedStatement, ResourceSpecificResult, SimulateResponse } from '../../simulate/run.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { ApiError } from '../errors.js';
import { XmlMap } from '../xml.js';
import type { QueryParams } from './params.js';

function statement(m: MatchedStatement): Record<string, unknown> {
  return { SourcePolicyId: m.SourcePolicyId, SourcePolicyType: m.SourcePolicyType, StartPosition: m.StartPosition, EndPosition: m.EndPosition };
}

function common(r: EvaluationResult | ResourceSpecificResult): Record<string, unknown> {
  return {
    MatchedStatements: r.MatchedStatements.map(statement),
    MissingContextValues: r.MissingContextValues,
  };
}

function resourceResult(r: ResourceSpecificResult): Record<string, unknown> {
  return {
    EvalResourceName: r.EvalResourceName,
    EvalResourceDecision: r.EvalResourceDecision,
    ...common(r),
    ...(r.EvalDecisionDetails ? { EvalDecisionDetails: new XmlMap(r.EvalDecisionDetails) } : {}),
    ...(r.PermissionsBoundaryDecisionDetail ? { PermissionsBoundaryDecisionDetail: r.PermissionsBoundaryDecisionDetail } : {}),
  };
}

export function evaluationResultXml(r: EvaluationResult): Record<string, unknown> {
  return {
    EvalActionName: r.EvalActionName,
    EvalResourceName: r.EvalResourceName,
    EvalDecision: r.EvalDecision,
    ...common(r),
    ...(r.OrganizationsDecisionDetail ? { OrganizationsDecisionDetail: r.OrganizationsDecisionDetail } : {}),
    ...(r.PermissionsBoundaryDecisionDetail ? { PermissionsBoundaryDecisionDetail: r.PermissionsBoundaryDecisionDetail } : {}),
    ...(r.EvalDecisionDetails ? { EvalDecisionDetails: new XmlMap(r.EvalDecisionDetails) } : {}),
    ...(r.ResourceSpecificResults ? { ResourceSpecificResults: r.ResourceSpecificResults.map(resourceResult) } : {}),
  };
}

/** Marker/MaxItems over any list: the marker is the index of the next item. */
export function paginate<T>(items: readonly T[], params: QueryParams): { page: readonly T[]; IsTruncated: boolean; Marker?: string } {
  const max = params.int('MaxItems', 1, 1000) ?? 100;
  const marker = params.string('Marker');
  let start = 0;
  if (marker !== undefined) {
    start = /^\d+$/.test(marker) ? Number(marker) : -1;
    if (start < 0 || start > items.length) throw new ApiError(400, 'InvalidInput', 'Invalid Marker.');
  }
  const page = items.slice(start, start + max);
  const next = start + page.length;
  return next < items.length ? { page, IsTruncated: true, Marker: String(next) } : { page, IsTruncated: false };
}

export function simulateResultXml(resp: SimulateResponse, params: QueryParams): Record<string, unknown> {
  const { page, IsTruncated, Marker } = paginate(resp.EvaluationResults, params);
  return { EvaluationResults: page.map(evaluationResultXml), IsTruncated, ...(Marker !== undefined ? { Marker } : {}) };
}

/** An input that did not read: MalformedPolicyDocument or InvalidInput with the first error. */
export function inputError(res: InputResult): ApiError {
  const first = res.diagnostics.find((d) => d.severity === 'error');
  const message = first === undefined ? 'invalid request' : first.file === undefined ? first.message : formatDiagnostic(first);
  return new ApiError(400, res.errorCode ?? 'InvalidInput', message);
}
