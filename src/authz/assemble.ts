/**
 * Assembles the evaluator's input for a request made by a principal of a
 * modelled account: its identity-based policies (inline, attached managed,
 * its groups'), its permissions boundary, the resource's policy (a role's
 * trust policy for sts:AssumeRole*), the VPC endpoint's policy, and the SCPs
 * and RCPs on the organization paths of the caller's and the resource owner's
 * accounts.
 */
import type { PolicySourceType } from '../protocol/answer.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compilePolicy, type CompiledPolicy } from '../eval/compile.js';
import { accountOf } from '../eval/principal.js';
import type { EvaluationInput } from '../eval/types.js';
import type { PolicyType } from '../policy/model.js';
import { type AuthzRequest, structured } from './request.js';
import { modelPolicies } from '../account/parsed-policies.js';
import type { PolicyTextCache } from '../policy/policy-cache.js';
import {
  entityIndex,
  findPrincipal,
  orgPoliciesFor,
  principalPolicies,
  resourceFacts,
  vpcEndpointPolicy,
  type PrincipalPolicy,
  type ResolvedPrincipal,
  type Universe,
} from '../account/query.js';
import { acceptedParseErrors, type DocumentOrigin, type Role } from '../account/model.js';
import { isRoleArn } from '../primitives/arn.js';

const NONE: ReadonlySet<string> = new Set();

/** Where a compiled policy came from, for citing it (policy id → source). */
export interface PolicySourceInfo {
  readonly id: string;
  /** AWS SourcePolicyType: user | group | role | aws-managed | user-managed | resource | none. */
  readonly awsType: PolicySourceType;
  /** Our layer: identity, boundary, resource, trust, vpc-endpoint, scp, rcp, session. */
  readonly layer: PolicyType;
  /** What to edit to change it: inline policy owner ARN, managed policy ARN, resource ARN, org node. */
  readonly target: string;
  readonly name: string;
  readonly document: string;
  readonly file?: string;
  readonly line?: number;
  /** A YAML bundle's document: where each statement is in the file (its text is re-serialized JSON). */
  readonly statements?: readonly { readonly line: number; readonly column: number }[];
}

/** The file, line and (YAML) statement positions of a document's origin. */
function located(o: DocumentOrigin | undefined): Pick<PolicySourceInfo, 'file' | 'line' | 'statements'> {
  if (o === undefined) return {};
  return { file: o.file, line: o.line, ...(o.statements ? { statements: o.statements } : {}) };
}

export type { AuthzRequest, StructuredRequest } from './request.js';

export interface Assembled {
  readonly input: EvaluationInput;
  readonly sources: ReadonlyMap<string, PolicySourceInfo>;
  readonly resolved: ResolvedPrincipal | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const ASSUME = /^sts:(assumerole|assumerolewithsaml|assumerolewithwebidentity|tagsession|setsourceidentity|setcontext)$/i;

function awsTypeOf(p: PrincipalPolicy, resolved: ResolvedPrincipal): PolicySourceType {
  if (p.source === 'managed' || p.source === 'group-managed') {
    return p.policyArn?.startsWith('arn:aws:iam::aws:policy/') ? 'aws-managed' : 'user-managed';
  }
  if (p.source === 'group-inline') return 'group';
  return resolved.kind === 'user' ? 'user' : 'role';
}

class Builder {
  readonly sources = new Map<string, PolicySourceInfo>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly policies: PolicyTextCache) {}

  /** `accepted`: parse errors of policies AWS stores anyway (account/model.ts acceptedParseErrors: ECR policies without Resource, S3 NotPrincipal with Allow). */
  compile(id: string, info: Omit<PolicySourceInfo, 'id'>, accepted: ReadonlySet<string> = NONE): CompiledPolicy | undefined {
    let unique = id;
    for (let i = 2; this.sources.has(unique); i++) unique = `${id}#${i}`;
    const res = this.policies.parse(info.document, info.layer, info.name, true, info.file);
    const errors = res.diagnostics.filter((d) => d.severity === 'error' && !accepted.has(d.code));
    this.diagnostics.push(...errors);
    if (res.policy === undefined || errors.length > 0) return undefined;
    this.sources.set(unique, { id: unique, ...info });
    return compilePolicy(res.policy, unique);
  }
}

function roleByArn(u: Universe, arn: string): Role | undefined {
  const acct = accountOf(arn);
  const account = acct !== undefined ? u.accounts.get(acct) : undefined;
  if (account === undefined) return undefined;
  const index = entityIndex(account.roles);
  return index.byArn.get(arn) ?? (arn.includes(':role/') ? index.byName.get(arn.slice(arn.lastIndexOf('/') + 1)) : undefined);
}

function orgLevels(
  b: Builder,
  u: Universe,
  accountId: string | undefined,
  type: 'SCP' | 'RCP',
): { levels: CompiledPolicy[][]; management: boolean } | undefined {
  if (accountId === undefined) return undefined;
  const path = orgPoliciesFor(u, accountId, type);
  if (path === undefined || !path.enabled) return undefined;
  const layer: PolicyType = type === 'SCP' ? 'scp' : 'rcp';
  const levels = path.levels.map((level) =>
    level.policies.flatMap((p) => {
      const c = b.compile(`${p.name}`, { awsType: 'none', layer, target: `${level.kind}:${level.nodeId}`, name: p.name, document: p.content });
      return c ? [c] : [];
    }),
  );
  return { levels, management: path.managementAccount };
}

