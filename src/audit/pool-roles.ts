/**
 * Roles an Amazon Cognito identity pool can hand out. An identity pool gives
 * its identities the credentials of its unauthenticated or authenticated
 * role by sts:AssumeRoleWithWebIdentity with a token Cognito issues: the
 * federated principal cognito-identity.amazonaws.com, the claim `aud` naming
 * the pool and `amr` saying "unauthenticated" or "authenticated" (Cognito
 * developer guide, "IAM roles" and "Role trust and permissions"; IAM User
 * Guide reference_policies_iam-condition-keys). Whoever can make a role a
 * pool's role (cognito-identity:SetIdentityPoolRoles, iam:PassRole with
 * iam:PassedToService cognito-identity.amazonaws.com) and get a token of the
 * pool becomes that role when the role's trust policy accepts such a token.
 *
 * The evaluator decides the trust policy for the pools it names in
 * `cognito-identity.amazonaws.com:aud` (pools of the account the audit cannot
 * list, assumed to exist) and for a pool it names nowhere; keys a token does
 * not carry (its `sub`, a session tag) stay absent, so a condition on them
 * does not hold.
 */
import type { Role } from '../account/model.js';
import type { Universe } from '../account/query.js';
import { parseModelPolicy } from '../account/parsed-policies.js';
import { contextOf, type AuditDecider } from './decide.js';
import { PUBLIC_PROVIDERS } from './callers.js';
import type { TrustIndex } from './trust-index.js';

export const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';
const AUD = `${COGNITO_IDENTITY}:aud`;
const AMR = `${COGNITO_IDENTITY}:amr`;
/** A pool id no policy names (the outsider's pool of callers.ts). */
const UNNAMED_POOL = PUBLIC_PROVIDERS.find((p) => p.host === COGNITO_IDENTITY)?.claims.aud ?? 'us-east-1:00000000-0000-4000-8000-000000000000';

/** Identity pool ids a trust policy's Allow statements name in `aud` conditions (exact values only), and an unnamed one. */
export function poolIds(u: Universe, role: Role): string[] {
  const policy = parseModelPolicy(u, role.trustPolicy, 'trust', `${role.name} trust policy`, true).policy;
  const out = new Set<string>();
  for (const st of policy?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    for (const c of st.conditions) if (c.key.toLowerCase() === AUD) for (const v of c.values) if (!/[*?$]/.test(v)) out.add(v);
  }
  out.add(UNNAMED_POOL);
  return [...out];
}

export class PoolRoles {
  private readonly cache = new Map<string, boolean>();

  constructor(
    private readonly d: AuditDecider,
    private readonly trust: TrustIndex,
  ) {}

  /** Whether an `amr` identity of some pool may assume the role (decided by the evaluator on its trust policy). */
  canAssume(role: Role, amr: 'unauthenticated' | 'authenticated'): boolean {
    const key = `${role.arn}\u0000${amr}`;
    let v = this.cache.get(key);
    if (v === undefined) {
      v =
        this.trust.mayTrustProvider(role.arn, COGNITO_IDENTITY) &&
        poolIds(this.d.universe, role).some(
          (aud) => this.d.decide(COGNITO_IDENTITY, 'sts:AssumeRoleWithWebIdentity', role.arn, contextOf({ [AUD]: aud, [AMR]: amr })).allowed,
        );
      this.cache.set(key, v);
    }
    return v;
  }
}
