/** Presentation helpers shared by the CLI and the console. */
import type { Fix } from './types.js';

/** Which policy a fix edits, in words. */
export function describePolicy(f: Pick<Fix, 'layer' | 'policyName' | 'target'>): string {
  switch (f.layer) {
    case 'identity':
      return /:policy\//.test(f.target) ? `managed policy ${f.policyName} (${f.target})` : `inline policy ${f.policyName} of ${f.target}`;
    case 'boundary':
      return `permissions boundary ${f.policyName} (${f.target})`;
    case 'trust':
      return `the trust policy of ${f.target}`;
    case 'resource':
      return `the ${f.target.includes(':kms:') ? 'key' : 'resource'} policy of ${f.target}`;
    case 'vpc-endpoint':
      return `the VPC endpoint policy of ${f.target}`;
    default:
      return `${f.layer.toUpperCase()} ${f.policyName} (attached to ${f.target})`;
  }
}
