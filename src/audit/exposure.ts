/**
 * Exposure of the model's resource-based and trust policies: who outside the
 * owning account may use the resource. Public access is decided by the
 * semantic engine's CheckNoPublicAccess (src/reason) for the resource types
 * it covers — it also finds grants whose conditions an outsider can satisfy;
 * otherwise, and for the actions listed, by the evaluator (authz `decide`)
 * for an anonymous caller and a principal of an account that appears nowhere
 * in the model. Then every principal the policy names in another account, in
 * the form it is named (account, user, role), and every identity provider it
 * trusts, with an outsider's token (callers.ts), is asked the same way.
 * Conditions on keys the caller sets itself (sts:ExternalId, MFA, session
 * tags, …) hold when it wants: such a grant is reported, with the conditions
 * as its preconditions. Grants that need request context that identifies the
 * caller (aws:PrincipalOrgID, aws:SourceArn, a repository's `sub`, …) are not
 * findings. What cannot be decided is reported as needing review.
 */
import type { Universe } from '../account/query.js';
import { decide, type QueryDecision } from '../authz/queries.js';
import { splitAction } from '../catalog/actions.js';
import { Catalog } from '../catalog/catalog-object.js';
import type { EvalMemo } from '../eval/memo.js';
import { parseModelPolicy } from '../account/parsed-policies.js';
import type { Policy } from '../policy/model.js';
import type { Account } from '../account/model.js';
import { findPrincipal } from '../account/query.js';
import type { ContextValue } from '../eval/request.js';
import { keyClass, namedCallers, providerOf, type NamedCaller } from './callers.js';
import { accountOf } from '../eval/principal.js';
import { parseArn } from '../primitives/arn.js';
import { checkNoPublicAccess, newReasonContext, PUBLIC_RESOURCE_TYPES, publicProvider, type ReasonContext } from '../reason/index.js';

export type Audience =
  | 'anonymous'
  | 'any-account'
  /** Anyone who can get a token from a public identity provider (any GitHub repository, any Cognito identity pool). */
  | 'any-identity'
  | 'external-account'
  | 'modelled-account'
  /** Not decided (the semantic engine's UNKNOWN, a condition key the audit cannot classify): a person must look. */
  | 'needs-review';