/**
 * What `assemble`'s result depends on besides the principal: the trust role
 * (sts:AssumeRole*), else the resource's policy, and the resource owner's
 * account. Requests with equal keys share one assembled input.
 */
export function assemblyKey(u: Universe, request: AuthzRequest): string | undefined {
  if (request.sessionPolicies !== undefined && request.sessionPolicies.length > 0) return undefined;
  const req = structured(request);
  const trust = ASSUME.test(req.action) ? roleByArn(u, req.resource)?.arn : undefined;
  const facts = resourceFacts(u, req.resource, req.resourceArn);
  const rp = trust === undefined ? facts.policy?.arn : undefined;
  const owner = facts.account ?? '';
  return `${req.principal}\u0000${trust ?? ''}\u0000${rp ?? ''}\u0000${owner}\u0000${req.vpcEndpointId ?? ''}\u0000${req.callerIsServiceLinkedRole ?? ''}`;
}

/** `policies`: the cache to parse through (an engine's); by default the model's own (account/parsed-policies.ts). */
export function assemble(u: Universe, request: AuthzRequest, policies?: PolicyTextCache): Assembled {
  const req = structured(request);
  const b = new Builder(policies ?? modelPolicies(u));
  const caller = req.caller;
  const facts = resourceFacts(u, req.resource, req.resourceArn);
  const resolved = caller.kind === 'service' ? undefined : findPrincipal(u, req.principal);
  const identity: CompiledPolicy[] = [];
  const boundary: CompiledPolicy[] = [];
  if (resolved !== undefined) {
    const pp = principalPolicies(resolved);
    for (const p of pp.identity) {
      const c = b.compile(p.name, {
        awsType: awsTypeOf(p, resolved),
        layer: 'identity',
        target: p.policyArn ?? p.ownerArn,
        name: p.name,
        document: p.document,
        ...located(p.origin),
      });
      if (c) identity.push(c);
    }
    if (pp.boundary) {
      const p = pp.boundary;
      const c = b.compile(p.name, {
        awsType: 'none',
        layer: 'boundary',
        target: p.policyArn ?? p.ownerArn,
        name: p.name,
        document: p.document,
        ...located(p.origin),
      });
      if (c) boundary.push(c);
    }
  }

  let resource: CompiledPolicy | undefined;
  const trustRole = ASSUME.test(req.action) ? roleByArn(u, req.resource) : undefined;
  if (trustRole !== undefined) {
    resource = b.compile('ResourcePolicy', {
      awsType: 'resource',
      layer: 'trust',
      target: trustRole.arn,
      name: `${trustRole.name} trust policy`,
      document: trustRole.trustPolicy,
      ...located(trustRole.trustPolicyOrigin),
    });
  } else {
    const rp = facts.policy;
    if (rp !== undefined) {
      resource = b.compile(
        'ResourcePolicy',
        {
          awsType: 'resource',
          layer: 'resource',
          target: rp.arn,
          name: `${rp.arn} policy`,
          document: rp.document,
          ...located(rp.origin),
        },
        acceptedParseErrors(rp.kind),
      );
    }
  }
  let endpoint: CompiledPolicy | undefined;
  if (req.vpcEndpointId !== undefined) {
    const ep = vpcEndpointPolicy(u, req.vpcEndpointId);
    if (ep !== undefined) {
      endpoint = b.compile('VpcEndpointPolicy', {
        awsType: 'resource',
        layer: 'vpc-endpoint',
        target: ep.arn,
        name: `${req.vpcEndpointId} policy`,
        document: ep.document,
      });
    }
  }

  const callerAccount = caller.account;
  const ownerAccount = facts.account ?? callerAccount;
  const scp = caller.kind === 'service' ? undefined : orgLevels(b, u, callerAccount, 'SCP');
  const rcp = orgLevels(b, u, ownerAccount, 'RCP');
  const session = (req.sessionPolicies ?? []).map((p, i) => compilePolicy(p, `SessionPolicyInputList.${i + 1}`));

  const input: EvaluationInput = {
    identity,
    boundary,
    session,
    ...(resource ? { resource } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(scp ? { scp: scp.levels, callerIsManagementAccount: scp.management } : {}),
    ...(rcp ? { rcp: rcp.levels, resourceOwnerIsManagementAccount: rcp.management } : {}),
    callerIsServiceLinkedRole:
      req.callerIsServiceLinkedRole ??
      (isServiceLinkedRole(req.principal) ||
        ((resolved?.kind === 'role' || resolved?.kind === 'assumed-role') && resolved.role.path.startsWith('/aws-service-role/'))),
    ...(ownerAccount !== undefined ? { resourceOwnerAccount: ownerAccount } : {}),
  };
  return { input, sources: b.sources, resolved, diagnostics: b.diagnostics };
}

/** Service-linked roles live under the /aws-service-role/ path. */
export function isServiceLinkedRole(arn: string): boolean {
  return isRoleArn(arn, 'aws-service-role/');
}
