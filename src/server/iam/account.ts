/** Which account an IAM call acts in, and IAM's errors for a model lookup. */
import type { Account } from '../../account/model.js';
import { EditError } from '../../account/edit/rules.js';
import { parseArn } from '../../primitives/arn.js';
import { ApiError } from '../errors.js';
import type { RequestContext } from '../types.js';

/** HTTP status of each IAM error code (IAM API reference, Common Errors and per-action errors). */
const STATUS: Record<string, number> = {
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
  MalformedPolicyDocument: 400,
  ValidationError: 400,
  InvalidInput: 400,
  UnmodifiableEntity: 400,
  PasswordPolicyViolation: 400,
  MalformedCertificate: 400,
  KeyPairMismatch: 400,
};

export function toApiError(e: EditError): ApiError {
  return new ApiError(STATUS[e.code] ?? 400, e.code, e.message);
}

/** The key's account (aws_account_id), else serve's --account-id, else the model's only account. */
export function callerAccountId(ctx: RequestContext): string {
  const id = ctx.caller.accountId ?? ctx.defaultAccountId;
  if (id !== undefined) return id;
  const ids = [...ctx.engine.universe.accounts.keys()];
  if (ids.length === 1) return ids[0]!;
  throw new ApiError(
    400,
    'InvalidInput',
    ids.length === 0
      ? 'The model holds no account: start iamsim serve with --account-id ID to create entities in a new account.'
      : `The model holds ${ids.length} accounts: sign with a key whose aws_account_id names one, or start iamsim serve with --account-id ID.`,
  );
}

/** The caller's account from the loaded model (an empty account when it holds none yet). */
export function callerAccount(ctx: RequestContext): Account {
  const id = callerAccountId(ctx);
  return ctx.engine.universe.accounts.get(id) ?? { id, users: [], groups: [], roles: [], managedPolicies: [], resourcePolicies: [], sources: [] };
}

/** Runs a lookup or edit, turning EditError into IAM's error. */
export function iamCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof EditError) throw toApiError(e);
    throw e;
  }
}

/**
 * A key bound to an account (aws_account_id) sees that account only: an ARN
 * of another account is answered as IAM answers a name it does not hold.
 */
export function inCallerAccount(ctx: RequestContext, arn: string): boolean {
  const bound = ctx.caller.accountId;
  return bound === undefined || parseArn(arn)?.account === bound;
}
