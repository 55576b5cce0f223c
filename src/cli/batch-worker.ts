/** A batch worker thread (see batch-pool.ts): decides the chunks of lines it is sent, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { runChunk, type ChunkJob } from './batch-pool.js';
import type { LineOptions } from './batch-line.js';

const opts = workerData as LineOptions;
parentPort?.on('message', (job: ChunkJob) => {
  parentPort?.postMessage({ id: job.id, ...runChunk(job, opts) });
});
