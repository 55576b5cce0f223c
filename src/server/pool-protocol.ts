/** The messages between the request pool (pool.ts) and its threads (pool-worker.ts), and what a route sees of the pool. */
import type { ModelSnapshot } from './model-snapshot.js';

export type TaskKind =
  | 'check-no-new-access'
  | 'check-access-not-granted'
  | 'check-no-public-access'
  | 'console'
  | 'warm'
  | 'simulate-custom'
  | 'simulate-principal'
  | 'validate-policy';

export interface TaskRequest {
  readonly id: number;
  readonly kind: TaskKind;
  readonly input: unknown;
  readonly model?: ModelSnapshot;
}

export interface TaskError {
  readonly message: string;
  readonly status?: number;
  readonly code?: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export type TaskReply = { readonly id: number; readonly value: unknown } | { readonly id: number; readonly error: TaskError };

/** Runs heavy work off the event loop within a deadline (pool.ts's TaskPool). */
export interface TaskRunner {
  run<T>(kind: TaskKind, input: unknown, deadline: number, model?: ModelSnapshot): Promise<T>;
}

/**
 * A console answer from a request thread: its JSON as UTF-8 bytes in a buffer of their own, moved to the event loop
 * without a copy and written as they are (no encoding on the event loop, however large the answer).
 */
export interface EncodedConsoleAnswer {
  readonly status: number;
  readonly json: Uint8Array;
}
