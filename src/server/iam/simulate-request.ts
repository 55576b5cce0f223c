/**
 * The simulate actions' request, read the same way on the event loop and in a
 * request thread (pool-worker.ts): the SimulateCustomPolicy JSON shape read by
 * src/simulate (a `file://` policy is an input error here), and the policy
 * source of SimulatePrincipalPolicy in the model.
 */
import type { Universe } from '../../account/query.js';
import { readSimulateInputValue } from '../../simulate/input.js';
import { findPolicySource, type PolicySource } from '../../simulate/principal.js';
import type { SimulateRequest } from '../../simulate/request.js';
import { ApiError } from '../errors.js';
import { inputError } from './simulate-shape.js';

export function readSimulateRequest(fields: Record<string, unknown>): SimulateRequest {
  const res = readSimulateInputValue(fields, { allowFileReferences: false });
  if (res.request === undefined || res.diagnostics.some((d) => d.severity === 'error')) throw inputError(res);
  return res.request;
}

/** The user, group or role an ARN names; NoSuchEntity when the model holds none. */
export function sourceIn(u: Universe, arn: string): PolicySource {
  const source = findPolicySource(u, arn);
  if (source === undefined) throw new ApiError(404, 'NoSuchEntity', `The user, group or role ${arn} cannot be found.`);
  return source;
}
