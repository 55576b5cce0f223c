/**
 * Questions about roles over the whole model, each answered by deciding real
 * requests with `authorize`:
 *  - who can assume a role (sts:AssumeRole: the trust policy, and for IAM
 *    principals their own permissions; cross-account rules apply);
 *  - who can pass a role (iam:PassRole with iam:PassedToService), and to which services;
 *  - which roles a service principal can assume;
 *  - role chaining with session tags: see chain.ts.
 * A request denied only because condition keys are absent from the request
 * context is reported as `conditional` with those keys.
 */
import type { PolicySourceType } from '../protocol/answer.js';
import { compilePolicy, type CompiledPolicy, type StatementRef } from '../eval/compile.js';
import { evaluate } from '../eval/evaluate.js';
import { classifyCaller } from '../eval/principal.js';
import type { EvalMemo } from '../eval/memo.js';
import type { ContextKeyType, ContextValue } from '../eval/request.js';
import type { EvaluationInput } from '../eval/types.js';
import type { Policy, Statement } from '../policy/model.js';
import { parseModelPolicy } from '../account/parsed-policies.js';
import { parsePolicy } from '../policy/parse.js';
import { findPrincipal, type Universe } from '../account/query.js';
import type { Role, Tag } from '../account/model.js';
import { assemble, type PolicySourceInfo } from './assemble.js';
import { authorize } from './authorize.js';
import type { AssemblyCache } from './assembly-cache.js';

/** A statement that decided, cited by policy and what to edit. */
export interface CitedStatement {
  /** AWS SourcePolicyId: the policy name for identity policies, `ResourcePolicy` for a trust/resource policy. */
  readonly policyId: string;
  readonly policyName: string;
  /** AWS SourcePolicyType: user | group | role | aws-managed | user-managed | resource | none. */
  readonly policyType: PolicySourceType;
  /** identity, boundary, trust, resource, scp, rcp, … */
  readonly layer: string;
  /** What to edit: the inline policy's owner, the managed policy ARN, the role, the org node. */
  readonly target?: string;
  readonly effect: 'Allow' | 'Deny';
  /** 0-based statement index, and its Sid when it has one. */
  readonly index: number;
  readonly sid?: string;
  /** File the document was imported from, and the line its document starts on. */
  readonly file?: string;
  readonly line?: number;
}

export type PrincipalCategory = 'user' | 'role' | 'session' | 'service' | 'account' | 'any' | 'federated' | 'other';

export interface QueryDecision {
  readonly principal: string;
  readonly kind: PrincipalCategory;
  readonly action: string;
  readonly resource: string;
  /** conditional: denied, but allowed if the missing condition keys had suitable values. */
  readonly decision: 'allowed' | 'conditional' | 'denied';
  /** False when the principal's account is not in the model: only the trust side was decided. */
  readonly modelled: boolean;
  readonly statements: readonly CitedStatement[];
  readonly missingContextValues: readonly string[];
  readonly reason: string;
  /** For iam:PassRole: the iam:PassedToService value decided. */
  readonly service?: string;
}

export interface QueryOptions {
  /** Extra request context for every request. */
  readonly context?: ReadonlyMap<string, ContextValue>;
  /** Add the keys AWS derives from the caller and resource (aws:PrincipalArn, tags, …). Default true. */
  readonly deriveContext?: boolean;
  /** Assembled inputs reused across the requests of one query (owned by the caller). */
  readonly assemblies?: AssemblyCache;
  /** The evaluator's memo every decision of the query goes through (a long-lived caller's engine: `Iamsim.memo`). */
  readonly memo?: EvalMemo;
}

/** Services a role is commonly passed to (checked besides those in the role's trust policy). */
export const COMMON_PASS_SERVICES: readonly string[] = [
  'sagemaker.amazonaws.com',
  'events.amazonaws.com',
  'lambda.amazonaws.com',
  'ec2.amazonaws.com',
  'glue.amazonaws.com',
  'iotanalytics.amazonaws.com',
  'ecs-tasks.amazonaws.com',
];

/**
 * Keys describing an IAM principal (its organization, account, ARN, tags, MFA):
 * absent when a service principal calls (reference_policies_condition-keys,
 * "Availability"), so a condition on them can never be met by one.
 */
