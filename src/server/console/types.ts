/**
 * The console's JSON API: transport-free handlers (input: the parsed JSON
 * body and query; output: a status and a JSON value) that the server mounts
 * under /api/console/. Each handler is a thin shell over the library.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export interface ApiInput {
  readonly body: unknown;
  readonly query: URLSearchParams;
}

export interface ApiReply {
  readonly status: number;
  readonly body: unknown;
}

export interface ConsoleRoute {
  readonly method: 'GET' | 'POST';
  /** Path below the API prefix, e.g. `simulate`. */
  readonly path: string;
  readonly handle: (input: ApiInput) => Promise<ApiReply> | ApiReply;
}

/** An input problem the caller can fix: status 400 with the diagnostics that say where. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

export function ok(body: unknown): ApiReply {
  return { status: 200, body };
}

export function errorReply(e: ApiError): ApiReply {
  return { status: e.status, body: { error: { code: e.code, message: e.message }, diagnostics: e.diagnostics } };
}

/** The body as an object, or a 400. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'InvalidInput', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function optionalString(o: Record<string, unknown>, field: string): string | undefined {
  const v = o[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ApiError(400, 'InvalidInput', `${field} must be a string`);
  return v;
}

export function requiredString(o: Record<string, unknown>, field: string): string {
  const v = optionalString(o, field);
  if (v === undefined || v === '') throw new ApiError(400, 'InvalidInput', `${field} is required`);
  return v;
}
