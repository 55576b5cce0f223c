/**
 * API errors and how each protocol writes them. Nothing else reaches a
 * client: an unexpected exception becomes a generic 500 (InternalFailure /
 * ServiceFailure) with the request id, never a message or a stack trace.
 */
import { ProtocolError } from '../protocol/errors.js';
import { IAM_MODEL } from '../protocol/generated/iam.js';
import { escapeXml } from '../protocol/query-xml.js';

const IAM_XMLNS = IAM_MODEL.metadata.xmlNamespace;
import type { ErrorStyle, Reply } from './types.js';

/** An error answered to the client: AWS's code, HTTP status and message (the protocol layer's ProtocolError). */
export class ApiError extends ProtocolError {}

export const badRequest = (code: string, message: string): ApiError => new ApiError(400, code, message);

/** AWS Query error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
function queryError(e: ProtocolError, requestId: string): Reply {
  const type = e.status >= 500 ? 'Receiver' : 'Sender';
  const body = `<ErrorResponse xmlns="${IAM_XMLNS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(e.code)}</Code>\n    <Message>${escapeXml(e.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
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

export function errorReply(err: unknown, style: ErrorStyle, requestId: string): Reply {
  const e = err instanceof ProtocolError ? err : internalError(style);
  if (style === 'query') return queryError(e, requestId);
  if (style === 'rest-json') return restJsonError(e, requestId);
  return jsonError(e, requestId);
}

function internalError(style: ErrorStyle): ApiError {
  const code = style === 'query' ? 'ServiceFailure' : style === 'rest-json' ? 'InternalServerException' : 'InternalError';
  return new ApiError(500, code, 'The request processing has failed because of an unknown error.');
}