const PRINCIPAL_ONLY =
  /^aws:(principalorgid|principalorgpaths|principalaccount|principalarn|principaltag\/.*|principaltype|username|userid|multifactorauth(present|age))$/;

/** A placeholder account for "any AWS principal" (`*` in a trust policy); never in a real model. */
const ANY_ACCOUNT = '000000000000';

export function value(key: string, type: ContextKeyType, values: readonly string[]): ContextValue {
  return { key, type, values, multivalued: type.endsWith('List') };
}

export function putIfAbsent(m: Map<string, ContextValue>, key: string, type: ContextKeyType, values: readonly string[]): void {
  if (!m.has(key.toLowerCase())) m.set(key.toLowerCase(), value(key, type, values));
}

export function cite(ref: StatementRef, sources: ReadonlyMap<string, PolicySourceInfo>): CitedStatement {
  const info = sources.get(ref.policyId);
  const named = info !== undefined && (info.layer === 'identity' || info.layer === 'boundary');
  return {
    policyId: named ? info.name : ref.policyId,
    policyName: info?.name ?? ref.policyName,
    policyType: info?.awsType ?? 'none',
    layer: info?.layer ?? ref.policyType,
    ...(info !== undefined ? { target: info.target } : {}),
    effect: ref.effect,
    index: ref.index,
    ...(ref.sid !== undefined && ref.sid !== '' ? { sid: ref.sid } : {}),
    ...(info?.file !== undefined ? { file: info.file } : {}),
    ...(info?.line !== undefined ? { line: info.line } : {}),
  };
}

/**
 * The policies as if every condition on a missing key were satisfiable: such
 * clauses are dropped from Allow statements, and Deny statements testing them
 * are dropped. If the request is then allowed, the right context allows it.
 */
function optimistic(input: EvaluationInput, missing: ReadonlySet<string>): EvaluationInput {
  const fix = (p: CompiledPolicy): CompiledPolicy => {
    let changed = false;
    const statements: Statement[] = [];
    for (const st of p.policy.statements) {
      if (!st.conditions.some((c) => missing.has(c.key.toLowerCase()))) {
        statements.push(st);
        continue;
      }
      changed = true;
      if (st.effect === 'Allow') statements.push({ ...st, conditions: st.conditions.filter((c) => !missing.has(c.key.toLowerCase())) });
    }
    if (!changed) return p;
    const policy: Policy = { ...p.policy, statements };
    return compilePolicy(policy, p.id);
  };
  const many = (l: readonly CompiledPolicy[] | undefined): CompiledPolicy[] | undefined => l?.map(fix);
  const identity = input.identity.map(fix);
  const boundary = many(input.boundary);
  const session = many(input.session);
  const scp = input.scp?.map((l) => l.map(fix));
  const rcp = input.rcp?.map((l) => l.map(fix));
  return {
    ...input,
    identity,
    ...(boundary ? { boundary } : {}),
    ...(session ? { session } : {}),
    ...(input.resource ? { resource: fix(input.resource) } : {}),
    ...(input.endpoint ? { endpoint: fix(input.endpoint) } : {}),
    ...(scp ? { scp } : {}),
    ...(rcp ? { rcp } : {}),
  };
}

export function categoryOf(principal: string): PrincipalCategory {
  if (principal === '*') return 'any';
  const c = classifyCaller(principal);
  switch (c.kind) {
    case 'user':
      return 'user';
    case 'role':
      return 'role';
    case 'role-session':
      return 'session';
    case 'service':
      return 'service';
    case 'root':
      return 'account';
    default:
      return /:(saml|oidc)-provider\//.test(principal) || principal.startsWith('accounts.google.com') ? 'federated' : 'other';
  }
}

export interface DecideRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: ReadonlyMap<string, ContextValue>;
  /** Shown instead of `principal` (e.g. `*` for the placeholder caller). */
  readonly label?: string;
}

