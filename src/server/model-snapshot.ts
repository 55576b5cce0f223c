/**
 * The account model as request threads (pool.ts) receive it: its plain inputs
 * at one store version, serialized once in v8's structured-clone format into
 * shared memory. Posting a snapshot to a thread then copies nothing on the
 * event loop, however large the model; each thread deserializes it itself.
 */
import { deserialize, serialize } from 'node:v8';
import type { createUniverse } from '../account/query.js';

/** The model's plain inputs at one version (what a request thread builds its own Universe from). */
export type ModelInputs = Parameters<typeof createUniverse>[0];

/** The model at one version, serialized into shared memory. */
export interface ModelSnapshot {
  readonly version: number;
  readonly bytes: SharedArrayBuffer;
}

/** The inputs serialized into shared memory (once per model version). */
export function serializeModel(version: number, inputs: ModelInputs): ModelSnapshot {
  const plain = serialize(inputs);
  const bytes = new SharedArrayBuffer(plain.length);
  new Uint8Array(bytes).set(plain);
  return { version, bytes };
}

/** A request thread's copy of a snapshot's inputs. */
export function deserializeModel(s: ModelSnapshot): ModelInputs {
  return deserialize(new Uint8Array(s.bytes)) as ModelInputs;
}
