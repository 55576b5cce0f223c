/**
 * Global condition keys by when AWS puts them in the request context, as the
 * IAM User Guide's global condition keys page says under each key's
 * "Availability" (reference_policies_condition-keys.md). One table for every
 * module that must not treat such a key as possibly absent (discovery never
 * proposes "absent" for them) or that fills them into a realistic request.
 */

/** "Always included in the request context" / "included … for all requests, including anonymous requests". */
export const ALWAYS_PRESENT_KEYS: ReadonlySet<string> = new Set(
  [
    'aws:CurrentTime',
    'aws:EpochTime',
    'aws:PrincipalAccount',
    'aws:PrincipalType',
    'aws:RequestedRegion',
    'aws:SecureTransport',
    'aws:UserAgent',
    'aws:userid',
    'aws:ViaAWSService',
  ].map((k) => k.toLowerCase()),
);

/** "Included in the request context for all signed requests; anonymous requests do not include this key". */
export const SIGNED_REQUEST_KEYS: ReadonlySet<string> = new Set(['aws:PrincipalArn', 'aws:PrincipalIsAWSService'].map((k) => k.toLowerCase()));

/** True for a key AWS includes in every request context (any case). */
export function alwaysPresent(key: string): boolean {
  return ALWAYS_PRESENT_KEYS.has(key.toLowerCase());
}