/** Decides one request and classifies it as allowed, conditional or denied. */
export function decide(u: Universe, req: DecideRequest, opts: QueryOptions = {}): QueryDecision {
  const context = new Map(opts.context ?? []);
  for (const [k, v] of req.context ?? []) context.set(k, v);
  const request = { principal: req.principal, action: req.action, resource: req.resource };
  const assembled = opts.assemblies?.get(u, request);
  const memo = opts.memo !== undefined ? { memo: opts.memo } : {};
  const a = authorize(u, { ...request, context, deriveContext: opts.deriveContext ?? true }, { explain: false, ...memo, ...(assembled ? { assembled } : {}) });
  const caller = classifyCaller(req.principal);
  const modelled = caller.kind === 'service' || caller.account === undefined || u.accounts.has(caller.account);
  const base = {
    principal: req.label ?? req.principal,
    kind: req.label === '*' ? ('any' as const) : categoryOf(req.principal),
    action: req.action,
    resource: req.resource,
    modelled,
  };
  const d = a.decision;
  if (d.decision === 'allowed') {
    const reason = modelled
      ? d.reason
      : `Allowed by the resource side; account ${caller.account ?? '?'} is not in the model, so its own policies must also allow the caller.`;
    return { ...base, decision: 'allowed', statements: d.matchedStatements.map((s) => cite(s, a.sources)), missingContextValues: [], reason };
  }
  // A principal of an unmodelled account: its own policies are unknown, so report the trust side alone.
  if (!modelled && d.details?.['Resource Policy'] === 'allowed' && caller.kind !== 'root') {
    const trust = assemble(u, { principal: req.principal, action: req.action, resource: req.resource });
    const asRoot = evaluate(
      trust.input,
      { principal: `arn:aws:iam::${caller.account ?? ANY_ACCOUNT}:root`, action: req.action, resource: req.resource, context: a.context },
      memo,
    );
    if (asRoot.decision === 'allowed') {
      return {
        ...base,
        decision: 'allowed',
        statements: asRoot.matchedStatements.map((s) => cite(s, trust.sources)),
        missingContextValues: [],
        reason: `Allowed by the resource side; account ${caller.account ?? '?'} is not in the model, so the caller's own permissions were not checked.`,
      };
    }
  }
  if (d.decision === 'implicitDeny' && d.missingContextValues.length > 0 && a.diagnostics.length === 0) {
    const asm = assembled ?? assemble(u, request);
    const missing = new Set(d.missingContextValues.map((k) => k.toLowerCase()).filter((k) => caller.kind !== 'service' || !PRINCIPAL_ONLY.test(k)));
    const o = evaluate(optimistic(asm.input, missing), { principal: req.principal, action: req.action, resource: req.resource, context: a.context }, memo);
    if (o.decision === 'allowed') {
      return {
        ...base,
        decision: 'conditional',
        statements: o.matchedStatements.map((s) => cite(s, asm.sources)),
        missingContextValues: d.missingContextValues,
        reason: `Allowed only if the request carries suitable values for ${d.missingContextValues.join(', ')}.`,
      };
    }
  }
  return {
    ...base,
    decision: 'denied',
    statements: d.matchedStatements.map((s) => cite(s, a.sources)),
    missingContextValues: d.missingContextValues,
    reason: d.reason,
  };
}

export function findRole(u: Universe, roleArn: string): Role | undefined {
  const p = findPrincipal(u, roleArn);
  return p?.kind === 'role' ? p.role : undefined;
}

/** Principals a trust policy names, by kind (Principal blocks of its statements); `u`: the role's model, whose parsed policies are reused. */
export function trustedPrincipals(role: Role, u?: Universe): { services: string[]; aws: string[]; federated: string[]; wildcard: boolean } {
  const out = { services: [] as string[], aws: [] as string[], federated: [] as string[], wildcard: false };
  const name = `${role.name} trust policy`;
  const res =
    u !== undefined ? parseModelPolicy(u, role.trustPolicy, 'trust', name, true) : parsePolicy(role.trustPolicy, { type: 'trust', name, lenient: true });
  for (const st of res.policy?.statements ?? []) {
    const b = st.principal;
    if (b === undefined) continue;
    if (b.wildcard) {
      out.wildcard = true;
      continue;
    }
    for (const s of b.values.Service ?? [])
      if (s === '*') out.wildcard = true;
      else out.services.push(s);
    for (const s of b.values.AWS ?? [])
      if (s === '*') out.wildcard = true;
      else out.aws.push(s);
    for (const s of b.values.Federated ?? []) out.federated.push(s);
  }
  const uniq = (l: string[]): string[] => [...new Set(l)];
  return { services: uniq(out.services), aws: uniq(out.aws), federated: uniq(out.federated), wildcard: out.wildcard };
}

