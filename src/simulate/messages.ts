/**
 * Templates of simulate-input messages (diagnostics/message.ts) that a surface
 * words its own way beyond naming members: the browser console words these
 * with its own sentence (web/plain.ts), keyed by the template.
 */

/** An identity, boundary or session policy list given for a caller that has no identity-based policies. */
export const CALLER_LISTS_TEMPLATE =
  '{f:field} has no effect when {f:caller} is {callerQuoted}: a {kind} has no identity-based policies; give an empty list or an IAM {f:caller}';
