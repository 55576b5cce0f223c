/**
 * IAM's Query protocol: `POST /` with a form body `Action=…&Version=2010-05-08&…`
 * (GET with the same query string is accepted too), and STS's actions
 * (`Version=2011-06-15`) the same way. The request is read and validated from
 * AWS's service model (src/protocol, generated from botocore's), the handler
 * runs on the typed input, and the output is written as the model's XML.
 * An operation of the model that iamsim does not answer is `NotImplemented`
 * (501) in AWS's error shape. Writes need a verified signature when the
 * server listens beyond loopback.
 */
import { operationOf, type Operation, type ServiceModel } from '../../protocol/model.js';
import { IAM_MODEL } from '../../protocol/generated/iam.js';
import { STS_MODEL } from '../../protocol/generated/sts.js';
import { parseQueryInput } from '../../protocol/query.js';
import { queryResponseXml } from '../../protocol/query-xml.js';
import { validateQueryInput } from '../../protocol/validate.js';
import { ApiError } from '../errors.js';
import { actionKey, IAM_ACTIONS } from '../iam/index.js';
import type { Route } from '../types.js';

export const IAM_VERSION = IAM_MODEL.metadata.apiVersion;
export const STS_VERSION = STS_MODEL.metadata.apiVersion;
const MODELS = { iam: IAM_MODEL, sts: STS_MODEL } as const;

/**
 * The Query service whose namespace a failed request's error is written in: the one its Version and Action name
 * (serviceOf), else the service its signature is scoped to, else IAM.
 */
export function queryServiceOf(form: URLSearchParams, signedFor: string | undefined): 'iam' | 'sts' {
  const name = form.get('Action');
  if (name !== null) {
    try {
      return serviceOf(name, form.get('Version') ?? undefined).service;
    } catch {
      // No such action: fall through to the Version, then the signature.
    }
  }
  const version = form.get('Version');
  if (version === STS_VERSION) return 'sts';
  if (version === null && signedFor === 'sts') return 'sts';
  return 'iam';
}

/** The Query form of a request: the POST body, else the URL's query string. */
export function queryForm(method: string, url: URL, body: Buffer | undefined): URLSearchParams {
  return method === 'POST' ? new URLSearchParams(body?.toString('utf8') ?? '') : url.searchParams;
}

/** The service a request is for: its Version, else the model that has the action (IAM first). */
function serviceOf(name: string, version: string | undefined): { service: 'iam' | 'sts'; model: ServiceModel; op: Operation } {
  const services = (['iam', 'sts'] as const).filter((s) => version === undefined || MODELS[s].metadata.apiVersion === version);
  for (const service of services) {
    const op = operationOf(MODELS[service], name);
    if (op !== undefined) return { service, model: MODELS[service], op };
  }
  throw new ApiError(400, 'InvalidAction', `Could not find operation ${name} for version ${version ?? IAM_VERSION}`);
}

export const iamQueryRoute: Route = {
  method: 'POST',
  path: '/',
  name: 'iam',
  errors: 'query',
  services: ['iam', 'sts'],
  readsModel: true,
  async handle(ctx) {
    const form = queryForm(ctx.method, ctx.url, ctx.body);
    const name = form.get('Action');
    if (name === null) throw new ApiError(400, 'MissingAction', 'Missing Action');
    const { service, model, op } = serviceOf(name, form.get('Version') ?? undefined);
    if (ctx.caller.verified && ctx.caller.service !== service) {
      throw new ApiError(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `);
    }
    const action = IAM_ACTIONS.get(actionKey(service, name));
    if (action === undefined) {
      throw new ApiError(
        501,
        'NotImplemented',
        `${name} is an operation of ${model.metadata.serviceId} ${model.metadata.apiVersion} that iamsim does not implement.`,
      );
    }
    if (action.write && !ctx.caller.loopbackServer && !ctx.caller.verified) {
      throw new ApiError(
        403,
        'AccessDenied',
        `${name} changes the model: this server listens beyond loopback, so writes need --auth sigv4 and a signed request`,
      );
    }
    const input = parseQueryInput(model, op, form);
    validateQueryInput(model, op.input, input);
    const result = await action.run(input, ctx);
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
      body: queryResponseXml(model, op, result, ctx.requestId, { strict: ctx.strictOutput === true }),
    };
  },
};
