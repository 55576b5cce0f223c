/**
 * SimulatePrincipalPolicy over the account model: the entity's policies
 * (inline, managed, its groups', its boundary), the SCPs on its account's
 * path, the resource's policy and the RCPs of the resource owner come from
 * the model (authz/assemble.ts); the request's own policies are added on top.
 * Used by `iamsim simulate-principal-policy` and by `iamsim serve`.
 */
import type { PolicySourceType } from '../protocol/answer.js';
import { findPrincipal, parseArn, principalPolicies, type Universe } from '../account/query.js';
import type { Group } from '../account/model.js';
import { assemble, type PolicySourceInfo } from '../authz/assemble.js';
import { deriveContext } from '../authz/context.js';
import { keyPolicyWarning } from '../authz/kms.js';
import { structured } from '../authz/request.js';
import { cite } from '../authz/queries.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compilePolicy, type CompiledPolicy, type StatementRef } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { accountOf } from '../eval/principal.js';
import type { Decision, EvaluationInput } from '../eval/types.js';
import type { Policy } from '../policy/model.js';
import { modelPolicies } from '../account/parsed-policies.js';
import type { PolicyTextCache } from '../policy/policy-cache.js';
import type { EvalMemo } from '../eval/memo.js';
import type { SimulateRequest } from './request.js';
import { pagedResponse, shapeResult, toMatchedStatement, type MatchedStatement, type SimulateResponse } from './run.js';
import { page } from './options.js';

/** The entity whose policies are simulated. */
export type PolicySource =
  | { readonly kind: 'user' | 'role'; readonly arn: string }
  | { readonly kind: 'group'; readonly arn: string; readonly group: Group; readonly accountId: string };

export interface SimulatePrincipalOptions {
  readonly deriveContext?: boolean;
  readonly vpcEndpointId?: string;
  readonly explain?: boolean;
  /** The cache to parse through (an engine's); by default the model's own (account/parsed-policies.ts). */
  readonly policies?: PolicyTextCache;
  /** The evaluator's memo (an engine's). */
  readonly memo?: EvalMemo;
}

/** Finds a user, group or role; undefined for anything else or an ARN not in the model. */
export function findPolicySource(u: Universe, arn: string): PolicySource | undefined {
  const p = findPrincipal(u, arn);
  if (p?.kind === 'user') return { kind: 'user', arn: p.user.arn };
  if (p?.kind === 'role') return { kind: 'role', arn: p.role.arn };
  const parsed = parseArn(arn);
  if (parsed?.service !== 'iam' || !parsed.resource.startsWith('group/')) return undefined;
  const account = u.accounts.get(parsed.account);
  const name = parsed.resource.slice(parsed.resource.lastIndexOf('/') + 1);
  const group = account?.groups.find((g) => g.arn === arn) ?? account?.groups.find((g) => g.name === name && parsed.resource === `group/${name}`);
  return group && account ? { kind: 'group', arn: group.arn, group, accountId: account.id } : undefined;
}

interface Simulated {
  readonly d: Decision;
  readonly sources: ReadonlyMap<string, PolicySourceInfo>;
  readonly hasResourcePolicy: boolean;
}

function uniqueId(sources: Map<string, PolicySourceInfo>, id: string): string {
  let unique = id;
  for (let i = 2; sources.has(unique); i++) unique = `${id}#${i}`;
  return unique;
}

