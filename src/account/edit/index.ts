/** Pure edits of the account model, as IAM's write APIs make them (validated as IAM validates them). */
export * from './entities.js';
export * from './policies.js';
export * from './instance-profiles.js';
export * from './providers.js';
export { EditError, QUOTAS, checkPolicyDocument, documentSize, type EditErrorCode } from './rules.js';
export * from './credentials.js';
export * from './server-certificates.js';
