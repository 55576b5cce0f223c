/**
 * The worker side of `iamsim serve --workers N` (see cluster-primary.ts): a
 * worker is a whole server (its own Engine over the shared store) that talks
 * to the primary process over the cluster's IPC channel to
 * - hand its decision-log batches to the primary, which owns the one file
 *   (a batch resolves when the primary has written it);
 * - answer /metrics with every worker's counters (the primary gathers them);
 * - learn when to shut down.
 */
import type { LogSink } from './decision-log.js';
import type { MetricsSnapshot } from './metrics.js';

/** Messages between the primary and its workers. */
export type ClusterMessage =
  | { readonly type: 'iamsim:listening'; readonly url: string; readonly detail: string }
  | { readonly type: 'iamsim:log'; readonly id: number; readonly lines: readonly string[] }
  | { readonly type: 'iamsim:log-written'; readonly id: number }
  | { readonly type: 'iamsim:gather'; readonly id: number }
  | { readonly type: 'iamsim:gathered'; readonly id: number; readonly snapshots: readonly MetricsSnapshot[] }
  | { readonly type: 'iamsim:snapshot?'; readonly id: number }
  | { readonly type: 'iamsim:snapshot'; readonly id: number; readonly snapshot: MetricsSnapshot }
  | { readonly type: 'iamsim:shutdown' };

export function isClusterMessage(m: unknown): m is ClusterMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' && (m as { type: string }).type.startsWith('iamsim:');
}

/** A worker's channel to the primary. One per worker process. */
export class WorkerLink {
  #next = 0;
  readonly #waiting = new Map<number, (m: ClusterMessage) => void>();
  #snapshot: (() => Promise<MetricsSnapshot>) | undefined;
  #shutdown: (() => void) | undefined;
  readonly #onMessage = (m: unknown): void => this.#receive(m);

  constructor() {
    if (process.send === undefined) throw new Error('WorkerLink: this process has no IPC channel to a primary');
    process.on('message', this.#onMessage);
  }

  /** Tells the primary this worker listens at `url` (`detail`: store and model, for the primary's message). */
  listening(url: string, detail: string): void {
    this.#send({ type: 'iamsim:listening', url, detail });
  }

  /** Where this worker's metrics come from when another worker gathers them. */
  provideSnapshot(fn: () => Promise<MetricsSnapshot>): void {
    this.#snapshot = fn;
  }

  /** Called once when the primary asks this worker to stop. */
  onShutdown(fn: () => void): void {
    this.#shutdown = fn;
  }

  /** The decision-log sink that writes through the primary. */
  logSink(): LogSink {
    return {
      append: async (lines) => {
        await this.#ask((id) => ({ type: 'iamsim:log', id, lines }));
      },
      close: async () => undefined,
    };
  }

  /** Every live worker's metrics snapshot (this one's included). */
  async gatherMetrics(): Promise<readonly MetricsSnapshot[]> {
    const m = await this.#ask((id) => ({ type: 'iamsim:gather', id }));
    return m.type === 'iamsim:gathered' ? m.snapshots : [];
  }

  close(): void {
    process.off('message', this.#onMessage);
  }

  #ask(make: (id: number) => ClusterMessage): Promise<ClusterMessage> {
    const id = ++this.#next;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#send(make(id));
    });
  }

  #send(m: ClusterMessage): void {
    process.send?.(m);
  }

  #receive(m: unknown): void {
    if (!isClusterMessage(m)) return;
    if (m.type === 'iamsim:log-written' || m.type === 'iamsim:gathered') {
      const done = this.#waiting.get(m.id);
      this.#waiting.delete(m.id);
      done?.(m);
    } else if (m.type === 'iamsim:snapshot?' && this.#snapshot !== undefined) {
      void this.#snapshot().then((snapshot) => this.#send({ type: 'iamsim:snapshot', id: m.id, snapshot }));
    } else if (m.type === 'iamsim:shutdown') {
      const fn = this.#shutdown;
      this.#shutdown = undefined;
      fn?.();
    }
  }
}
