/**
 * Who is calling, and how a Principal / NotPrincipal block names them.
 * Pages: reference_policies_elements_principal.md,
 * reference_policies_evaluation-logic.md (resource-based policies and principal types).
 */
import type { PrincipalBlock } from '../policy/model.js';

export type CallerKind =
  | 'user'
  | 'role-session'
  | 'federated-user'
  | 'root'
  | 'role' // a role ARN used as caller (simulator convenience: treated as a session of that role)
  | 'service'
  | 'anonymous'
  // An Amazon S3 canonical user ID or a CloudFront origin access identity: principals outside IAM with no
  // identity-based policies; only a resource-based policy can grant them (AmazonS3 private-content docs).
  | 'canonical-user'
  | 'unspecified';

export interface Caller {
  readonly kind: CallerKind;
  /** As given (ARN, service principal, 'anonymous'), or undefined. */
  readonly id: string | undefined;
  readonly partition?: string;
  readonly account?: string;
  /** For role sessions and role callers: the role's name (path unknown for sessions). */
  readonly roleName?: string;
  /** For federated-user sessions: the IAM user name that federated (the session name). */
  readonly federatedName?: string;
}

/**
 * How an Allow statement's principal element matched the caller. The kind
 * decides whether a resource-based policy grant stands on its own
 * (reference_policies_evaluation-logic.md, "Resource-based policies").
 */
export type PrincipalMatch =
  | 'wildcard' // "*" or {"AWS": "*"}
  | 'account' // account id or account root ARN: delegates to the account's identity policies
  | 'user' // the IAM user's ARN
  | 'role' // the role's ARN (caller is a session of that role)
  | 'session' // the exact assumed-role session ARN
  | 'federated-user' // the federated user session ARN
  | 'service'
  | 'federated'
  | 'canonical-user'
  | 'not-principal'; // matched because the caller is NOT listed in NotPrincipal

const ARN_RE = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/;
/** A CloudFront origin access identity as an AWS principal (Amazon CloudFront Developer Guide, private-content-restricting-access-to-s3). */
const CLOUDFRONT_OAI_RE = /^arn:aws[a-z-]*:iam::cloudfront:user\/CloudFront Origin Access Identity [A-Z0-9]+$/;
const CANONICAL_ID_RE = /^[0-9a-f]{64}$/;

export function classifyCaller(id: string | undefined): Caller {
  if (id === undefined || id === '') return { kind: 'unspecified', id: undefined };
  if (id === 'anonymous' || id === '*') return { kind: 'anonymous', id };
  if (CANONICAL_ID_RE.test(id) || CLOUDFRONT_OAI_RE.test(id)) return { kind: 'canonical-user', id };
  if (!id.startsWith('arn:')) {
    if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(id) || /^[a-z0-9-]+\.amazon\.com$/i.test(id)) {
      return { kind: 'service', id };
    }
    return { kind: 'unspecified', id };
  }
  const m = ARN_RE.exec(id);
  if (!m) return { kind: 'unspecified', id };
  const [, partition = 'aws', service, account = '', rest = ''] = m;
  if (service === 'iam') {
    if (rest === 'root') return { kind: 'root', id, partition, account };
    if (rest.startsWith('user/')) return { kind: 'user', id, partition, account };
    if (rest.startsWith('role/')) {
      const name = rest.slice(rest.lastIndexOf('/') + 1);
      return { kind: 'role', id, partition, account, roleName: name };
    }
    return { kind: 'unspecified', id, partition, account };
  }
  if (rest.startsWith('assumed-role/')) {
    const parts = rest.split('/');
    return { kind: 'role-session', id, partition, account, roleName: parts[1] ?? '' };
  }
  if (rest.startsWith('federated-user/')) {
    return { kind: 'federated-user', id, partition, account, federatedName: rest.slice('federated-user/'.length) };
  }
  return { kind: 'unspecified', id, partition, account };
}

/** True for callers whose own identity-based policies, boundary, session policies and SCPs apply. */
export function isIamPrincipal(c: Caller): boolean {
  return c.kind === 'user' || c.kind === 'role-session' || c.kind === 'role' || c.kind === 'federated-user' || c.kind === 'root' || c.kind === 'unspecified';
}