/** The role's tags as aws:ResourceTag/… (overridden by `over`, e.g. transitive session tags). */
export function resourceTags(role: Role, over: ReadonlyMap<string, Tag> = new Map()): Map<string, ContextValue> {
  const m = new Map<string, ContextValue>();
  for (const t of over.values()) putIfAbsent(m, `aws:ResourceTag/${t.key}`, 'string', [t.value]);
  for (const t of role.tags) putIfAbsent(m, `aws:ResourceTag/${t.key}`, 'string', [t.value]);
  return m;
}

function iamPrincipals(u: Universe, accountId?: string): string[] {
  const out: string[] = [];
  for (const a of u.accounts.values()) {
    if (accountId !== undefined && a.id !== accountId) continue;
    for (const user of a.users) out.push(user.arn);
    for (const r of a.roles) out.push(r.arn);
  }
  return out;
}

export interface RoleQueryResult {
  readonly role: string;
  readonly action: string;
  readonly evaluated: number;
  readonly allowed: readonly QueryDecision[];
  readonly conditional: readonly QueryDecision[];
}

/**
 * The sts:AssumeRole* requests whoCanAssume decides for a role: every user and
 * role of the model, and the services, external principals, federated
 * providers and `*` its trust policy names.
 */
export function assumeRequests(u: Universe, role: Role): DecideRequest[] {
  const trusted = trustedPrincipals(role, u);
  const requests: DecideRequest[] = [];
  const seen = new Set<string>();
  const add = (r: DecideRequest): void => {
    const key = `${r.label ?? r.principal}|${r.action}`;
    if (!seen.has(key)) {
      seen.add(key);
      requests.push(r);
    }
  };
  const context = resourceTags(role);
  for (const p of iamPrincipals(u)) add({ principal: p, action: 'sts:AssumeRole', resource: role.arn, context });
  for (const s of trusted.services) add({ principal: s, action: 'sts:AssumeRole', resource: role.arn, context });
  for (const v of trusted.aws) {
    const principal = /^\d{12}$/.test(v) ? `arn:aws:iam::${v}:root` : v;
    // A modelled account's users and roles are checked one by one above; name the others: external
    // accounts and principals, role sessions (e.g. an SSO session ARN), federated users.
    const caller = classifyCaller(principal);
    const enumerated =
      (caller.kind === 'user' || caller.kind === 'role' || caller.kind === 'root') &&
      caller.account !== undefined &&
      u.accounts.has(caller.account) &&
      (caller.kind === 'root' || findPrincipal(u, principal) !== undefined);
    if (!enumerated) add({ principal, action: 'sts:AssumeRole', resource: role.arn, context });
  }
  // Web identity and SAML providers use their own AssumeRole* actions (id_roles_terms-and-concepts).
  for (const f of trusted.federated) {
    add({ principal: f, action: f.includes(':saml-provider/') ? 'sts:AssumeRoleWithSAML' : 'sts:AssumeRoleWithWebIdentity', resource: role.arn, context });
  }
  if (trusted.wildcard) add({ principal: `arn:aws:iam::${ANY_ACCOUNT}:root`, label: '*', action: 'sts:AssumeRole', resource: role.arn, context });
  return requests;
}

/**
 * Who can assume a role: every user and role in the model, the services,
 * accounts and federated providers its trust policy names, and "any AWS
 * principal" when it names `*`. Undefined when the role is not in the model.
 */
export function whoCanAssume(u: Universe, roleArn: string, opts: QueryOptions = {}): RoleQueryResult | undefined {
  const role = findRole(u, roleArn);
  if (role === undefined) return undefined;
  const requests = assumeRequests(u, role);
  const decisions = requests.map((r) => decide(u, r, opts));
  return {
    role: role.arn,
    action: 'sts:AssumeRole',
    evaluated: decisions.length,
    allowed: decisions.filter((d) => d.decision === 'allowed'),
    conditional: decisions.filter((d) => d.decision === 'conditional'),
  };
}

