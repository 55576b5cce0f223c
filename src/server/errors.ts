/**
 * API errors and how each protocol writes them. Nothing else reaches a
 * client: an unexpected exception becomes a generic 500 (InternalFailure /
 * ServiceFailure) with the request id, never a message or a stack trace.
 */
import { escapeXml, IAM_XMLNS } from './xml.js';
import type { ErrorStyle, Reply } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Access Analyzer's ValidationException fields. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string): ApiError => new ApiError(400, code, message);

/** AWS Query error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
function queryError(e: ApiError, requestId: string): Reply {
  const type = e.status >= 500 ? 'Receiver' : 'Sender';
  const body = `<ErrorResponse xmlns="${IAM_XMLNS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(e.code)}</Code>\n    <Message>${escapeXml(e.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return { status: e.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

/** AWS REST-JSON error: the type in `x-amzn-ErrorType`, `{"message":…}` in the body. */
function restJsonError(e: ApiError, requestId: string): Reply {
  return {
    status: e.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': e.code, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ message: e.message, ...e.extra }),
  };
}

function jsonError(e: ApiError, requestId: string): Reply {
  return {
    status: e.status,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ error: { code: e.code, message: e.message, ...e.extra }, requestId }),
  };
}

export function errorReply(err: unknown, style: ErrorStyle, requestId: string): Reply {
  const e = err instanceof ApiError ? err : internalError(style);
  if (style === 'query') return queryError(e, requestId);
  if (style === 'rest-json') return restJsonError(e, requestId);
  return jsonError(e, requestId);
}

function internalError(style: ErrorStyle): ApiError {
  const code = style === 'query' ? 'ServiceFailure' : style === 'rest-json' ? 'InternalServerException' : 'InternalError';
  return new ApiError(500, code, 'The request processing has failed because of an unknown error.');
}
