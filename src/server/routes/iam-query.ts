/**
 * IAM's Query protocol: `POST /` with a form body `Action=…&Version=2010-05-08&…`
 * (GET with the same query string is accepted too), and STS's actions
 * (`Version=2011-06-15`) the same way. Writes need a verified
 * signature when the server listens beyond loopback.
 */
import { ApiError } from '../errors.js';
import { IAM_ACTIONS } from '../iam/index.js';
import { QueryParams } from '../iam/params.js';
import { IAM_XMLNS, queryResponse, STS_XMLNS } from '../xml.js';
import type { Route } from '../types.js';

export const IAM_VERSION = '2010-05-08';
export const STS_VERSION = '2011-06-15';
const VERSIONS = { iam: IAM_VERSION, sts: STS_VERSION } as const;

export const iamQueryRoute: Route = {
  method: 'POST',
  path: '/',
  name: 'iam',
  errors: 'query',
  services: ['iam', 'sts'],
  readsModel: true,
  async handle(ctx) {
    const form = ctx.method === 'POST' ? new URLSearchParams(ctx.body.toString('utf8')) : ctx.url.searchParams;
    const params = new QueryParams(form);
    const name = params.action;
    if (name === undefined) throw new ApiError(400, 'MissingAction', 'Missing Action');
    const version = params.string('Version');
    const action = IAM_ACTIONS.get(name);
    const service = action?.service ?? 'iam';
    if (action === undefined || (version !== undefined && version !== VERSIONS[service])) {
      throw new ApiError(400, 'InvalidAction', `Could not find operation ${name} for version ${version ?? VERSIONS[service]}`);
    }
    if (ctx.caller.verified && ctx.caller.service !== service) {
      throw new ApiError(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `);
    }
    if (action.write && !ctx.caller.loopbackServer && !ctx.caller.verified) {
      throw new ApiError(
        403,
        'AccessDenied',
        `${name} changes the model: this server listens beyond loopback, so writes need --auth sigv4 and a signed request`,
      );
    }
    const result = await action.run(params, ctx);
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
      body: queryResponse(name, result, ctx.requestId, service === 'sts' ? STS_XMLNS : IAM_XMLNS),
    };
  },
};
