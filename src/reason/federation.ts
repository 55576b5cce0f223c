/**
 * Web-identity federation in role trust policies, for public-access checks.
 * A trust policy that names a public identity provider lets *any* identity of
 * that provider call AssumeRoleWithWebIdentity, unless a condition on the
 * provider's identifying claims restricts it: the audience (app / client /
 * identity-pool id) or the subject (IAM User Guide,
 * reference_policies_iam-condition-keys.md "Available keys for
 * AWS web identity federation"; id_roles_providers_oidc.md). For GitHub
 * Actions the audience is chosen by the workflow (`sts.amazonaws.com` for
 * everyone), so only the subject identifies the repository
 * (access-analyzer-reference-policy-checks.md, "Missing github repo condition
 * key"). Identity providers an account runs itself (SAML providers, other
 * OIDC issuers such as an EKS cluster's) are not public.
 */
import type { PrincipalBlock } from '../policy/model.js';

/** Provider → the claim keys (condition-key suffixes) that tie a token to one tenant, app or subject. */
const PUBLIC_PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  'cognito-identity.amazonaws.com': ['aud', 'sub'],
  'accounts.google.com': ['aud', 'oaud', 'sub'],
  'graph.facebook.com': ['app_id', 'id'],
  'www.amazon.com': ['app_id', 'user_id'],
  'token.actions.githubusercontent.com': ['sub'],
};

const OIDC_ARN = /^arn:[^:]+:iam::\d{12}:oidc-provider\/(.+)$/;

/** The provider host of a Federated principal value, when it is one of the public providers. */
export function publicProvider(value: string): string | undefined {
  const host = (OIDC_ARN.exec(value)?.[1] ?? value).toLowerCase();
  return Object.hasOwn(PUBLIC_PROVIDERS, host) ? host : undefined;
}

/** Federated principals of the blocks whose provider anyone can get a token from (as caller ids). */
export function publicFederatedCallers(blocks: readonly PrincipalBlock[]): string[] {
  const out = new Set<string>();
  for (const b of blocks) {
    if (b.wildcard) continue;
    for (const v of b.values.Federated ?? []) if (publicProvider(v) !== undefined) out.add(v);
  }
  return [...out];
}

/** Condition keys that identify a federated caller of a public provider (an outsider cannot choose their values). */
export const FEDERATION_KEYS: readonly string[] = Object.entries(PUBLIC_PROVIDERS).flatMap(([host, claims]) => claims.map((c) => `${host}:${c}`));
