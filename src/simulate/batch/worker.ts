/** A batch worker thread (see pool.ts): decides the chunks of lines it is sent, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { runChunk, type ChunkResult } from './pool.js';
import type { ByteChunk } from './chunks.js';
import { lineState, type LineOptions } from './line.js';

const opts = workerData as LineOptions;
const state = lineState();
parentPort?.on('message', (chunk: ByteChunk) => {
  const r = runChunk(chunk, opts, state);
  // The output's memory moves to the reading thread instead of being copied.
  const result: ChunkResult = { out: r.out, errors: r.errors, worker: true };
  parentPort?.postMessage(result, [r.out.buffer as ArrayBuffer]);
});
parentPort?.postMessage('ready');
