/**
 * IAM's validation of API writes (IAM User Guide, "IAM and AWS STS quotas,
 * name requirements, and character limits"; IAM API reference parameter
 * constraints): names, paths, tags, policy documents and size quotas.
 */
import { parsePolicy } from '../../policy/parse.js';
import type { PolicyType } from '../../policy/model.js';
import { policySize } from '../../policy/quota.js';
import type { Tag } from '../model.js';

export type EditErrorCode =
  | 'NoSuchEntity'
  | 'EntityAlreadyExists'
  | 'MalformedPolicyDocument'
  | 'LimitExceeded'
  | 'DeleteConflict'
  | 'ValidationError'
  | 'InvalidInput'
  | 'UnmodifiableEntity'
  | 'PasswordPolicyViolation'
  | 'MalformedCertificate'
  | 'KeyPairMismatch';

/** A write IAM would refuse, with IAM's error code. */
export class EditError extends Error {
  constructor(
    readonly code: EditErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const QUOTAS = {
  /** Characters, whitespace outside strings not counted. */
  managedPolicySize: 6144,
  trustPolicySize: 2048,
  inlineAggregate: { user: 2048, group: 5120, role: 10240 },
  attachedPolicies: 10,
  policyVersions: 5,
  tags: 50,
  groupsPerUser: 10,
} as const;

const NAME = /^[\w+=,.@-]+$/;
const INLINE_NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;
const POLICY_CHARS = /^[\t\n\r\u0020-\u00FF]*$/;

function validation(field: string, value: string, constraint: string): EditError {
  return new EditError('ValidationError', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`);
}

export function checkName(field: string, value: string, max: number): void {
  if (value.length < 1 || value.length > max) throw validation(field, value, `Member must have length less than or equal to ${max}`);
  if (!NAME.test(value)) throw validation(field, value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
}

export function checkInlinePolicyName(value: string): void {
  if (value.length < 1 || value.length > 128) throw validation('policyName', value, 'Member must have length less than or equal to 128');
  if (!INLINE_NAME.test(value)) throw validation('policyName', value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
}

export function checkPath(value: string, field = 'path'): void {
  if (value.length > 512 || !PATH.test(value))
    throw validation(field, value, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
}

/** IAM API Reference, Tag: Key `[\p{L}\p{Z}\p{N}_.:/=+\-@]+` (1–128), Value `[\p{L}\p{Z}\p{N}_.:/=+\-@]*` (0–256). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * The tags of one call: lengths and characters as the Tag type documents;
 * keys are case-insensitive (no two in one call), and the `aws:` prefix is
 * AWS's own (IAM User Guide, "Tagging IAM resources": tag naming rules).
 */
export function checkTags(tags: readonly { key: string; value: string }[], existing: number): void {
  const seen = new Set<string>();
  tags.forEach((t, i) => {
    const at = `tags.${i + 1}.member`;
    if (t.key.length < 1 || t.key.length > 128) throw validation(`${at}.key`, t.key, 'Member must have length less than or equal to 128');
    if (!TAG_CHARS.test(t.key)) throw validation(`${at}.key`, t.key, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    if (t.value.length > 256) throw validation(`${at}.value`, t.value, 'Member must have length less than or equal to 256');
    if (!TAG_CHARS.test(t.value)) throw validation(`${at}.value`, t.value, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    if (t.key.toLowerCase().startsWith('aws:')) throw new EditError('InvalidInput', `User-defined tag keys can't start with 'aws:': ${t.key}`);
    const lower = t.key.toLowerCase();
    if (seen.has(lower)) throw new EditError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(lower);
  });
  if (existing > QUOTAS.tags) throw new EditError('LimitExceeded', `Cannot exceed quota for TagsPerEntity: ${QUOTAS.tags}`);
}

/** `existing` with `tags` added: keys are case-insensitive, so a new value for `Team` replaces `team`'s (TagRole, TagPolicy, …). */
export function mergeTags(existing: readonly Tag[], tags: readonly Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.key.toLowerCase(), t] as const));
  checkTags(tags, 0);
  for (const t of tags) byKey.set(t.key.toLowerCase(), t);
  checkTags([], byKey.size);
  return [...byKey.values()];
}

/** `existing` without the keys named (case-insensitive; a key it lacks is no error: UntagRole, UntagPolicy, …). */
export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const lower = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !lower.has(t.key.toLowerCase()));
}

/** Characters counted toward IAM's size quotas (whitespace outside strings excluded). */
export function documentSize(text: string): number {
  return policySize(JSON.parse(text));
}

/**
 * Parses a policy document as IAM's write APIs do: allowed characters, JSON,
 * the grammar for its type (identity, trust…). Returns the size that counts
 * toward quotas.
 */
export function checkPolicyDocument(text: string, type: PolicyType, field = 'policyDocument'): number {
  if (text.length < 1 || text.length > 131072) throw validation(field, text.slice(0, 40), 'Member must have length less than or equal to 131072');
  if (!POLICY_CHARS.test(text))
    throw validation(field, text.slice(0, 40), 'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+');
  const { diagnostics } = parsePolicy(text, { type, name: field });
  const error = diagnostics.find((d) => d.severity === 'error');
  if (error !== undefined) throw new EditError('MalformedPolicyDocument', error.message);
  return documentSize(text);
}

export function checkTrustPolicy(text: string): void {
  const size = checkPolicyDocument(text, 'trust', 'assumeRolePolicyDocument');
  if (size > QUOTAS.trustPolicySize) throw new EditError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${QUOTAS.trustPolicySize}`);
}

export function checkManagedPolicyDocument(text: string): void {
  const size = checkPolicyDocument(text, 'identity');
  if (size > QUOTAS.managedPolicySize) throw new EditError('LimitExceeded', `Cannot exceed quota for PolicySize: ${QUOTAS.managedPolicySize}`);
}
