/**
 * Which kind of policy a bare document is, read from its shape, for `iamsim lint FILE` without
 * `--policy-type`. The grammar differs per type (IAM User Guide, reference_policies_elements_principal:
 * identity-based policies take no Principal, resource-based and trust policies need one; Organizations
 * User Guide, orgs_manage_policies_rcps_syntax: an RCP's Principal is always "*" and its only Allow is
 * RCPFullAccess), so linting a trust or key policy as an identity policy reports grammar errors AWS would not.
 */
import { rcpSupported } from '../catalog/catalog.js';
import type { PolicyType } from '../policy/model.js';

export interface InferredPolicyType {
  readonly type: PolicyType;
  /** Why, in a few words: "every statement names a Principal and only role-assumption actions". */
  readonly reason: string;
}

/** Actions that only a role trust policy grants (id_roles_terms-and-concepts; reference_policies_elements_principal). */
const TRUST_ACTION = /^sts:(AssumeRole|AssumeRoleWithSAML|AssumeRoleWithWebIdentity|TagSession|SetSourceIdentity|SetContext)$/i;

/** Sids of the default key policies in the AWS KMS Developer Guide (key-policy-default). */
const KEY_POLICY_SID = /^(Enable IAM User Permissions|Allow access for Key Administrators|Allow use of the key|Allow attachment of persistent resources)/i;

type Obj = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function statementsOf(root: unknown): Obj[] | undefined {
  if (!isObject(root)) return undefined;
  const statements = list(root['Statement']);
  return statements.length > 0 && statements.every(isObject) ? (statements as Obj[]) : undefined;
}

/**
 * A document whose every statement names a principal, only trust actions and no resource is a role
 * trust policy: Access Analyzer validates trust policies under the RESOURCE_POLICY type without
 * MISSING_RESOURCE (AWS CLI reference: accessanalyzer validate-policy, its example).
 */
export function looksLikeTrustPolicy(root: unknown): boolean {
  const statements = statementsOf(root);
  return (
    statements?.every((st) => {
      const actions = list(st['Action']);
      return (
        st['Resource'] === undefined &&
        st['NotResource'] === undefined &&
        st['NotAction'] === undefined &&
        actions.length > 0 &&
        actions.every((a) => typeof a === 'string' && TRUST_ACTION.test(a))
      );
    }) ?? false
  );
}

const isStar = (v: unknown): boolean => v === '*' || (Array.isArray(v) && v.length === 1 && v[0] === '*');

/** Principal "*" (or {"AWS": "*"}), the only principal an RCP accepts. */
function everyone(st: Obj): boolean {
  const p = st['Principal'];
  return isStar(p) || (isObject(p) && Object.keys(p).length === 1 && isStar(p['AWS']));
}

/** The RCP shape: Principal "*" everywhere, Allow only as RCPFullAccess, Denies only on services RCPs apply to. */
function looksLikeRcp(statements: readonly Obj[]): boolean {
  return statements.every((st) => {
    if (!everyone(st) || st['NotPrincipal'] !== undefined) return false;
    if (st['Effect'] === 'Allow') return isStar(st['Action']) && isStar(st['Resource']) && st['Condition'] === undefined;
    const actions = list(st['Action'] ?? st['NotAction']);
    return (
      st['Effect'] === 'Deny' &&
      actions.length > 0 &&
      actions.every((a) => typeof a === 'string' && (a === '*' || rcpSupported(a.slice(0, Math.max(0, a.indexOf(':'))))))
    );
  });
}

/** The policy type a document's shape implies; identity when nothing else fits (or the document is unreadable). */
export function inferPolicyType(root: unknown): InferredPolicyType {
  const statements = statementsOf(root);
  if (statements === undefined) return { type: 'identity', reason: 'no readable statements' };
  const withPrincipal = statements.filter((s) => s['Principal'] !== undefined || s['NotPrincipal'] !== undefined);
  if (withPrincipal.length === 0) return { type: 'identity', reason: 'no statement names a Principal' };
  if (looksLikeTrustPolicy(root)) return { type: 'trust', reason: 'every statement names a Principal and only role-assumption actions, no Resource' };
  if (withPrincipal.length === statements.length && looksLikeRcp(statements)) {
    return { type: 'rcp', reason: 'Principal "*" in every statement, Allow only on "*" for "*", Denies on services RCPs apply to' };
  }
  const kms = statements.every((s) => list(s['Action'] ?? s['NotAction']).every((a) => typeof a === 'string' && /^kms:/i.test(a)));
  if (kms || statements.some((s) => typeof s['Sid'] === 'string' && KEY_POLICY_SID.test(s['Sid']))) {
    return { type: 'resource', reason: "a KMS key policy: its statements name a Principal and grant kms: actions or carry the default key policy's Sids" };
  }
  return { type: 'resource', reason: 'its statements name a Principal: a bucket, key, endpoint or other resource-based policy' };
}
