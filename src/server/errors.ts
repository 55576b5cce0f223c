/**
 * API errors and how each protocol writes them. Nothing else reaches a
 * client: an unexpected exception becomes a generic 500 (InternalFailure /
 * ServiceFailure) with the request id, never a message or a stack trace.
 */
import { ProtocolError } from '../protocol/errors.js';
import { IAM_MODEL } from '../protocol/generated/iam.js';
import { STS_MODEL } from '../protocol/generated/sts.js';
import { escapeXml } from '../protocol/query-xml.js';
import type { ErrorStyle, Reply } from './types.js';

/** The Query services: each writes its errors in its own XML namespace (IAM's 2010-05-08, STS's 2011-06-15). */
export type QueryService = 'iam' | 'sts';
const XMLNS: Record<QueryService, string | undefined> = { iam: IAM_MODEL.metadata.xmlNamespace, sts: STS_MODEL.metadata.xmlNamespace };

/** An error answered to the client: AWS's code, HTTP status and message (the protocol layer's ProtocolError). */
export class ApiError extends ProtocolError {}

export const badRequest = (code: string, message: string): ApiError => new ApiError(400, code, message);

/** AWS Query error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
function queryError(e: ProtocolError, requestId: string, service: QueryService): Reply {
  const type = e.status >= 500 ? 'Receiver' : 'Sender';
  const body = `<ErrorResponse xmlns="${XMLNS[service]}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(e.code)}</Code>\n    <Message>${escapeXml(e.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return { status: e.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** AWS REST-JSON error: the type in `x-amzn-ErrorType`, `{"message":…}` in the body. */
function restJsonError(e: ProtocolError, requestId: string): Reply {
  return {
    status: e.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.code, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ message: e.message, ...e.extra }),
  };
}

function jsonError(e: ProtocolError, requestId: string): Reply {
  return {
    status: e.status,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ error: { code: e.code, message: e.message, ...e.extra }, requestId }),
  };
}

/** The error in the route's style; a Query error in the namespace of the service the request is for (default IAM). */
export function errorReply(err: unknown, style: ErrorStyle, requestId: string, service: QueryService = 'iam'): Reply {
  const e = err instanceof ProtocolError ? err : internalError(style);
  if (style === 'query') return queryError(e, requestId, service);
  if (style === 'rest-json') return restJsonError(e, requestId);
  return jsonError(e, requestId);
}

function internalError(style: ErrorStyle): ApiError {
  const code = style === 'query' ? 'ServiceFailure' : style === 'rest-json' ? 'InternalServerException' : 'InternalError';
  return new ApiError(500, code, 'The request processing has failed because of an unknown error.');
}
