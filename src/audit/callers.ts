/**
 * Who an exposure check asks about, beyond the anonymous caller and a
 * stranger: every principal a trust or resource policy names in another
 * account, in the exact form it is named (an account, a user, a role, a
 * session), and the identities of the web identity and SAML providers it
 * trusts, as an outsider would present them. Which request-context keys such
 * a caller sets itself (satisfiable conditions) and which identify it
 * (restricting conditions) is decided here too.
 *
 * Sources: IAM User Guide reference_policies_elements_principal (principal
 * forms), id_roles_create_for-idp_oidc and id_roles_providers_create_oidc
 * (GitHub's `sub` names the repository; AWS requires conditions on it),
 * reference_policies_iam-condition-keys (web identity and SAML keys,
 * sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity, session tags),
 * the Cognito developer guide "IAM roles" page (cognito-identity.amazonaws.com:aud
 * is the identity pool, :amr says authenticated or unauthenticated), and
 * access-analyzer-reference-filter-keys (the identifying keys, RESTRICTING_KEYS).
 */
import type { ContextValue } from '../eval/request.js';
import { parseArn } from '../primitives/arn.js';
import type { Policy } from '../policy/model.js';
import { RESTRICTING_KEYS } from '../reason/index.js';

export type CallerKind = 'account' | 'principal' | 'provider';

export interface NamedCaller {
  /** The principal the request is made as (an ARN, or a provider name such as cognito-identity.amazonaws.com). */
  readonly principal: string;
  /** The account that controls the caller (undefined for the public identity providers). */
  readonly account: string | undefined;
  readonly kind: CallerKind;
  /** For providers: the identity provider whose users anyone can become (GitHub, Cognito, Google…), else undefined. */
  readonly publicProvider?: PublicProvider;
  /** Claims an outsider's token carries (its own repository, identity pool, app), for providers. */
  readonly context?: ReadonlyMap<string, ContextValue>;
}

export interface PublicProvider {
  /** The provider's name as principals and condition keys spell it. */
  readonly host: string;
  /** Who the outsider is, for messages ("any GitHub repository"). */
  readonly anyone: string;
  /** The claims of an outsider's token: values only the outsider's own repository, pool or app has. */
  readonly claims: Readonly<Record<string, string>>;
  /** Claims whose value the outsider picks (authenticated or not, its own audience). */
  readonly chosen: readonly string[];
}

const OUTSIDER = 'iamsim-audit-outsider';

/** Web identity providers anyone can get a token from, for a repository, identity pool or app they own. */
export const PUBLIC_PROVIDERS: readonly PublicProvider[] = [
  {
    host: 'token.actions.githubusercontent.com',
    anyone: 'any GitHub Actions workflow of any repository',
    claims: {
      sub: `repo:${OUTSIDER}/probe:ref:refs/heads/main`,
      repository: `${OUTSIDER}/probe`,
      repository_owner: OUTSIDER,
      actor: OUTSIDER,
      job_workflow_ref: `${OUTSIDER}/probe/.github/workflows/probe.yml@refs/heads/main`,
    },
    // The workflow asks for its token's audience (core.getIDToken(audience)); sts.amazonaws.com by default.
    chosen: ['aud'],
  },
  {
    host: 'cognito-identity.amazonaws.com',
    anyone: 'any Amazon Cognito identity pool',
    claims: { aud: 'us-east-1:00000000-0000-4000-8000-000000000000', sub: 'us-east-1:00000000-0000-4000-8000-000000000001' },
    chosen: ['amr'],
  },
  {
    host: 'accounts.google.com',
    anyone: 'any Google application',
    claims: { aud: `${OUTSIDER}.apps.googleusercontent.com`, sub: '0', oaud: OUTSIDER },
    chosen: [],
  },
  { host: 'graph.facebook.com', anyone: 'any Facebook application', claims: { app_id: '0', id: '0' }, chosen: [] },
  { host: 'www.amazon.com', anyone: 'any Login with Amazon application', claims: { app_id: OUTSIDER, user_id: OUTSIDER }, chosen: [] },
];

function providerOf(federated: string): PublicProvider | undefined {
  const arn = parseArn(federated);
  const name = arn?.service === 'iam' && arn.resource.startsWith('oidc-provider/') ? arn.resource.slice('oidc-provider/'.length) : federated;
  return PUBLIC_PROVIDERS.find((p) => p.host === name.toLowerCase());
}

function claimsContext(p: PublicProvider): Map<string, ContextValue> {
  return new Map(
    Object.entries(p.claims).map(([claim, v]) => {
      const key = `${p.host}:${claim}`;
      return [key.toLowerCase(), { key, type: 'string', values: [v], multivalued: false }] as const;
    }),
  );
}