export interface Exposure {
  readonly resource: string;
  /** `trust` for a role's trust policy, else the resource policy's kind (s3-bucket, kms-key, …). */
  readonly policy: string;
  readonly audience: Audience;
  /** The caller decided: anonymous, `*` (a stranger), or the principal or identity provider the policy names. */
  readonly principal: string;
  readonly actions: readonly string[];
  readonly statements: QueryDecision['statements'];
  /** Conditions the caller must meet, each on a key it sets itself (sts:ExternalId, aws:MultiFactorAuthPresent, session tags, …). */
  readonly preconditions?: readonly string[];
  /** For `any-identity`: who that is ("any GitHub Actions workflow of any repository"). */
  readonly who?: string;
  /** For `needs-review`: why it is not decided. */
  readonly reasons?: readonly string[];
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

/** An account neither modelled nor named by any policy: the stranger. */
function unusedAccount(u: Universe, named: ReadonlySet<string>): string {
  for (let i = 0; ; i++) {
    const id = String(999999999999 - i);
    if (!u.accounts.has(id) && !named.has(id)) return id;
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
function actionsOf(t: Target, policy: Policy | undefined, catalog: Catalog): string[] {
  const service = t.kind === 'trust' ? 'sts' : (parseArn(t.resource)?.service ?? '');
  const actions = new Set<string>();
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    for (const pattern of st.action?.values ?? []) {
      // A name the service reference does not list (SNS's default topic policy names "SNS:Receive") is no action anyone can call.
      const expanded = pattern.includes('*') || pattern.includes('?') ? catalog.expandActionPattern(pattern) : catalog.getAction(pattern) ? [pattern] : [];
      for (const a of expanded) if (splitAction(a)?.service.toLowerCase() === service) actions.add(a);
    }
  }
  if (t.kind === 'trust') actions.add('sts:AssumeRole');
  return [...actions].slice(0, 400);
}

/** Request ARNs for a resource: an S3 bucket is also asked about an object in it. */
function requestResources(t: Target): string[] {
  return t.kind === 's3-bucket' ? [t.resource, `${t.resource}/iamsim-audit-probe`] : [t.resource];
}

interface Checked {
  readonly allowed: string[];
  statements: QueryDecision['statements'];
  /** Keys of conditions the caller meets by setting them itself. */
  readonly preconditions: Set<string>;
  /** Keys the audit cannot classify (the grant needs review). */
  readonly unclear: Set<string>;
}

/**
 * Which actions the caller may call: allowed outright, or allowed once the
 * request carries values for keys the caller sets itself. A grant that needs
 * a key identifying the caller is not; one that needs a key of neither kind
 * is noted as unclear.
 */
function check(u: Universe, t: Target, caller: NamedCaller | undefined, principal: string, actions: readonly string[], memo: EvalMemo): Checked {
  const out: Checked = { allowed: [], statements: [], preconditions: new Set(), unclear: new Set() };
  const context: ReadonlyMap<string, ContextValue> | undefined = caller?.context;
  const probe: NamedCaller = caller ?? { principal, account: undefined, kind: 'principal' };
  for (const action of actions) {
    for (const resource of requestResources(t)) {
      const d = decide(u, { principal, action, resource, ...(context ? { context } : {}) }, { deriveContext: true, memo });
      if (d.decision === 'denied') continue;
      const classes = d.missingContextValues.map((k) => [k, keyClass(k, probe)] as const);
      if (classes.some(([, c]) => c === 'identifying')) continue;
      const unclear = classes.filter(([, c]) => c === 'unknown').map(([k]) => k);
      if (unclear.length > 0) {
        for (const k of unclear) out.unclear.add(k);
        continue;
      }
      for (const [k] of classes) out.preconditions.add(k);
      out.allowed.push(action);
      if (out.statements.length === 0) out.statements = d.statements;
      break;
    }
  }
  return out;
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

type Public = { audience: Audience; principal: string; r: Checked; reasons?: readonly string[]; who?: string };

const empty = (): Checked => ({ allowed: [], statements: [], preconditions: new Set(), unclear: new Set() });

/**
 * Who outside every account may use the resource: anonymous callers, any
 * AWS account, or nobody; `needs-review` when the semantic engine cannot
 * decide and the evaluator's probes find nothing. The one function to change
 * for another public-access check.
 */
async function publicAccess(u: Universe, t: Target, actions: readonly string[], stranger: string, reason: ReasonContext): Promise<Public | undefined> {
  const type = publicResourceType(t);
  let semantic: Awaited<ReturnType<typeof checkNoPublicAccess>> | undefined;
  let failure: string | undefined;
  try {
    semantic = type !== undefined ? await checkNoPublicAccess({ policyDocument: t.document, resourceType: type }, reason) : undefined;
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  if (semantic?.result === 'PASS') return undefined;
  const anon = t.kind === 'trust' ? empty() : check(u, t, undefined, 'anonymous', actions, reason.memo);
  if (anon.allowed.length > 0) return { audience: 'anonymous', principal: 'anonymous', r: anon };
  const any = check(u, t, undefined, strangerArn(stranger), actions, reason.memo);
  if (any.allowed.length > 0) return { audience: 'any-account', principal: '*', r: any };
  // A web-identity provider anyone can get a token from: the named-caller path reports it ('any-identity', who).
  if (semantic?.result === 'FAIL' && publicProvider(semantic.counterexample?.CallerArn ?? '') !== undefined) return undefined;
  if (semantic?.result === 'FAIL') {
    // Allowed to an outsider only with context it can supply (e.g. any source IP): the engine's request.
    const cx = semantic.counterexample;
    const provider = cx?.CallerArn !== undefined ? providerOf(cx.CallerArn) : undefined;
    if (provider !== undefined && cx?.CallerArn !== undefined) {
      // An identity of a public provider (any repository, any identity pool): said as such.
      return { audience: 'any-identity', principal: cx.CallerArn, who: provider.anyone, r: { ...empty(), allowed: [...(cx.ActionNames ?? [])] } };
    }
    return {
      audience: cx?.CallerArn === undefined || cx.CallerArn === 'anonymous' ? 'anonymous' : 'any-account',
      principal: '*',
      r: { ...empty(), allowed: [...(cx?.ActionNames ?? [])] },
    };
  }
  const reasons = [
    ...(semantic?.result === 'UNKNOWN' ? (semantic.unknownReasons ?? [semantic.message]) : []),
    ...(failure !== undefined ? [`the semantic engine could not read the policy: ${failure}`] : []),
    ...[...anon.unclear, ...any.unclear].map((k) => `an outsider is allowed if its request meets a condition on ${k}, which the audit cannot classify`),
  ];
  if (reasons.length === 0) return undefined;
  return { audience: 'needs-review', principal: '*', r: { ...empty(), allowed: [...actions] }, reasons: [...new Set(reasons)] };
}

function strangerArn(account: string): string {
  return `arn:aws:iam::${account}:role/iamsim-audit-probe`;
}

/** True when every Allow statement names its principals, and the only ones that could be outsiders are public identity providers. */
function onlyThroughProviders(policy: Policy | undefined): boolean {
  let providers = 0;
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    if (st.notPrincipal !== undefined || st.principal === undefined || st.principal.wildcard) return false;
    if ((st.principal.values.AWS ?? []).includes('*')) return false;
    for (const v of st.principal.values.Federated ?? []) if (providerOf(v) !== undefined) providers++;
  }
  return providers > 0;
}

/** Every 12-digit account id the model's trust and resource policies mention. */
function namedAccounts(targets: readonly Target[]): Set<string> {
  const out = new Set<string>();
  for (const t of targets) for (const m of t.document.matchAll(/(?<!\d)\d{12}(?!\d)/g)) out.add(m[0]);
  return out;
}

/**
 * The model plus one account for each outside account a policy names, and
 * for the stranger: their named users and roles (and root) allowed every
 * action by their own policies, as their administrators can make them — so
 * only the model's side of a cross-account request decides.
 */
function withOutsiders(u: Universe, callers: readonly NamedCaller[], stranger: string): Universe {
  const byAccount = new Map<string, { users: Set<string>; roles: Set<string> }>([[stranger, { users: new Set(), roles: new Set([strangerArn(stranger)]) }]]);
  for (const c of callers) {
    if (c.account === undefined || u.accounts.has(c.account) || c.kind === 'provider') continue;
    const entry = byAccount.get(c.account) ?? { users: new Set<string>(), roles: new Set<string>() };
    byAccount.set(c.account, entry);
    const resource = parseArn(c.principal)?.resource ?? '';
    if (resource.startsWith('user/')) entry.users.add(c.principal);
    else if (resource.startsWith('role/')) entry.roles.add(c.principal);
  }
  const everything = [
    { name: 'iamsim-audit-outsider-admin', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' },
  ];
  const name = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
  const pathOf = (arn: string): string => {
    const r = parseArn(arn)?.resource ?? '';
    const inner = r.slice(r.indexOf('/'), r.lastIndexOf('/') + 1);
    return inner === '' ? '/' : inner;
  };
  const outsiders: Account[] = [...byAccount].map(([id, e]) => ({
    id,
    users: [...e.users].map((arn) => ({ arn, name: name(arn), path: pathOf(arn), groups: [], inlinePolicies: everything, managedPolicies: [], tags: [] })),
    groups: [],
    roles: [...e.roles].map((arn) => ({
      arn,
      name: name(arn),
      path: pathOf(arn),
      trustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${id}:root"},"Action":"sts:AssumeRole"}]}`,
      inlinePolicies: everything,
      managedPolicies: [],
      tags: [],
      maxSessionDuration: 3600,
    })),
    managedPolicies: [],
    resourcePolicies: [],
    sources: [],
  }));
  return { ...u, accounts: new Map([...u.accounts, ...outsiders.map((a) => [a.id, a] as const)]) };
}

/** The conditions of the policy's Allow statements on the given keys, as written. */
function conditionsOn(policy: Policy | undefined, keys: ReadonlySet<string>): string[] {
  const lower = new Set([...keys].map((k) => k.toLowerCase()));
  const out = new Set<string>();
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    for (const c of st.conditions)
      if (lower.has(c.key.toLowerCase())) out.add(`${c.operator} ${c.key} ${JSON.stringify(c.values.length === 1 ? c.values[0] : c.values)}`);
  }
  for (const k of keys) if (![...out].some((x) => x.toLowerCase().includes(` ${k.toLowerCase()} `))) out.add(k);
  return [...out];
}

/**
 * Exposure findings for every trust and resource policy in the model; `reason`: the reasoner to use (an engine's;
 * default: one for this call); `catalog`: the catalog to expand actions with (an engine's; default: one for this call).
 */
export async function exposures(u: Universe, reason: ReasonContext = newReasonContext(), catalog: Catalog = new Catalog()): Promise<Exposure[]> {
  const all = targets(u);
  const stranger = unusedAccount(u, namedAccounts(all));
  const parsed = all.map((t) => ({ t, policy: parseModelPolicy(u, t.document, t.kind === 'trust' ? 'trust' : 'resource', t.name, true).policy }));
  const callers = parsed.map(({ t, policy }) => namedCallers(policy, t.owner));
  const world = withOutsiders(u, callers.flat(), stranger);
  const out: Exposure[] = [];
  for (const [i, { t, policy }] of parsed.entries()) {
    const actions = actionsOf(t, policy, catalog);
    if (actions.length === 0) continue;
    const add = (audience: Audience, principal: string, r: Checked, extra: Partial<Exposure> = {}): void => {
      if (r.allowed.length === 0) return;
      const preconditions = r.preconditions.size > 0 ? conditionsOn(policy, r.preconditions) : [];
      out.push({
        resource: t.resource,
        policy: t.kind,
        audience,
        principal,
        actions: r.allowed,
        statements: r.statements,
        ...(preconditions.length > 0 ? { preconditions } : {}),
        ...extra,
        ...(t.file !== undefined ? { file: t.file } : {}),
        ...(t.line !== undefined ? { line: t.line } : {}),
      });
    };
    let pub = await publicAccess(world, t, actions, stranger, reason);
    // Through a public identity provider: the provider's own check below says it with the conditions met.
    if (pub !== undefined && pub.audience !== 'needs-review' && pub.audience !== 'any-identity') {
      add(pub.audience, pub.principal, pub.r);
      continue;
    }
    // What the semantic engine leaves undecided about a policy that lets outsiders in only through public identity
    // providers is decided by those providers' checks (an outsider's token carries its own repository, pool or app).
    if (pub?.audience === 'needs-review' && onlyThroughProviders(policy)) pub = undefined;
    const before = out.length;
    for (const c of callers[i] ?? []) {
      if (c.account !== undefined && u.accounts.has(c.account) && c.kind !== 'provider' && findPrincipal(u, c.principal) === undefined) continue;
      const r = check(world, t, c, c.principal, actions, reason.memo);
      const audience: Audience =
        c.publicProvider !== undefined ? 'any-identity' : c.account !== undefined && u.accounts.has(c.account) ? 'modelled-account' : 'external-account';
      add(audience, c.principal, r, c.publicProvider ? { who: c.publicProvider.anyone } : {});
      if (r.allowed.length > 0) continue;
      const reasons = [...r.unclear].map((k) => `${c.principal} is allowed if its request meets a condition on ${k}, which the audit cannot classify`);
      // Another account's SAML or OIDC provider issues whatever claims its owner wants, but the evaluator decides its
      // users as callers of that account (needing an identity policy they do not have): a person must look.
      if (c.kind === 'provider' && c.publicProvider === undefined) {
        reasons.push(`the policy trusts ${c.principal}, an identity provider of account ${c.account}: its owner decides who signs in through it`);
      }
      if (reasons.length > 0) add('needs-review', c.principal, { ...empty(), allowed: [...actions] }, { reasons });
    }
    // Through a public provider, the provider's check decides: it knows which claims an outsider cannot choose
    // (a repository owner, an identity pool), which the semantic engine takes as the caller's choice.
    const decided = pub?.audience === 'any-identity' && (callers[i] ?? []).some((c) => c.principal === pub?.principal);
    if (pub !== undefined && out.length === before && !decided) {
      add(pub.audience, pub.principal, pub.r, { ...(pub.reasons ? { reasons: pub.reasons } : {}), ...(pub.who ? { who: pub.who } : {}) });
    }
  }
  return out;
}
