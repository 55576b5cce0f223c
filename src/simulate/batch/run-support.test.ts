/** Test support: a batch run in this process on a file or bytes, its output as text (workers started as asked). */
import { createReadStream, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { runBatch, type BatchOptions, type BatchStats } from './index.js';

/**
 * Runs `input` (a file path, or bytes read as standard input) on `threads` threads. With `workerStart: 'always'`
 * (the default here) the workers decide every chunk, so a test of threads cannot pass on this thread alone.
 */
export async function batchOutput(input: string | Buffer, threads: number, opts: Partial<BatchOptions> = {}): Promise<string> {
  return (await batchRun(input, threads, opts)).out;
}

/** As batchOutput, with the batch's figures (lines, errors, lines decided by workers). */
export async function batchRun(input: string | Buffer, threads: number, opts: Partial<BatchOptions> = {}): Promise<{ out: string; stats: BatchStats }> {
  const parts: Buffer[] = [];
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      parts.push(Buffer.from(chunk));
      done();
    },
  });
  const stderr = new Writable({ write: (_c, _e, done) => done() });
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : Readable.from([input]);
  const stats = await runBatch(
    stream,
    { stdout, stderr },
    {
      baseDir: typeof input === 'string' ? dirname(input) : process.cwd(),
      lenient: false,
      explain: false,
      progress: false,
      threads,
      workerStart: 'always',
      ...(typeof input === 'string' ? { totalBytes: statSync(input).size } : {}),
      ...opts,
    },
  );
  return { out: Buffer.concat(parts).toString('utf8'), stats };
}
