/**
 * One console API request as plain data, so it can be answered on the event
 * loop or in a request thread (pool-worker.ts) alike: the body arrives as the
 * received text and the answer leaves as JSON text, so neither parsing nor
 * serializing a large body (an audit's findings, an uploaded export) holds
 * the server's event loop.
 */
import { badRequest } from '../errors.js';
import { parseJsonBody } from '../reply.js';
import type { ConsoleApi } from './api.js';

export interface ConsoleTask {
  readonly method: string;
  /** Path below the API prefix, e.g. `audit`. */
  readonly path: string;
  /** The request body as received (POST only). */
  readonly body?: string;
  /** The query string, without `?`. */
  readonly query: string;
}

export interface ConsoleAnswer {
  readonly status: number;
  /** The JSON reply, serialized. */
  readonly json: string;
}

/** Answers `task` with `api`; undefined when there is no such console endpoint. */
export async function answerConsoleTask(api: ConsoleApi, task: ConsoleTask): Promise<ConsoleAnswer | undefined> {
  const body = task.body !== undefined ? parseJsonBody(Buffer.from(task.body, 'utf8'), (m) => badRequest('InvalidInput', m)) : undefined;
  const reply = await api.dispatch(task.method, task.path, { body, query: new URLSearchParams(task.query) });
  return reply === undefined ? undefined : { status: reply.status, json: JSON.stringify(reply.body) };
}