/** Decides one action on one resource for the source entity, with the request's extra policies. */
export function simulateOne(
  u: Universe,
  source: PolicySource,
  req: SimulateRequest,
  action: string,
  resource: string,
  opts: SimulatePrincipalOptions = {},
): Simulated {
  const a = assemble(
    u,
    {
      principal: source.arn,
      action,
      resource,
      sessionPolicies: req.sessionPolicyInputList,
      ...(opts.vpcEndpointId !== undefined ? { vpcEndpointId: opts.vpcEndpointId } : {}),
    },
    opts.policies,
  );
  const sources = new Map(a.sources);
  const diagnostics: Diagnostic[] = [...a.diagnostics];
  const identity: CompiledPolicy[] = [...a.input.identity];
  const add = (policy: Policy, id: string, info: Omit<PolicySourceInfo, 'id'>): CompiledPolicy => {
    const unique = uniqueId(sources, id);
    sources.set(unique, { id: unique, ...info });
    return compilePolicy(policy, unique);
  };
  if (source.kind === 'group') {
    // A group's policies, cited with AWS's group / aws-managed / user-managed types.
    const account = u.accounts.get(source.accountId);
    const asUser = {
      arn: source.arn,
      name: source.group.name,
      path: source.group.path,
      groups: [source.group.name],
      inlinePolicies: [],
      managedPolicies: [],
      tags: [],
    };
    for (const p of account ? principalPolicies({ kind: 'user', account, user: asUser }).identity : []) {
      const res = (opts.policies ?? modelPolicies(u)).parse(p.document, 'identity', p.name, true, p.origin?.file);
      diagnostics.push(...res.diagnostics.filter((d) => d.severity === 'error'));
      if (res.policy === undefined || res.diagnostics.some((d) => d.severity === 'error')) continue;
      const awsType = p.source === 'group-inline' ? 'group' : p.policyArn?.startsWith('arn:aws:iam::aws:policy/') ? 'aws-managed' : 'user-managed';
      identity.push(
        add(res.policy, p.name, {
          awsType,
          layer: 'identity',
          target: p.policyArn ?? p.ownerArn,
          name: p.name,
          document: p.document,
          ...(p.origin ? { file: p.origin.file, line: p.origin.line } : {}),
        }),
      );
    }
  }
  const given = (p: Policy, id: string, layer: PolicySourceInfo['layer'], flagName: string, awsType: PolicySourceType = 'none'): CompiledPolicy =>
    add(p, id, { awsType, layer, target: flagName, name: id, document: '' });
  req.policyInputList.forEach((p, i) => {
    identity.push(given(p, `PolicyInputList.${i + 1}`, 'identity', '--policy-input-list'));
  });
  const boundary =
    req.permissionsBoundaryPolicyInputList.length > 0
      ? req.permissionsBoundaryPolicyInputList.map((p, i) =>
          given(p, `PermissionsBoundaryPolicyInputList.${i + 1}`, 'boundary', '--permissions-boundary-policy-input-list'),
        )
      : a.input.boundary;
  let resourcePolicy = a.input.resource;
  if (req.resourcePolicy !== undefined) {
    sources.delete('ResourcePolicy');
    resourcePolicy = given(req.resourcePolicy, 'ResourcePolicy', req.resourcePolicy.type, '--resource-policy', 'resource');
  }
  const owner = accountOf(resource) ?? accountOf(req.resourceOwner) ?? a.input.resourceOwnerAccount;
  const input: EvaluationInput = {
    ...a.input,
    identity,
    ...(boundary !== undefined ? { boundary } : {}),
    ...(resourcePolicy !== undefined ? { resource: resourcePolicy } : {}),
    ...(owner !== undefined ? { resourceOwnerAccount: owner } : {}),
  };
  // AWS: CallerArn defaults to the source when it is a user; iamsim also lets a role be its own caller.
  const caller = req.callerArn ?? (source.kind === 'group' ? undefined : source.arn);
  const context =
    opts.deriveContext && caller !== undefined
      ? deriveContext(u, structured({ principal: caller, action, resource }), findPrincipal(u, caller), input.resourceOwnerAccount, req.context)
      : req.context;
  let d = evaluate(
    input,
    { action, resource, context, ...(caller !== undefined ? { principal: caller } : {}) },
    {
      explain: opts.explain ?? false,
      ...(opts.memo !== undefined ? { memo: opts.memo } : {}),
    },
  );
  if (diagnostics.length > 0 && d.decision === 'allowed') {
    d = {
      ...d,
      decision: 'implicitDeny',
      matchedStatements: [],
      reason: `Denied: a stored policy could not be parsed (${diagnostics[0]?.message ?? 'error'}); iamsim fails closed.`,
      errors: [...d.errors, ...diagnostics.map((x) => x.message)],
    };
  }
  return { d, sources, hasResourcePolicy: resourcePolicy !== undefined };
}

function matched(refs: readonly StatementRef[], sources: ReadonlyMap<string, PolicySourceInfo>): MatchedStatement[] {
  return refs.map((ref) => {
    const c = cite(ref, sources);
    return { ...toMatchedStatement(ref), SourcePolicyId: c.policyId, SourcePolicyType: c.policyType, PolicyName: c.policyName };
  });
}

export function simulatePrincipal(u: Universe, source: PolicySource, req: SimulateRequest, opts: SimulatePrincipalOptions = {}): SimulateResponse {
  const resources = req.resourceArns.length > 0 ? req.resourceArns : ['*'];
  const pg = page(req.actionNames, req.paging);
  const results = pg.items.map((action) =>
    shapeResult(
      action,
      req.resourceArns,
      resources.map((resource) => {
        const s = simulateOne(u, source, req, action, resource, opts);
        const kms = keyPolicyWarning(action, resource, s.hasResourcePolicy);
        return { resource, d: s.d, cite: (ref: StatementRef) => matched([ref], s.sources)[0]!, ...(kms !== undefined ? { warnings: [kms] } : {}) };
      }),
      opts.explain ?? false,
    ),
  );
  return pagedResponse(results, pg);
}
