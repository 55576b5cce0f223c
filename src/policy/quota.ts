/** IAM's policy size quotas (IAM User Guide: IAM and AWS STS quotas). */

/**
 * Characters that count toward IAM's policy size quotas: whitespace outside
 * strings does not count (IAM User Guide: IAM and AWS STS quotas).
 */
export function policySize(doc: unknown): number {
  return JSON.stringify(doc).length;
}

/** Customer managed policy size quota (IAM User Guide: IAM and AWS STS quotas). */
export const MANAGED_POLICY_SIZE_LIMIT = 6144;
