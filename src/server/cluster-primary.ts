/**
 * `iamsim serve --workers N`: the primary process forks N workers (node:cluster,
 * each a whole server with its own Engine over the same store; connections are
 * handed to them in turn) and supervises them:
 * - it waits until every worker listens and reports the URL (workers listening
 *   on port 0 share the one port the first of them got);
 * - it owns the decision-log file: workers send their batches, the primary
 *   appends them in arrival order (whole lines, one writer) and acknowledges;
 * - it gathers every worker's metrics for whichever worker answers /metrics;
 * - a worker that dies (non-zero exit or a signal) is replaced, unless workers
 *   keep dying (more than `maxRestarts` in a minute: the server stops);
 * - `stop()` asks every worker to finish its in-flight requests and flush its
 *   log, waits for them to exit, then closes the log.
 */
import cluster, { type Worker } from 'node:cluster';
import { FileSink, type DecisionLogOptions } from './decision-log.js';
import { type ClusterMessage, isClusterMessage } from './cluster-worker.js';
import type { MetricsSnapshot } from './metrics.js';

export interface ClusterOptions {
  readonly workers: number;
  /** The script each worker runs, and its arguments. */
  readonly exec: string;
  readonly args: readonly string[];
  /** Extra environment for the workers. */
  readonly env?: Readonly<Record<string, string>>;
  readonly decisionLog?: DecisionLogOptions;
  /** Where supervision messages go (a worker restarted, …). */
  readonly report: (line: string) => void;
  readonly maxRestarts?: number;
  /** Milliseconds a worker gets to stop before it is killed (default 35 s). */
  readonly stopTimeout?: number;
}

/** A worker exited before it listened: the exit code it gave (2: bad input, e.g. the port is taken). */
export class WorkerStartError extends Error {
  constructor(readonly code: number) {
    super(`a worker exited with code ${code} before listening`);
  }
}

const GATHER_TIMEOUT_MS = 1000;

export class ClusterPrimary {
  readonly #opts: ClusterOptions;
  readonly #log: FileSink | undefined;
  #logQueue: Promise<void> = Promise.resolve();
  readonly #listening = new Set<Worker>();
  #stopping = false;
  #restarts: number[] = [];
  #gatherId = 0;
  readonly #gathers = new Map<number, { snapshots: MetricsSnapshot[]; expected: number; done: () => void }>();
  #url: string | undefined;
  #detail = '';
  #resolveDone!: () => void;
  /** Resolves when every worker has exited and the log is closed. */
  readonly done: Promise<void> = new Promise((r) => {
    this.#resolveDone = r;
  });
  #exitCode = 0;

  private constructor(opts: ClusterOptions) {
    this.#opts = opts;
    this.#log = opts.decisionLog ? new FileSink(opts.decisionLog) : undefined;
  }

