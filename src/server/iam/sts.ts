/**
 * STS's GetCallerIdentity (Query protocol, Version 2011-06-15): the account the
 * request acts in. A key names no user or role, so the caller is the account
 * itself, as AWS answers for an account's root credentials (UserId = the
 * account id, Arn = arn:aws:iam::ACCOUNT:root).
 */
import { callerAccountId } from './account.js';
import { type IamAction, stsAction } from './registry.js';

export const STS_ACTIONS: readonly IamAction[] = [
  stsAction('GetCallerIdentity', (_i, ctx) => {
    const account = callerAccountId(ctx);
    return { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root` };
  }),
];