/** Matches one value of an `AWS` principal entry against the caller. */
function matchAwsValue(value: string, c: Caller): PrincipalMatch | undefined {
  if (value === '*') return 'wildcard';
  if (CLOUDFRONT_OAI_RE.test(value)) return c.kind === 'canonical-user' && c.id === value ? 'canonical-user' : undefined;
  if (c.account === undefined) return undefined;
  if (/^\d{12}$/.test(value)) return value === c.account ? 'account' : undefined;
  const m = ARN_RE.exec(value);
  if (!m) return undefined;
  const [, partition, service, account, rest = ''] = m;
  if (account !== c.account || partition !== c.partition) return undefined;
  if (service === 'iam') {
    if (rest === 'root') return 'account';
    if (rest.startsWith('user/')) return c.kind === 'user' && value === c.id ? 'user' : undefined;
    if (rest.startsWith('role/')) {
      // A role principal applies to sessions of that role; role paths are not part of session ARNs.
      const name = rest.slice(rest.lastIndexOf('/') + 1);
      if ((c.kind === 'role-session' || c.kind === 'role') && c.roleName === name) return 'role';
      return undefined;
    }
    return undefined;
  }
  // sts
  if (rest.startsWith('assumed-role/')) return c.kind === 'role-session' && value === c.id ? 'session' : undefined;
  if (rest.startsWith('federated-user/')) return c.kind === 'federated-user' && value === c.id ? 'federated-user' : undefined;
  return undefined;
}

/** Strength order used when several values match: the most specific match decides. */
const RANK: Record<PrincipalMatch, number> = {
  'not-principal': 0,
  wildcard: 1,
  account: 2,
  role: 3,
  federated: 4,
  'canonical-user': 4,
  service: 5,
  user: 6,
  'federated-user': 6,
  session: 7,
};

/** True for an AWS principal value naming a CloudFront origin access identity. */
export function isCloudFrontOai(value: string): boolean {
  return CLOUDFRONT_OAI_RE.test(value);
}

/** Returns the best match of the caller against a Principal block, or undefined. */
export function matchPrincipalBlock(block: PrincipalBlock, c: Caller): PrincipalMatch | undefined {
  if (block.wildcard) return 'wildcard';
  let best: PrincipalMatch | undefined;
  const consider = (m: PrincipalMatch | undefined): void => {
    if (m !== undefined && (best === undefined || RANK[m] > RANK[best])) best = m;
  };
  for (const v of block.values.AWS ?? []) consider(matchAwsValue(v, c));
  for (const v of block.values.Service ?? []) {
    if (v === '*') consider('wildcard');
    else if (c.kind === 'service' && c.id !== undefined && v.toLowerCase() === c.id.toLowerCase()) consider('service');
  }
  for (const v of block.values.Federated ?? []) {
    if (v === '*') consider('wildcard');
    else if (c.id !== undefined && v === c.id) consider('federated');
  }
  for (const v of block.values.CanonicalUser ?? []) {
    if (v === '*') consider('wildcard');
    else if (c.id !== undefined && v === c.id) consider('canonical-user');
  }
  return best;
}

/**
 * NotPrincipal: the statement applies to every caller not listed. An account
 * (id or root ARN) listed there exempts only the account principal itself,
 * not the users and roles in it: the page's example lists a user together
 * with its account's root, and denies every other principal of that account
 * (reference_policies_elements_notprincipal.md).
 */
export function matchNotPrincipalBlock(block: PrincipalBlock, c: Caller): PrincipalMatch | undefined {
  const m = matchPrincipalBlock(block, c);
  if (m === undefined) return 'not-principal';
  if (m === 'account' && c.kind !== 'root') return 'not-principal';
  return undefined;
}

/** `arn:aws:iam::123456789012:root` or `123456789012` → account id. */
export function accountOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length === 12 && /^\d{12}$/.test(value)) return value;
  // arn:partition:service:region:account:resource — the fifth field, without splitting.
  let idx = -1;
  for (let i = 0; i < 4; i++) {
    idx = value.indexOf(':', idx + 1);
    if (idx < 0) return undefined;
  }
  const end = value.indexOf(':', idx + 1);
  if (end - idx !== 13) return undefined;
  const acct = value.slice(idx + 1, end);
  return /^\d{12}$/.test(acct) ? acct : undefined;
}
