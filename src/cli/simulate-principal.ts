/**
 * `iamsim simulate-principal-policy`: the AWS CLI's `aws iam
 * simulate-principal-policy`, decided offline against imported accounts.
 * The entity's policies (inline, managed, its groups', its boundary), the
 * SCPs on its account's path, the resource's policy (a role's trust policy
 * for sts:AssumeRole*) and the RCPs of the resource owner come from the model
 * (authz/assemble.ts); the request's own policies are added on top.
 */
import { findPrincipal, parseArn, principalPolicies, type Universe } from '../account/query.js';
import type { Group } from '../account/model.js';
import { assemble, type PolicySourceInfo } from '../authz/assemble.js';
import { deriveContext } from '../authz/context.js';
import { keyPolicyWarning } from '../authz/kms.js';
import { cite } from '../authz/queries.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compilePolicy, type CompiledPolicy, type StatementRef } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { accountOf } from '../eval/principal.js';
import type { Decision, EvaluationInput } from '../eval/types.js';
import type { Policy } from '../policy/model.js';
import { parsePolicyCached } from '../simulate/policy-cache.js';
import type { SimulateRequest } from '../simulate/request.js';
import { pagedResponse, shapeResult, toMatchedStatement, type MatchedStatement, type SimulateResponse } from '../simulate/run.js';
import { page } from '../simulate/options.js';
import { checkKnown, flag, has, parseArgs, UsageError } from './args.js';
import { loadModel, outputFormat } from './account.js';
import { formatResponseText } from './format-text.js';
import { EXIT, guarded, reportDiagnostics, type Io } from './io.js';
import { customPolicyRequest, readCommandLineRequest } from './simulate.js';

export const SIMULATE_PRINCIPAL_HELP = `Usage: iamsim simulate-principal-policy --policy-source-arn ARN --action-names NAME… (--account FILE… | --db PATH) [options]

The AWS CLI's 'aws iam simulate-principal-policy', decided against imported accounts.
The source is a user, group or role: its inline and managed policies (for a user, also its
groups'), its permissions boundary, the SCPs on its account's path in the organization, the
resource's policy and the RCPs of the resource owner all come from the model.

AWS options:
  --policy-source-arn ARN                     user, group or role in the model
  --action-names NAME…
  --resource-arns ARN…                        default *
  --policy-input-list DOC…                    extra identity-based policies (JSON or file://path)
  --permissions-boundary-policy-input-list DOC   replaces the entity's boundary
  --resource-policy DOC                       replaces the modelled resource policy
  --resource-owner ARN                        owner account for ARNs without one (S3)
  --caller-arn ARN                            default: the source ARN (none for a group)
  --context-entries ENTRY…                    shorthand or JSON, as for simulate-custom-policy
  --cli-input-json JSON|file://path           the request as JSON (PolicySourceArn, ActionNames, …)
  --resource-handling-option, --max-items, --starting-token, --page-size (accepted, no effect)
Model:
  --account FILE…        account files read into memory (anything 'iamsim account import' takes)
  --db PATH              an iamsim database (default: $IAMSIM_DB, else .iamsim/iamsim.db)
iamsim extensions:
  --derive-context       add the keys AWS derives from the caller and resource (aws:PrincipalArn,
                         aws:PrincipalTag/…, aws:PrincipalOrgID, aws:ResourceAccount, …)
  --session-policy-input-list DOC…   session policies (the source must be a role)
  --vpc-endpoint-id vpce-…           the request goes through this modelled VPC endpoint
  --explain, --lenient, --format json|text (also --output)
Exit codes: 0 simulated, 2 bad input (unknown principal, bad file, missing database), 3 internal error.
`;

const FLAGS = new Set([
  'policy-source-arn', 'policy-input-list', 'permissions-boundary-policy-input-list', 'action-names', 'resource-arns',
  'resource-policy', 'resource-owner', 'caller-arn', 'context-entries', 'cli-input-json', 'resource-handling-option',
  'max-items', 'starting-token', 'page-size', 'account', 'db', 'derive-context', 'session-policy-input-list',
  'vpc-endpoint-id', 'explain', 'lenient', 'format', 'output', 'help', 'no-cli-pager', 'no-paginate', 'region', 'profile',
]);
const BOOLEANS = new Set(['derive-context', 'explain', 'lenient', 'help', 'no-cli-pager', 'no-paginate']);

