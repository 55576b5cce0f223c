/**
 * The account's IAM resources other than principals and managed policies —
 * instance profiles, OIDC and SAML identity providers, users' access keys
 * (metadata only), login profiles and virtual MFA devices, server
 * certificates — as rows of the
 * stores' `iam_resources` table (one JSON document per resource, by kind),
 * so both stores write and read them the same way.
 */
import type { Account } from './model.js';

/** Each kind's account field and the key of a row (unique in the account: an ARN, or an access key's id). */
const KINDS = {
  'instance-profile': { field: 'instanceProfiles', key: (x: { arn: string }) => x.arn },
  'oidc-provider': { field: 'oidcProviders', key: (x: { arn: string }) => x.arn },
  'saml-provider': { field: 'samlProviders', key: (x: { arn: string }) => x.arn },
  'access-key': { field: 'accessKeys', key: (x: { accessKeyId: string }) => x.accessKeyId },
  'login-profile': { field: 'loginProfiles', key: (x: { userName: string }) => `login-profile/${x.userName}` },
  'virtual-mfa-device': { field: 'virtualMfaDevices', key: (x: { serialNumber: string }) => x.serialNumber },
  'server-certificate': { field: 'serverCertificates', key: (x: { arn: string }) => x.arn },
} as const;

export type IamResourceKind = keyof typeof KINDS;
type ResourceField = (typeof KINDS)[IamResourceKind]['field'];

/** The kinds the store's `iam_resources.kind` CHECK constraint allows (migrations.ts). */
export const IAM_RESOURCE_KINDS = Object.keys(KINDS) as IamResourceKind[];

export interface IamResourceRow {
  readonly kind: IamResourceKind;
  /** The row's key in the account (the column is named `arn`: an ARN, or an access key's id, or `login-profile/USER`). */
  readonly arn: string;
  readonly data: string;
}

/** The rows of an account's IAM resources. */
export function iamResourceRows(a: Account): IamResourceRow[] {
  return IAM_RESOURCE_KINDS.flatMap((kind) => {
    const { field, key } = KINDS[kind];
    const list = (a[field] ?? []) as readonly never[];
    return list.map((x) => ({ kind, arn: (key as (x: never) => string)(x), data: JSON.stringify(x) }));
  });
}

/** The account fields read back from its rows (absent fields for kinds it has none of, so an account without any reads as before). */
export function iamResourceFields(rows: readonly { kind: string; data: string }[]): Pick<Account, ResourceField> {
  const out: Partial<Record<ResourceField, unknown[]>> = {};
  for (const kind of IAM_RESOURCE_KINDS) {
    const list = rows.filter((r) => r.kind === kind).map((r) => JSON.parse(r.data) as unknown);
    if (list.length > 0) out[KINDS[kind].field] = list;
  }
  return out as Pick<Account, ResourceField>;
}