/** Callers of other accounts and identity providers a policy's Allow statements name (never its owner's own principals). */
export function namedCallers(policy: Policy | undefined, owner: string | undefined): NamedCaller[] {
  const out = new Map<string, NamedCaller>();
  const add = (c: NamedCaller): void => {
    if (!out.has(c.principal)) out.set(c.principal, c);
  };
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow' || st.principal === undefined || st.principal.wildcard) continue;
    for (const v of st.principal.values.AWS ?? []) {
      if (v === '*') continue;
      if (/^\d{12}$/.test(v)) {
        if (v !== owner) add({ principal: `arn:aws:iam::${v}:root`, account: v, kind: 'account' });
        continue;
      }
      const arn = parseArn(v);
      if (arn === undefined || !/^\d{12}$/.test(arn.account) || arn.account === owner) continue;
      add({ principal: v, account: arn.account, kind: arn.resource === 'root' ? 'account' : 'principal' });
    }
    for (const v of st.principal.values.Federated ?? []) {
      const pub = providerOf(v);
      if (pub !== undefined) {
        add({ principal: v, account: parseArn(v)?.account, kind: 'provider', publicProvider: pub, context: claimsContext(pub) });
        continue;
      }
      // The account's own SAML or OIDC provider is its own identity store; another account's is that account's.
      const account = parseArn(v)?.account;
      if (account !== undefined && /^\d{12}$/.test(account) && account !== owner) add({ principal: v, account, kind: 'provider' });
    }
  }
  return [...out.values()];
}

/** Keys every caller sets on its own request (its session, its tags, its MFA sign-in): a condition on them holds when the caller wants it to. */
const CALLER_SET = new Set(
  [
    'sts:ExternalId',
    'sts:RoleSessionName',
    'sts:SourceIdentity',
    'sts:TransitiveTagKeys',
    'aws:TagKeys',
    'aws:MultiFactorAuthPresent',
    'aws:MultiFactorAuthAge',
    'aws:SourceIp',
    'aws:SecureTransport',
    'aws:RequestedRegion',
    'aws:UserAgent',
    'aws:Referer',
  ].map((k) => k.toLowerCase()),
);
const CALLER_SET_PREFIXES = ['aws:requesttag/', 'aws:principaltag/'];

/** Keys that say who the caller is or where the request comes from: a condition on them keeps an outsider out. */
const IDENTIFYING = new Set(
  [
    ...RESTRICTING_KEYS,
    'aws:PrincipalIsAWSService',
    'aws:PrincipalServiceName',
    'aws:PrincipalServiceNamesList',
    'aws:PrincipalType',
    'aws:username',
    'aws:FederatedProvider',
    'aws:ViaAWSService',
    'aws:CalledVia',
    'aws:CalledViaFirst',
    'aws:CalledViaLast',
    'aws:ResourceAccount',
    'aws:ResourceOrgID',
    'aws:ResourceOrgPaths',
  ].map((k) => k.toLowerCase()),
);

export type KeyClass = 'caller-set' | 'identifying' | 'unknown';

/**
 * How a request-context key the caller's request lacked bears on whether the
 * caller can meet a condition: it sets it itself, it identifies the caller (an
 * outsider's value never matches what the policy names), or the audit cannot
 * tell (the exposure then needs review).
 */
export function keyClass(key: string, caller: NamedCaller): KeyClass {
  const k = key.toLowerCase();
  if (CALLER_SET.has(k) || CALLER_SET_PREFIXES.some((p) => k.startsWith(p))) return 'caller-set';
  if (IDENTIFYING.has(k)) return 'identifying';
  const colon = k.indexOf(':');
  const prefix = k.slice(0, colon);
  const pub = caller.publicProvider;
  if (pub !== undefined && prefix === pub.host) return pub.chosen.includes(k.slice(colon + 1)) ? 'caller-set' : 'identifying';
  // Another account's identity provider issues whatever claims its owner wants.
  if (caller.kind === 'provider' && pub === undefined) {
    const arn = parseArn(caller.principal);
    const host = arn?.resource.startsWith('saml-provider/') ? 'saml' : arn?.resource.slice('oidc-provider/'.length).toLowerCase();
    if (prefix === host || (host !== undefined && k.startsWith(`${host}:`))) return 'caller-set';
  }
  if (PUBLIC_PROVIDERS.some((p) => p.host === prefix) || prefix === 'saml' || /^(oidc|[a-z0-9.-]+\.[a-z]{2,})$/.test(prefix)) return 'identifying';
  return 'unknown';
}
