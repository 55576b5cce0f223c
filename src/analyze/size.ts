/**
 * Policy size quotas (IAM User Guide: reference_policies_grammar, "Policies have a
 * maximum size between 2048 characters and 10,240 characters … Policy size
 * calculations do not include white space characters"; access-analyzer-reference-
 * policy-checks, "Policy size exceeds … quota": 6,144 characters for a managed
 * policy; Organizations guide: SCP and RCP syntax pages count every character
 * against the 5,120-character maximum, white space outside quotation marks
 * being removable). A document far over its quota is invalid anyway: lint says
 * so first and skips the other checks, which keeps it fast on any input.
 */
import type { PolicyType } from '../policy/model.js';
import type { IssueCode } from './registry.js';

interface Quota {
  readonly code: IssueCode;
  readonly limit: number;
  readonly what: string;
}

const QUOTAS: Partial<Record<PolicyType, Quota>> = {
  identity: { code: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA', limit: 6144, what: "managed policy (a role's inline policies may total 10,240)" },
  boundary: { code: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA', limit: 6144, what: 'managed policy used as a permissions boundary' },
  trust: { code: 'POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA', limit: 2048, what: 'role trust policy (default quota; it can be raised to 4,096)' },
  scp: { code: 'POLICY_SIZE_EXCEEDS_SCP_QUOTA', limit: 5120, what: 'service control policy' },
  rcp: { code: 'POLICY_SIZE_EXCEEDS_RCP_QUOTA', limit: 5120, what: 'resource control policy' },
};

/** Beyond this many times its quota a document is only reported, not analysed further. */
export const SKIP_FACTOR = 8;

/** Characters IAM counts: everything but white space (and documentation-style comments) outside string literals. */
export function policySize(text: string): number {
  let size = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      size++;
      if (c === 92 /* \ */) {
        size++;
        i++;
      } else if (c === 34) inString = false;
    } else if (c === 34 /* " */) {
      size++;
      inString = true;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++; // a comment (lenient JSON) is not policy text
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) size++;
  }
  return size;
}

export interface SizeCheck {
  readonly code: IssueCode;
  readonly message: string;
  /** True when the document is so far over its quota that the other checks are skipped. */
  readonly skipRest: boolean;
}

/** The quota finding for a document of this type, if it is over its quota. */
export function checkSize(text: string, type: PolicyType): SizeCheck | undefined {
  const quota = QUOTAS[type];
  if (quota === undefined) return undefined;
  const size = policySize(text);
  if (size <= quota.limit) return undefined;
  const skipRest = size > quota.limit * SKIP_FACTOR;
  return {
    code: quota.code,
    message:
      `The ${size} characters of this policy, excluding white space, exceed the ${quota.limit}-character maximum for a ${quota.what}; split it into several policies` +
      (skipRest ? `. It is more than ${SKIP_FACTOR} times the quota, so no other check was run` : ''),
    skipRest,
  };
}
