/**
 * IAM's Query protocol: `POST /` with a form body `Action=…&Version=2010-05-08&…`
 * (GET with the same query string is accepted too). Writes need a verified
 * signature when the server listens beyond loopback.
 */
import { ApiError } from '../errors.js';
import { IAM_ACTIONS } from '../iam/index.js';
import { QueryParams } from '../iam/params.js';
import { queryResponse } from '../xml.js';
import type { Route } from '../types.js';

export const IAM_VERSION = '2010-05-08';

export const iamQueryRoute: Route = {
  method: 'POST',
  path: '/',
  name: 'iam',
  errors: 'query',
  async handle(ctx) {
    const form = ctx.method === 'POST' ? new URLSearchParams(ctx.body.toString('utf8')) : ctx.url.searchParams;
    const params = new QueryParams(form);
    const name = params.action;
    if (name === undefined) throw new ApiError(400, 'MissingAction', 'Missing Action');
    const version = params.string('Version');
    if (version !== undefined && version !== IAM_VERSION) throw new ApiError(400, 'InvalidAction', `Could not find operation ${name} for version ${version}`);
    const action = IAM_ACTIONS.get(name);
    if (action === undefined) throw new ApiError(400, 'InvalidAction', `Could not find operation ${name} for version ${IAM_VERSION}`);
    if (action.write && !ctx.caller.loopbackServer && !ctx.caller.verified) {
      throw new ApiError(
        403,
        'AccessDenied',
        `${name} changes the model: this server listens beyond loopback, so writes need --auth sigv4 and a signed request`,
      );
    }
    const result = await action.run(params, ctx);
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId }, body: queryResponse(name, result, ctx.requestId) };
  },
};
