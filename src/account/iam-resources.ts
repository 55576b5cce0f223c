/**
 * The account's IAM resources other than principals and managed policies —
 * instance profiles, OIDC and SAML identity providers — as rows of the
 * stores' `iam_resources` table (one JSON document per resource, by kind),
 * so both stores write and read them the same way.
 */
import type { Account, InstanceProfile, OidcProvider, SamlProvider } from './model.js';

export type IamResourceKind = 'instance-profile' | 'oidc-provider' | 'saml-provider';

export interface IamResourceRow {
  readonly kind: IamResourceKind;
  readonly arn: string;
  readonly data: string;
}

/** The rows of an account's IAM resources. */
export function iamResourceRows(a: Account): IamResourceRow[] {
  return [
    ...(a.instanceProfiles ?? []).map((x) => ({ kind: 'instance-profile' as const, arn: x.arn, data: JSON.stringify(x) })),
    ...(a.oidcProviders ?? []).map((x) => ({ kind: 'oidc-provider' as const, arn: x.arn, data: JSON.stringify(x) })),
    ...(a.samlProviders ?? []).map((x) => ({ kind: 'saml-provider' as const, arn: x.arn, data: JSON.stringify(x) })),
  ];
}

/** The account fields read back from its rows (absent fields for kinds it has none of, so an account without any reads as before). */
export function iamResourceFields(rows: readonly { kind: string; data: string }[]): Pick<Account, 'instanceProfiles' | 'oidcProviders' | 'samlProviders'> {
  const of = <T>(kind: IamResourceKind): T[] => rows.filter((r) => r.kind === kind).map((r) => JSON.parse(r.data) as T);
  const ip = of<InstanceProfile>('instance-profile');
  const oidc = of<OidcProvider>('oidc-provider');
  const saml = of<SamlProvider>('saml-provider');
  return {
    ...(ip.length > 0 ? { instanceProfiles: ip } : {}),
    ...(oidc.length > 0 ? { oidcProviders: oidc } : {}),
    ...(saml.length > 0 ? { samlProviders: saml } : {}),
  };
}
