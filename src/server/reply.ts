/** Reply builders shared by the routes. */
import type { Reply } from './types.js';

// Literal objects of one shape, not conditional spreads: these run once per request.
const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

export function json(status: number, value: unknown, requestId?: string): Reply {
  const headers = requestId === undefined ? JSON_HEADERS : { 'content-type': 'application/json', 'x-request-id': requestId };
  return { status, headers, body: JSON.stringify(value) };
}

export function text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): Reply {
  return { status, headers: { 'content-type': contentType }, body };
}

/** Parses a JSON request body; a syntax error is the caller's (400), never ours. */
export function parseJsonBody(body: Buffer, onError: (message: string) => Error): unknown {
  if (body.length === 0) throw onError('the request body is empty; expected a JSON object');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw onError(`the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}