/** Roles in the model whose trust policy lets a service principal call sts:AssumeRole. */
export function rolesAssumableBy(u: Universe, servicePrincipal: string, opts: QueryOptions = {}): RoleQueryResult {
  const decisions: QueryDecision[] = [];
  for (const a of u.accounts.values()) {
    for (const r of a.roles)
      decisions.push(decide(u, { principal: servicePrincipal, action: 'sts:AssumeRole', resource: r.arn, context: resourceTags(r) }, opts));
  }
  return {
    role: servicePrincipal,
    action: 'sts:AssumeRole',
    evaluated: decisions.length,
    allowed: decisions.filter((d) => d.decision === 'allowed'),
    conditional: decisions.filter((d) => d.decision === 'conditional'),
  };
}

export interface PassGrant {
  readonly principal: string;
  readonly kind: PrincipalCategory;
  /** Services the principal may pass the role to, each with its deciding statements. */
  readonly services: readonly QueryDecision[];
  readonly conditional: readonly QueryDecision[];
}

export interface WhoCanPassResult {
  readonly role: string;
  /** The services checked: those in the trust policy, then COMMON_PASS_SERVICES and any given. */
  readonly servicesChecked: readonly string[];
  readonly principals: readonly PassGrant[];
}

/**
 * Who can pass a role, and to which services: iam:PassRole on the role with
 * iam:PassedToService set to each service. Only principals of the role's own
 * account are checked: a role cannot be passed across accounts (id_roles_use_passrole).
 */
export function whoCanPass(u: Universe, roleArn: string, opts: QueryOptions & { readonly services?: readonly string[] } = {}): WhoCanPassResult | undefined {
  const role = findRole(u, roleArn);
  if (role === undefined) return undefined;
  const services = passServices(role, opts.services, u);
  const account = classifyCaller(role.arn).account;
  const principals: PassGrant[] = [];
  for (const p of iamPrincipals(u, account)) {
    const grant = passGrant(u, p, role, services, opts);
    if (grant !== undefined) principals.push(grant);
  }
  return { role: role.arn, servicesChecked: services, principals };
}

/** The services whoCanPass checks for a role: those its trust policy names, then COMMON_PASS_SERVICES and any given. */
export function passServices(role: Role, extra: readonly string[] = [], u?: Universe): string[] {
  return [...new Set([...trustedPrincipals(role, u).services, ...COMMON_PASS_SERVICES, ...extra])];
}

/** Whether `principal` may pass `role` to each of `services` (undefined: to none, not even conditionally). */
function passGrant(u: Universe, principal: string, role: Role, services: readonly string[], opts: QueryOptions): PassGrant | undefined {
  const ds = services.map((s) => ({
    ...decide(
      u,
      {
        principal,
        action: 'iam:PassRole',
        resource: role.arn,
        context: new Map([['iam:passedtoservice', value('iam:PassedToService', 'string', [s])]]),
      },
      opts,
    ),
    service: s,
  }));
  const allowed = ds.filter((d) => d.decision === 'allowed');
  const conditional = ds.filter((d) => d.decision === 'conditional');
  return allowed.length + conditional.length > 0 ? { principal, kind: categoryOf(principal), services: allowed, conditional } : undefined;
}

/**
 * The roles a principal may pass, and to which services: whoCanPass asked
 * the other way round, over the roles of the principal's own account (a role
 * cannot be passed across accounts). Each grant's `principal` is the role.
 */
export function rolesPassableBy(u: Universe, principal: string, opts: QueryOptions & { readonly services?: readonly string[] } = {}): PassGrant[] {
  const account = classifyCaller(principal).account;
  const out: PassGrant[] = [];
  for (const a of u.accounts.values()) {
    if (a.id !== account) continue;
    for (const r of a.roles) {
      if (r.arn === principal) continue;
      const grant = passGrant(u, principal, r, passServices(r, opts.services, u), opts);
      if (grant !== undefined) out.push({ ...grant, principal: r.arn, kind: 'role' });
    }
  }
  return out;
}
