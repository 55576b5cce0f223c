/**
 * Heavy requests run off the event loop: the Access Analyzer custom checks
 * and the simulations go to a pool of worker threads (pool-worker.ts), so
 * /healthz and cheap requests are answered meanwhile. Each task has the
 * request's deadline: a task still running then is stopped by terminating its
 * thread (a replacement starts on the next task), and each thread's heap is
 * capped (`maxOldGenerationSizeMb`), so one request can neither run forever
 * nor take the process's memory. Threads start on first use.
 *
 * Tasks that read the account model get it from the engine: a thread is sent
 * the model's plain inputs once per model version and keeps its own Universe.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../package.js';
import { ApiError } from './errors.js';
import type { ModelSnapshot } from './model-snapshot.js';
import type { TaskKind, TaskReply, TaskRequest, TaskRunner } from './pool-protocol.js';

export interface PoolOptions {
  /** Threads (default 2: a long console audit leaves one for the next request). */
  readonly size?: number;
  /** Heap limit of each thread in MiB (default 512). */
  readonly memoryMb?: number;
  /** Told of every task that ends (outcome: ok, error, deadline), e.g. for metrics. */
  readonly onTask?: (kind: TaskKind, outcome: 'ok' | 'error' | 'deadline') => void;
}

/** A task that ran past its deadline (the pipeline answers ServiceUnavailable). */
export class TaskDeadlineExceeded extends Error {}

/** The worker's script: the bundled one beside the bundled CLI, else the compiled module beside this one. */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  const bundled = join(packageRoot(), 'dist', 'cli', 'serve-pool-worker.js');
  if (here.includes(join('dist', 'cli')) && existsSync(bundled)) return bundled;
  return fileURLToPath(new URL('./pool-worker.js', import.meta.url));
}

interface Job {
  readonly kind: TaskKind;
  readonly input: unknown;
  readonly model?: ModelSnapshot;
  readonly deadline: number;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

class Thread {
  readonly worker: Worker;
  modelVersion = -1;
  job: Job | undefined;
  #timer: NodeJS.Timeout | undefined;
  #next = 0;

  constructor(memoryMb: number, onFree: (t: Thread) => void, onDead: (t: Thread) => void) {
    this.worker = new Worker(workerScript(), { resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    this.worker.unref();
    this.worker.on('message', (m: TaskReply) => {
      const job = this.#finish();
      if (job === undefined) return;
      if ('value' in m) job.resolve(m.value);
      else job.reject(m.error.status !== undefined ? new ApiError(m.error.status, m.error.code!, m.error.message, m.error.extra) : new Error(m.error.message));
      onFree(this);
    });
    this.worker.on('error', (e: Error & { code?: string }) => {
      const job = this.#finish();
      const memory = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      job?.reject(memory ? new ApiError(503, 'ServiceUnavailable', `The request needed more than ${memoryMb} MiB of memory.`) : e);
      onDead(this);
    });
    this.worker.on('exit', () => {
      this.#finish()?.reject(new Error('a request thread exited'));
      onDead(this);
    });
  }

  start(job: Job): void {
    this.job = job;
    const model = job.model !== undefined && job.model.version !== this.modelVersion ? job.model : undefined;
    if (model !== undefined) this.modelVersion = model.version;
    const req: TaskRequest = { id: ++this.#next, kind: job.kind, input: job.input, ...(model !== undefined ? { model } : {}) };
    this.#timer = setTimeout(
      () => {
        const j = this.#finish();
        j?.reject(new TaskDeadlineExceeded());
        void this.worker.terminate();
      },
      Math.max(0, job.deadline - Date.now()),
    );
    this.worker.postMessage(req);
  }

  /** Refuses the running task (if any) before the thread is terminated. */
  stop(reason: Error): void {
    this.#finish()?.reject(reason);
  }

  #finish(): Job | undefined {
    clearTimeout(this.#timer);
    const j = this.job;
    this.job = undefined;
    return j;
  }
}

export class TaskPool implements TaskRunner {
  readonly #size: number;
  readonly #memoryMb: number;
  readonly #onTask: PoolOptions['onTask'];
  readonly #threads = new Set<Thread>();
  readonly #idle: Thread[] = [];
  readonly #queue: Job[] = [];

  constructor(opts: PoolOptions = {}) {
    this.#size = opts.size ?? 2;
    this.#memoryMb = opts.memoryMb ?? 512;
    this.#onTask = opts.onTask;
  }

  /** Runs a task within `deadline` (epoch ms); `model` for tasks that read the account model. */
  run<T>(kind: TaskKind, input: unknown, deadline: number, model?: ModelSnapshot): Promise<T> {
    const told = this.#onTask;
    return new Promise<T>((resolve, reject) => {
      const settle = {
        resolve: (v: unknown) => {
          told?.(kind, 'ok');
          resolve(v as T);
        },
        reject: (e: unknown) => {
          told?.(kind, e instanceof TaskDeadlineExceeded ? 'deadline' : 'error');
          reject(e);
        },
      };
      const job: Job = { kind, input, deadline, ...settle, ...(model !== undefined ? { model } : {}) };
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const job = this.#queue[0]!;
      if (job.deadline <= Date.now()) {
        this.#queue.shift();
        job.reject(new TaskDeadlineExceeded());
        continue;
      }
      const t = this.#idle.pop() ?? (this.#threads.size < this.#size ? this.#spawn() : undefined);
      if (t === undefined) return;
      this.#queue.shift();
      t.start(job);
    }
  }

  #spawn(): Thread {
    const t = new Thread(
      this.#memoryMb,
      (free) => {
        this.#idle.push(free);
        this.#dispatch();
      },
      (dead) => {
        if (!this.#threads.delete(dead)) return;
        const i = this.#idle.indexOf(dead);
        if (i >= 0) this.#idle.splice(i, 1);
        this.#dispatch();
      },
    );
    this.#threads.add(t);
    return t;
  }

  /**
   * Starts every thread now and hands each the model (`iamsim serve` does this once listening), so the first heavy
   * request does not wait for a thread to load its modules and build the model. Failures are left to that request.
   */
  warm(model: ModelSnapshot): void {
    for (let i = this.#threads.size; i < this.#size; i++) this.run('warm', null, Date.now() + 600_000, model).catch(() => undefined);
  }

  /** Stops every thread (queued and running tasks are refused: the server is stopping). */
  async close(): Promise<void> {
    const stopping = (): ApiError => new ApiError(503, 'ServiceUnavailable', 'The server is stopping.');
    for (const j of this.#queue.splice(0)) j.reject(stopping());
    for (const t of this.#threads) t.stop(stopping());
    await Promise.all([...this.#threads].map((t) => t.worker.terminate()));
    this.#threads.clear();
    this.#idle.length = 0;
  }
}
