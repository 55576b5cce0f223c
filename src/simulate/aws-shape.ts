/**
 * A simulate response with AWS's members only, in the IAM API's member order:
 * what IAM itself returns (the server's XML) and what the AWS CLI prints. The
 * extensions (Sid, StatementIndex, PolicyName, Effect, Explanation) are dropped.
 */
import type { Answer } from '../protocol/answer.js';
import type * as Iam from '../protocol/generated/iam.js';
import type { EvaluationResult, MatchedStatement, ResourceSpecificResult, SimulateResponse } from './run.js';

export type AwsStatement = Pick<MatchedStatement, 'SourcePolicyId' | 'SourcePolicyType' | 'StartPosition' | 'EndPosition'>;

function statement(m: MatchedStatement): AwsStatement {
  return { SourcePolicyId: m.SourcePolicyId, SourcePolicyType: m.SourcePolicyType, StartPosition: m.StartPosition, EndPosition: m.EndPosition };
}

function resourceResult(r: ResourceSpecificResult): Answer<Iam.ResourceSpecificResult> {
  return {
    EvalResourceName: r.EvalResourceName,
    EvalResourceDecision: r.EvalResourceDecision,
    MatchedStatements: r.MatchedStatements.map(statement),
    MissingContextValues: r.MissingContextValues,
    ...(r.EvalDecisionDetails ? { EvalDecisionDetails: r.EvalDecisionDetails } : {}),
    ...(r.PermissionsBoundaryDecisionDetail ? { PermissionsBoundaryDecisionDetail: r.PermissionsBoundaryDecisionDetail } : {}),
  };
}

/** One result in the IAM model's EvaluationResult shape (checked against it by the compiler). */
export function awsEvaluationResult(r: EvaluationResult): Answer<Iam.EvaluationResult> {
  return {
    EvalActionName: r.EvalActionName,
    EvalResourceName: r.EvalResourceName,
    EvalDecision: r.EvalDecision,
    MatchedStatements: r.MatchedStatements.map(statement),
    MissingContextValues: r.MissingContextValues,
    ...(r.OrganizationsDecisionDetail ? { OrganizationsDecisionDetail: r.OrganizationsDecisionDetail } : {}),
    ...(r.PermissionsBoundaryDecisionDetail ? { PermissionsBoundaryDecisionDetail: r.PermissionsBoundaryDecisionDetail } : {}),
    ...(r.EvalDecisionDetails ? { EvalDecisionDetails: r.EvalDecisionDetails } : {}),
    ...(r.ResourceSpecificResults ? { ResourceSpecificResults: r.ResourceSpecificResults.map(resourceResult) } : {}),
  };
}

/**
 * The JSON the AWS CLI prints for `aws iam simulate-*-policy`: it follows
 * every page itself and drops IsTruncated/Marker; with --max-items it prints
 * the next page's token as NextToken. Four-space indent, as the CLI's.
 */
export function awsCliJson(resp: SimulateResponse): string {
  const out = {
    EvaluationResults: resp.EvaluationResults.map(awsEvaluationResult),
    ...(resp.Marker !== undefined ? { NextToken: resp.Marker } : {}),
  };
  return `${JSON.stringify(out, null, 4)}\n`;
}

/** iamsim's warnings of a response (not part of AWS's output), one line each, for stderr. */
export function warningLines(resp: SimulateResponse): string {
  const all = new Set(resp.EvaluationResults.flatMap((r) => r.Warnings ?? []));
  return [...all].map((w) => `iamsim: warning: ${w}\n`).join('');
}
