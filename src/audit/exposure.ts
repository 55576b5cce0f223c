/**
 * Exposure of the model's resource-based and trust policies: who outside the
 * owning account may use the resource. Public access is decided by the
 * semantic engine's CheckNoPublicAccess (src/reason) for the resource types
 * it covers — it also finds grants whose conditions an outsider can satisfy;
 * otherwise, and for the actions listed, by the evaluator (authz `decide`)
 * for an anonymous caller and a principal of an account that appears nowhere
 * in the model. Each other account the policy names is asked the same way.
 * Grants that need request context an outsider cannot supply
 * (aws:PrincipalOrgID, aws:SourceArn, …) are not findings.
 */
import type { Universe } from '../account/query.js';
import { decide, type QueryDecision } from '../authz/queries.js';
import { expandActionPattern, getAction, splitAction } from '../catalog/actions.js';
import { parsePolicyCached } from '../policy/policy-cache.js';
import { accountOf } from '../eval/principal.js';
import { parseArn } from '../primitives/arn.js';
import { checkNoPublicAccess, PUBLIC_RESOURCE_TYPES } from '../reason/index.js';

export type Audience = 'anonymous' | 'any-account' | 'external-account' | 'modelled-account';

export interface Exposure {
  readonly resource: string;
  /** `trust` for a role's trust policy, else the resource policy's kind (s3-bucket, kms-key, …). */
  readonly policy: string;
  readonly audience: Audience;
  /** The caller decided: anonymous, a stranger's role, or the named account's root. */
  readonly principal: string;
  readonly actions: readonly string[];
  readonly statements: QueryDecision['statements'];
  readonly file?: string;
  readonly line?: number;
}

interface Target {
  readonly resource: string;
  readonly owner: string | undefined;
  readonly kind: string;
  readonly document: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
}

function unusedAccount(u: Universe): string {
  for (let i = 0; ; i++) {
    const id = String(999999999999 - i);
    if (!u.accounts.has(id)) return id;
  }
}

function targets(u: Universe): Target[] {
  const out: Target[] = [];
  for (const a of u.accounts.values()) {
    for (const r of a.roles) {
      out.push({
        resource: r.arn,
        owner: a.id,
        kind: 'trust',
        document: r.trustPolicy,
        name: `${r.name} trust policy`,
        ...(r.trustPolicyOrigin ? { file: r.trustPolicyOrigin.file, line: r.trustPolicyOrigin.line } : {}),
      });
    }
  }
  for (const rp of u.resourcePolicies.values()) {
    // A VPC endpoint policy only narrows what passes through the endpoint; it grants nothing.
    if (rp.kind === 'vpc-endpoint') continue;
    out.push({
      resource: rp.arn,
      owner: rp.accountId ?? accountOf(rp.arn),
      kind: rp.kind,
      document: rp.document,
      name: `${rp.arn} policy`,
      ...(rp.origin ? { file: rp.origin.file, line: rp.origin.line } : {}),
    });
  }
  return out;
}

/** The actions the policy's Allow statements name, expanded within the resource's service. */
function actionsOf(t: Target): { actions: string[]; accounts: string[] } {
  const policy = parsePolicyCached(t.document, t.kind === 'trust' ? 'trust' : 'resource', t.name, true).policy;
  const service = t.kind === 'trust' ? 'sts' : (parseArn(t.resource)?.service ?? '');
  const actions = new Set<string>();
  const accounts = new Set<string>();
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    for (const v of st.principal && !st.principal.wildcard ? (st.principal.values.AWS ?? []) : []) {
      const acct = /^\d{12}$/.test(v) ? v : accountOf(v);
      if (acct !== undefined && acct !== t.owner) accounts.add(acct);
    }
    for (const pattern of st.action?.values ?? []) {
      // A name the service reference does not list (SNS's default topic policy names "SNS:Receive") is no action anyone can call.
      const expanded = pattern.includes('*') || pattern.includes('?') ? expandActionPattern(pattern) : getAction(pattern) ? [pattern] : [];
      for (const a of expanded) if (splitAction(a)?.service.toLowerCase() === service) actions.add(a);
    }
  }
  if (t.kind === 'trust') actions.add('sts:AssumeRole');
  return { actions: [...actions].slice(0, 400), accounts: [...accounts] };
}

