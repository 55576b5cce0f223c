/**
 * One request of a modelled principal, structured once: the principal
 * classified (eval/principal.ts `classifyCaller`) and the resource's ARN
 * parsed (primitives/arn.ts `parseArn`) when the request enters authz, and
 * handed down — the assembly key, the assembly (resource policy, owner
 * account, SCPs/RCPs) and the context keys AWS derives read these values
 * instead of parsing the same strings again. Only what depends on the strings
 * alone is kept, so a structured request stays valid across model reloads.
 */
import { classifyCaller, type Caller } from '../eval/principal.js';
import type { Policy } from '../policy/model.js';
import { type Arn, parseArn } from '../primitives/arn.js';

export interface AuthzRequest {
  /** IAM ARN (user, role, assumed-role session, root) or a service principal. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly sessionPolicies?: readonly Policy[];
  /** The VPC endpoint id (vpce-…) the request travels through, if any. */
  readonly vpcEndpointId?: string;
  readonly callerIsServiceLinkedRole?: boolean;
}

export interface StructuredRequest extends AuthzRequest {
  /** The principal, classified once. */
  readonly caller: Caller;
  /** The resource's ARN, parsed once (null: the resource is not an ARN, e.g. `*` or a vpce- id). */
  readonly resourceArn: Arn | null;
}

function isStructured(req: AuthzRequest): req is StructuredRequest {
  return 'caller' in req && 'resourceArn' in req;
}

/** The request structured: itself when it already is, else a copy with the principal classified and the resource parsed. */
export function structured<R extends AuthzRequest>(req: R): R & StructuredRequest {
  if (isStructured(req)) return req;
  return { ...req, caller: classifyCaller(req.principal), resourceArn: parseArn(req.resource) ?? null };
}