  /** Forks the workers; resolves with the URL once all of them listen. */
  static start(opts: ClusterOptions): Promise<ClusterPrimary> {
    const p = new ClusterPrimary(opts);
    cluster.setupPrimary({ exec: opts.exec, args: [...opts.args] });
    return new Promise((resolve, reject) => {
      const onExitEarly = (w: Worker, code: number | null): void => {
        if (p.#listening.has(w) || p.#stopping) return;
        cluster.off('exit', onExitEarly);
        void p.stop().then(() => reject(new WorkerStartError(code ?? 3)));
      };
      cluster.on('exit', onExitEarly);
      cluster.on('exit', (w, code, signal) => p.#exited(w, code, signal));
      for (let i = 0; i < opts.workers; i++) {
        p.#fork(() => {
          if (p.#listening.size !== opts.workers) return;
          cluster.off('exit', onExitEarly);
          resolve(p);
        });
      }
    });
  }

  /** The URL the workers listen at. */
  get url(): string {
    return this.#url ?? '';
  }

  /** Process exit code once `done` resolves: 0 after stop(), 3 when workers kept dying. */
  get exitCode(): number {
    return this.#exitCode;
  }

  /** What the first worker said about its store and model. */
  get detail(): string {
    return this.#detail;
  }

  get workerCount(): number {
    return this.#listening.size;
  }

  #fork(onListening?: () => void): void {
    const w = cluster.fork({ ...this.#opts.env, IAMSIM_SERVE_WORKER: '1' });
    // A worker that exits while a message is on its way closes the channel (EPIPE); its 'exit' handles it.
    w.on('error', () => {});
    w.on('message', (m: unknown) => {
      if (!isClusterMessage(m)) return;
      if (m.type === 'iamsim:listening') {
        this.#listening.add(w);
        if (this.#url !== undefined && this.#url !== m.url) this.#opts.report(`now listening on ${m.url}`);
        this.#url = m.url;
        this.#detail = m.detail;
        onListening?.();
      } else this.#handle(w, m);
    });
  }

  #handle(w: Worker, m: ClusterMessage): void {
    if (m.type === 'iamsim:log') {
      const log = this.#log;
      this.#logQueue = this.#logQueue
        .then(() => log?.append(m.lines))
        .catch((e: unknown) => this.#opts.report(`cannot write the decision log: ${e instanceof Error ? e.message : String(e)}`))
        .then(() => this.#send(w, { type: 'iamsim:log-written', id: m.id }));
    } else if (m.type === 'iamsim:gather') {
      void this.#gather().then((snapshots) => this.#send(w, { type: 'iamsim:gathered', id: m.id, snapshots }));
    } else if (m.type === 'iamsim:snapshot') {
      const g = this.#gathers.get(m.id);
      if (g === undefined) return;
      g.snapshots.push(m.snapshot);
      if (g.snapshots.length === g.expected) g.done();
    }
  }

  #send(w: Worker, m: ClusterMessage): void {
    if (w.isConnected()) post(w, m);
  }

  /** Asks every listening worker for its snapshot; answers with those that replied within a second. */
  #gather(): Promise<MetricsSnapshot[]> {
    const id = ++this.#gatherId;
    const workers = [...this.#listening].filter((w) => w.isConnected());
    return new Promise((resolve) => {
      const snapshots: MetricsSnapshot[] = [];
      const done = (): void => {
        clearTimeout(timer);
        this.#gathers.delete(id);
        resolve(snapshots);
      };
      const timer = setTimeout(done, GATHER_TIMEOUT_MS);
      this.#gathers.set(id, { snapshots, expected: workers.length, done });
      for (const w of workers) this.#send(w, { type: 'iamsim:snapshot?', id });
      if (workers.length === 0) done();
    });
  }

  #exited(w: Worker, code: number | null, signal: string | null): void {
    this.#listening.delete(w);
    const died = code !== 0 || signal !== null;
    if (!this.#stopping && died) {
      const now = Date.now();
      this.#restarts = this.#restarts.filter((t) => now - t < 60_000);
      if (this.#restarts.length >= (this.#opts.maxRestarts ?? 10)) {
        this.#opts.report(`worker ${w.process.pid} exited (${signal ?? `code ${code}`}); workers keep dying, stopping`);
        this.#exitCode = 3;
        void this.stop();
        return;
      }
      this.#restarts.push(now);
      this.#opts.report(`worker ${w.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
      this.#fork();
      return;
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) void this.stop();
  }

  /** Stops every worker gracefully (in-flight requests finish, logs flush), then closes the log. */
  stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      const exits = workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const kill = setTimeout(() => w.kill('SIGKILL'), this.#opts.stopTimeout ?? 35_000);
            w.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            if (w.isConnected()) post(w, { type: 'iamsim:shutdown' } satisfies ClusterMessage);
            else w.kill('SIGTERM');
          }),
      );
      void Promise.all(exits)
        .then(() => this.#logQueue)
        .then(() => this.#log?.close())
        .then(() => this.#resolveDone());
    }
    return this.done;
  }
}

/**
 * Sends to a worker that may be exiting at that moment: a closed channel (EPIPE) is reported to the callback,
 * not thrown as an 'error' event, and the worker's 'exit' event does the rest.
 */
function post(w: Worker, m: ClusterMessage): void {
  w.send(m, undefined, undefined, () => {});
}
