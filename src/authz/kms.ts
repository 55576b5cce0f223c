/**
 * AWS KMS: every key has a key policy, and no principal can use a key unless
 * the key policy allows it, directly or by letting the account's IAM policies
 * grant access (AWS KMS Developer Guide, "Key policies in AWS KMS"). When the
 * model holds no key policy for the key a request names, a decision taken
 * from IAM policies alone may differ from KMS's: the result says so.
 */
import { parseArn } from '../primitives/arn.js';

/** A warning for a KMS request on a key whose key policy is not in the model; undefined otherwise. */
export function keyPolicyWarning(action: string, resource: string, hasResourcePolicy: boolean): string | undefined {
  if (hasResourcePolicy || !action.toLowerCase().startsWith('kms:')) return undefined;
  const arn = parseArn(resource);
  if (arn === undefined || arn.service !== 'kms' || !arn.resource.startsWith('key/')) return undefined;
  return (
    `no key policy for ${resource} is in the model: AWS KMS denies unless the key policy allows the request ` +
    '(directly, or by enabling IAM policies for the account); this decision comes from IAM policies alone. ' +
    'Import the key policy (aws kms get-key-policy --key-id KEY --policy-name default) to decide it as KMS does.'
  );
}