/** Request ARNs for a resource: an S3 bucket is also asked about an object in it. */
function requestResources(t: Target): string[] {
  return t.kind === 's3-bucket' ? [t.resource, `${t.resource}/iamsim-audit-probe`] : [t.resource];
}

function check(u: Universe, t: Target, principal: string, label: string, actions: readonly string[]): Checked {
  const allowed: string[] = [];
  let statements: QueryDecision['statements'] = [];
  for (const action of actions) {
    for (const resource of requestResources(t)) {
      const d = decide(u, { principal, action, resource, label }, { deriveContext: true });
      if (d.decision === 'allowed') {
        allowed.push(action);
        if (statements.length === 0) statements = d.statements;
        break;
      }
    }
  }
  return { allowed, statements };
}

const TYPE_BY_SERVICE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(PUBLIC_RESOURCE_TYPES)
    .filter(([type]) => !/Stream|AccessPoint|Outposts|Express|Tables|Dashboard|EventDataStore|Consumer/.test(type))
    .map(([type, services]) => [services[0] ?? '', type]),
);

/** The CheckNoPublicAccess resource type of a target, when the engine covers it. */
function publicResourceType(t: Target): string | undefined {
  if (t.kind === 'trust') return 'AWS::IAM::AssumeRolePolicyDocument';
  return TYPE_BY_SERVICE[parseArn(t.resource)?.service ?? ''];
}

type Checked = { allowed: string[]; statements: QueryDecision['statements'] };

/**
 * Who outside every account may use the resource: anonymous callers, any
 * AWS account, or nobody. The one function to change for another public-access check.
 */
async function publicAccess(
  u: Universe,
  t: Target,
  actions: readonly string[],
  stranger: string,
): Promise<{ audience: Audience; principal: string; r: Checked } | undefined> {
  const type = publicResourceType(t);
  const semantic = type !== undefined ? await checkNoPublicAccess({ policyDocument: t.document, resourceType: type }) : undefined;
  if (semantic?.result === 'PASS') return undefined;
  const anon = t.kind === 'trust' ? { allowed: [], statements: [] } : check(u, t, 'anonymous', 'anonymous', actions);
  if (anon.allowed.length > 0) return { audience: 'anonymous', principal: 'anonymous', r: anon };
  const any = check(u, t, `arn:aws:iam::${stranger}:role/iamsim-audit-probe`, '*', actions);
  if (any.allowed.length > 0) return { audience: 'any-account', principal: '*', r: any };
  if (semantic?.result !== 'FAIL') return undefined;
  // Allowed to an outsider only with context it can supply (e.g. any source IP): the engine's request.
  const cx = semantic.counterexample;
  return {
    audience: cx?.CallerArn === undefined || cx.CallerArn === 'anonymous' ? 'anonymous' : 'any-account',
    principal: '*',
    r: { allowed: [...(cx?.ActionNames ?? [])], statements: [] },
  };
}

/** Exposure findings for every trust and resource policy in the model. */
export async function exposures(u: Universe): Promise<Exposure[]> {
  const stranger = unusedAccount(u);
  const out: Exposure[] = [];
  for (const t of targets(u)) {
    const { actions, accounts } = actionsOf(t);
    if (actions.length === 0) continue;
    const add = (audience: Audience, principal: string, r: Checked): void => {
      if (r.allowed.length === 0) return;
      out.push({
        resource: t.resource,
        policy: t.kind,
        audience,
        principal,
        actions: r.allowed,
        statements: r.statements,
        ...(t.file !== undefined ? { file: t.file } : {}),
        ...(t.line !== undefined ? { line: t.line } : {}),
      });
    };
    const pub = await publicAccess(u, t, actions, stranger);
    if (pub !== undefined) {
      add(pub.audience, pub.principal, pub.r);
      continue;
    }
    for (const acct of accounts) {
      const r = check(u, t, `arn:aws:iam::${acct}:root`, `arn:aws:iam::${acct}:root`, actions);
      add(u.accounts.has(acct) ? 'modelled-account' : 'external-account', `arn:aws:iam::${acct}:root`, r);
    }
  }
  return out;
}
