/**
 * Runs a SimulateRequest through the evaluator and shapes AWS's response:
 * one EvaluationResult per action; with several resources the top-level
 * decision is the most restrictive and per-resource results are in
 * ResourceSpecificResults (IAM API reference, EvaluationResult).
 */
import type { PolicySourceType } from '../protocol/answer.js';
import { compilePolicy, type CompiledPolicy, type StatementRef } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import type { EvalMemo } from '../eval/memo.js';
import { accountOf } from '../eval/principal.js';
import type { Decision, EvalDecision, EvaluationInput, LayerResult } from '../eval/types.js';
import type { Policy } from '../policy/model.js';
import type { SimulateRequest } from './request.js';
import type { RequestContext } from '../eval/request.js';
import { page } from './options.js';
import { derived } from '../primitives/lazy.js';
import { listEntryName } from './list-names.js';

export interface AwsPosition {
  readonly Line: number;
  readonly Column: number;
}

export interface MatchedStatement {
  readonly SourcePolicyId: string;
  readonly SourcePolicyType: PolicySourceType;
  readonly StartPosition: AwsPosition;
  readonly EndPosition: AwsPosition;
  /** Extension: the statement's Sid and 0-based index, and the policy's name/file. */
  readonly Sid?: string;
  readonly StatementIndex: number;
  readonly PolicyName: string;
  readonly Effect: 'Allow' | 'Deny';
}

export interface ResourceSpecificResult {
  readonly EvalResourceName: string;
  readonly EvalResourceDecision: EvalDecision;
  readonly MatchedStatements: readonly MatchedStatement[];
  readonly MissingContextValues: readonly string[];
  readonly EvalDecisionDetails?: Readonly<Record<string, EvalDecision>>;
  readonly PermissionsBoundaryDecisionDetail?: { readonly AllowedByPermissionsBoundary: boolean };
}

export interface EvaluationResult {
  readonly EvalActionName: string;
  readonly EvalResourceName: string;
  readonly EvalDecision: EvalDecision;
  readonly MatchedStatements: readonly MatchedStatement[];
  readonly MissingContextValues: readonly string[];
  readonly OrganizationsDecisionDetail?: { readonly AllowedByOrganizations: boolean };
  readonly PermissionsBoundaryDecisionDetail?: { readonly AllowedByPermissionsBoundary: boolean };
  readonly EvalDecisionDetails?: Readonly<Record<string, EvalDecision>>;
  readonly ResourceSpecificResults?: readonly ResourceSpecificResult[];
  /** Extension: why, per resource and per layer. */
  readonly Explanation?: readonly Explanation[];
  /** Extension: what the model lacks to decide as AWS does (e.g. a KMS key without its key policy). */
  readonly Warnings?: readonly string[];
}

export interface Explanation {
  readonly Resource: string;
  readonly Summary: string;
  readonly Layers?: readonly LayerResult[];
  readonly Errors?: readonly string[];
  readonly ResourceControlPolicyDecisionDetail?: { readonly AllowedByResourceControlPolicies: boolean };
}

export interface SimulateResponse {
  readonly EvaluationResults: readonly EvaluationResult[];
  readonly IsTruncated: boolean;
  /** When IsTruncated: the Marker to send for the next page. */
  readonly Marker?: string;
}

export interface RunOptions {
  /** Include Explanation with per-layer traces (default true). */
  readonly explain?: boolean;
  /** The evaluator's memo (a long-lived caller's engine: `Iamsim.memo`; a batch thread's own). */
  readonly memo?: EvalMemo;
}

const SOURCE_TYPE: Record<string, PolicySourceType> = {
  identity: 'none',
  boundary: 'none',
  session: 'none',
  scp: 'none',
  rcp: 'none',
  resource: 'resource',
  trust: 'resource',
  'vpc-endpoint': 'resource',
};

/** AWS's MatchedStatements entry for a statement (derived once per statement, then shared). */
export const toMatchedStatement: (ref: StatementRef) => MatchedStatement = derived(buildMatched);

function buildMatched(ref: StatementRef): MatchedStatement {
  return {
    SourcePolicyId: ref.policyId,
    SourcePolicyType: SOURCE_TYPE[ref.policyType] ?? 'none',
    StartPosition: { Line: ref.span.start.line, Column: ref.span.start.column },
    EndPosition: { Line: ref.span.end.line, Column: ref.span.end.column },
    ...(ref.sid !== undefined ? { Sid: ref.sid } : {}),
    StatementIndex: ref.index,
    PolicyName: ref.policyName,
    Effect: ref.effect,
  };
}

const RANK: Record<EvalDecision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };

function compileList(policies: readonly Policy[], prefix: string): CompiledPolicy[] {
  const out: CompiledPolicy[] = [];
  for (let i = 0; i < policies.length; i++) out.push(compilePolicy(policies[i] as Policy, listEntryName(prefix, i)));
  return out;
}

