/** Pure edits of the account model, as IAM's write APIs make them (validated as IAM validates them). */
export * from './entities.js';
export * from './policies.js';
export { EditError, QUOTAS, checkPolicyDocument, documentSize, type EditErrorCode } from './rules.js';