/** The entity whose policies are simulated. */
export type PolicySource =
  | { readonly kind: 'user' | 'role'; readonly arn: string }
  | { readonly kind: 'group'; readonly arn: string; readonly group: Group; readonly accountId: string };

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
export function simulateOne(u: Universe, source: PolicySource, req: SimulateRequest, action: string, resource: string,
  opts: { readonly deriveContext?: boolean; readonly vpcEndpointId?: string; readonly explain?: boolean } = {}): Simulated {
  const a = assemble(u, {
    principal: source.arn, action, resource, sessionPolicies: req.sessionPolicyInputList,
    ...(opts.vpcEndpointId !== undefined ? { vpcEndpointId: opts.vpcEndpointId } : {}),
  });
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
    const asUser = { arn: source.arn, name: source.group.name, path: source.group.path, groups: [source.group.name], inlinePolicies: [], managedPolicies: [], tags: [] };
    for (const p of account ? principalPolicies({ kind: 'user', account, user: asUser }).identity : []) {
      const res = parsePolicyCached(p.document, 'identity', p.name, true, p.origin?.file);
      diagnostics.push(...res.diagnostics.filter((d) => d.severity === 'error'));
      if (res.policy === undefined || res.diagnostics.some((d) => d.severity === 'error')) continue;
      const awsType = p.source === 'group-inline' ? 'group' : p.policyArn?.startsWith('arn:aws:iam::aws:policy/') ? 'aws-managed' : 'user-managed';
      identity.push(add(res.policy, p.name, {
        awsType, layer: 'identity', target: p.policyArn ?? p.ownerArn, name: p.name, document: p.document,
        ...(p.origin ? { file: p.origin.file, line: p.origin.line } : {}),
      }));
    }
  }
  const given = (p: Policy, id: string, layer: PolicySourceInfo['layer'], flagName: string, awsType = 'none'): CompiledPolicy =>
    add(p, id, { awsType, layer, target: flagName, name: id, document: '' });
  req.policyInputList.forEach((p, i) => {
    identity.push(given(p, `PolicyInputList.${i + 1}`, 'identity', '--policy-input-list'));
  });
  const boundary = req.permissionsBoundaryPolicyInputList.length > 0
    ? req.permissionsBoundaryPolicyInputList.map((p, i) => given(p, `PermissionsBoundaryPolicyInputList.${i + 1}`, 'boundary', '--permissions-boundary-policy-input-list'))
    : a.input.boundary;
  let resourcePolicy = a.input.resource;
  if (req.resourcePolicy !== undefined) {
    sources.delete('ResourcePolicy');
    resourcePolicy = given(req.resourcePolicy, 'ResourcePolicy', req.resourcePolicy.type, '--resource-policy', 'resource');
  }
  const owner = accountOf(resource) ?? accountOf(req.resourceOwner) ?? a.input.resourceOwnerAccount;
  const input: EvaluationInput = {
    ...a.input, identity,
    ...(boundary !== undefined ? { boundary } : {}),
    ...(resourcePolicy !== undefined ? { resource: resourcePolicy } : {}),
    ...(owner !== undefined ? { resourceOwnerAccount: owner } : {}),
  };
  // AWS: CallerArn defaults to the source when it is a user; iamsim also lets a role be its own caller.
  const caller = req.callerArn ?? (source.kind === 'group' ? undefined : source.arn);
  const context = opts.deriveContext && caller !== undefined
    ? deriveContext(u, caller, findPrincipal(u, caller), resource, input.resourceOwnerAccount, req.context)
    : req.context;
  let d = evaluate(input, { action, resource, context, ...(caller !== undefined ? { principal: caller } : {}) }, { explain: opts.explain ?? false });
  if (diagnostics.length > 0 && d.decision === 'allowed') {
    d = {
      ...d, decision: 'implicitDeny', matchedStatements: [],
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

export function simulatePrincipal(u: Universe, source: PolicySource, req: SimulateRequest,
  opts: { readonly deriveContext?: boolean; readonly vpcEndpointId?: string; readonly explain?: boolean } = {}): SimulateResponse {
  const resources = req.resourceArns.length > 0 ? req.resourceArns : ['*'];
  const pg = page(req.actionNames, req.paging);
  const results = pg.items.map((action) =>
    shapeResult(action, req.resourceArns, resources.map((resource) => {
      const s = simulateOne(u, source, req, action, resource, opts);
      const kms = keyPolicyWarning(action, resource, s.hasResourcePolicy);
      return { resource, d: s.d, cite: (ref: StatementRef) => matched([ref], s.sources)[0]!, ...(kms !== undefined ? { warnings: [kms] } : {}) };
    }), opts.explain ?? false));
  return pagedResponse(results, pg);
}

function inputError(file: string, code: string, message: string): Diagnostic {
  return { code, severity: 'error', message, file, line: 1, column: 1, path: [] };
}

export async function simulatePrincipalPolicyCommand(argv: readonly string[], io: Io): Promise<number> {
  return guarded('simulate-principal-policy', io, async () => {
    const args = parseArgs(argv, BOOLEANS);
    if (has(args, 'help')) {
      io.stdout.write(SIMULATE_PRINCIPAL_HELP);
      return EXIT.OK;
    }
    checkKnown(args, FLAGS, 'simulate-principal-policy');
    const format = outputFormat(args, 'json');
    const req = customPolicyRequest(args);
    const sourceArn = flag(args, 'policy-source-arn') ?? req['PolicySourceArn'];
    if (typeof sourceArn !== 'string' || sourceArn === '') throw new UsageError('--policy-source-arn is required: the ARN of a user, group or role');
    delete req['PolicySourceArn'];
    const res = readCommandLineRequest(args, req);
    if (reportDiagnostics(io, res.diagnostics) || res.request === undefined) return EXIT.BAD_INPUT;
    const u = await loadModel(args, io);
    if (u === undefined) return EXIT.BAD_INPUT;
    const source = findPolicySource(u, sourceArn);
    if (source === undefined) {
      const known = [...u.accounts.keys()].join(', ') || 'none';
      reportDiagnostics(io, [inputError('--policy-source-arn', 'UNKNOWN_PRINCIPAL',
        `${sourceArn} is not a user, group or role in the model (accounts loaded: ${known})`)]);
      return EXIT.BAD_INPUT;
    }
    if (res.request.sessionPolicyInputList.length > 0 && source.kind !== 'role') {
      throw new UsageError('--session-policy-input-list needs a role as --policy-source-arn');
    }
    const vpce = flag(args, 'vpc-endpoint-id');
    const explain = has(args, 'explain') || format === 'text';
    const resp = simulatePrincipal(u, source, res.request, { deriveContext: has(args, 'derive-context'), explain, ...(vpce !== undefined ? { vpcEndpointId: vpce } : {}) });
    io.stdout.write(format === 'text' ? formatResponseText(resp) : `${JSON.stringify(resp, null, 2)}\n`);
    return EXIT.OK;
  });
}