/** Builds the evaluator input (compiled policies) from a request, once for all its actions and resources. */
export function evaluationInput(req: SimulateRequest): EvaluationInput {
  return {
    identity: compileList(req.policyInputList, 'PolicyInputList'),
    boundary: compileList(req.permissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList'),
    session: compileList(req.sessionPolicyInputList, 'SessionPolicyInputList'),
    ...(req.resourcePolicy ? { resource: compilePolicy(req.resourcePolicy, 'ResourcePolicy') } : {}),
    ...(req.vpcEndpointPolicy ? { endpoint: compilePolicy(req.vpcEndpointPolicy, 'VpcEndpointPolicy') } : {}),
    scp: req.serviceControlPolicyInputList.map((l, i) => compileList(l, `ServiceControlPolicyInputList.${i + 1}`)),
    rcp: req.resourceControlPolicyInputList.map((l, i) => compileList(l, `ResourceControlPolicyInputList.${i + 1}`)),
    callerIsManagementAccount: req.callerIsManagementAccount,
    resourceOwnerIsManagementAccount: req.resourceOwnerIsManagementAccount,
    callerIsServiceLinkedRole: req.callerIsServiceLinkedRole,
  };
}

/** The resource's owner: the account in its ARN, else AWS's ResourceOwner, else the caller's. */
export function resourceOwnerOf(req: SimulateRequest, resource: string): string | undefined {
  return (resource !== '*' ? accountOf(resource) : undefined) ?? accountOf(req.resourceOwner) ?? accountOf(req.callerArn);
}

/** One resource's decision and how to cite its statements. */
export interface PerResource {
  readonly resource: string;
  readonly d: Decision;
  readonly cite: (ref: StatementRef) => MatchedStatement;
  readonly warnings?: readonly string[];
}

/**
 * AWS's EvaluationResult for one action over its resources: the most
 * restrictive decision on top, per-resource results when ResourceArns were
 * given, and iamsim's Explanation when asked.
 */
export function shapeResult(action: string, resourceArns: readonly string[], per: readonly PerResource[], explain: boolean): EvaluationResult {
  let worst = per[0]!;
  for (const pr of per) if (RANK[pr.d.decision] > RANK[worst.d.decision]) worst = pr;
  let missing: readonly string[] = worst.d.missingContextValues;
  if (per.length > 1) {
    const seen = new Map<string, string>();
    for (const pr of per) for (const k of pr.d.missingContextValues) if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k);
    missing = [...seen.values()];
  }
  const d = worst.d;
  // Built by assignment, in a fixed order, so the objects stay on V8's fast JSON path.
  const out: Mutable<EvaluationResult> = {
    EvalActionName: action,
    EvalResourceName: per.length === 1 ? per[0]!.resource : '*',
    EvalDecision: d.decision,
    MatchedStatements: d.matchedStatements.map(worst.cite),
    MissingContextValues: missing,
  };
  if (d.allowedByOrganizations !== undefined) out.OrganizationsDecisionDetail = { AllowedByOrganizations: d.allowedByOrganizations };
  if (d.allowedByPermissionsBoundary !== undefined) out.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: d.allowedByPermissionsBoundary };
  if (d.details !== undefined) out.EvalDecisionDetails = d.details;
  else if (resourceArns.length > 0) out.EvalDecisionDetails = {};
  if (resourceArns.length > 0) {
    out.ResourceSpecificResults = per.map(({ resource, d: rd, cite }) => {
      const r: Mutable<ResourceSpecificResult> = {
        EvalResourceName: resource,
        EvalResourceDecision: rd.decision,
        MatchedStatements: rd.matchedStatements.map(cite),
        MissingContextValues: rd.missingContextValues,
      };
      if (rd.details !== undefined) r.EvalDecisionDetails = rd.details;
      if (rd.allowedByPermissionsBoundary !== undefined)
        r.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: rd.allowedByPermissionsBoundary };
      return r;
    });
  }
  const warnings = per.flatMap((pr) => pr.warnings ?? []);
  if (warnings.length > 0) out.Warnings = [...new Set(warnings)];
  if (explain) {
    out.Explanation = per.map(({ resource, d: rd }) => {
      const e: Mutable<Explanation> = { Resource: resource, Summary: rd.reason };
      if (rd.layers) e.Layers = rd.layers;
      if (rd.errors.length > 0) e.Errors = rd.errors;
      if (rd.allowedByResourceControlPolicies !== undefined)
        e.ResourceControlPolicyDecisionDetail = { AllowedByResourceControlPolicies: rd.allowedByResourceControlPolicies };
      return e;
    });
  }
  return out;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function runSimulation(req: SimulateRequest, options: RunOptions = {}): SimulateResponse {
  const explain = options.explain ?? true;
  const memo = options.memo;
  const evalOptions = memo !== undefined ? { explain, memo } : { explain };
  const resources = req.resourceArns.length > 0 ? req.resourceArns : ['*'];
  // Each resource's owner depends on the resource and the request only: found once, not once per action.
  const owners = resources.map((resource) => resourceOwnerOf(req, resource));
  const input = evaluationInput(req);
  const pg = page(req.actionNames, req.paging);
  const results: EvaluationResult[] = [];
  for (const action of pg.items) {
    const per: PerResource[] = [];
    for (let i = 0; i < resources.length; i++) {
      const resource = resources[i] as string;
      const owner = owners[i];
      const request: Mutable<RequestContext> = { action, resource, context: req.context };
      if (req.callerArn !== undefined) request.principal = req.callerArn;
      if (owner !== undefined) request.resourceOwner = owner;
      per.push({ resource, cite: toMatchedStatement, d: evaluate(input, request, evalOptions) });
    }
    results.push(shapeResult(action, req.resourceArns, per, explain));
  }
  return pagedResponse(results, pg);
}

/** AWS's response for one page: IsTruncated, and Marker when more results follow. */
export function pagedResponse(results: readonly EvaluationResult[], pg: { isTruncated: boolean; marker?: string }): SimulateResponse {
  return pg.marker !== undefined
    ? { EvaluationResults: results, IsTruncated: true, Marker: pg.marker }
    : { EvaluationResults: results, IsTruncated: pg.isTruncated };
}
