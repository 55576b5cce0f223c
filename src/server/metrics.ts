/**
 * Prometheus metrics of one server process, kept by prom-client in a registry
 * of this server's own (never the library's global one): request counts by
 * route and status, request latency histograms by route, decisions by API and
 * result, requests in flight, and the fill of the engine's caches. `snapshot()` is prom-client's JSON form, plain
 * data, so the workers of `serve --workers N` can send theirs to one place;
 * `renderMetrics` sums snapshots with prom-client's aggregator into the text
 * exposition format 0.0.4.
 */
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheStat } from '../engine/iamsim.js';

export const BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One process's metrics, as prom-client's `getMetricsAsJSON` gives them. */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Collects the snapshots of every process of one server (this one's included). */
export type MetricsGatherer = () => Promise<readonly MetricsSnapshot[]>;

/** Point-in-time values added when rendering (model version, cache sizes…), each a gauge: name → value. */
export type ExtraGauges = Readonly<Record<string, number>>;

export class Metrics {
  readonly #gather: MetricsGatherer | undefined;
  readonly #registry = new Registry();
  readonly #requests = new Counter({
    name: 'iamsim_http_requests_total',
    help: 'HTTP requests by route and status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.#registry],
  });
  readonly #latency = new Histogram({
    name: 'iamsim_http_request_duration_seconds',
    help: 'Request latency by route.',
    labelNames: ['route'] as const,
    buckets: [...BUCKETS],
    registers: [this.#registry],
  });
  readonly #decisions = new Counter({
    name: 'iamsim_decisions_total',
    help: 'Authorization decisions by API and result.',
    labelNames: ['api', 'decision'] as const,
    registers: [this.#registry],
  });
  readonly #tasks = new Counter({
    name: 'iamsim_thread_tasks_total',
    help: 'Heavy tasks answered in a request thread (off the event loop), by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.#registry],
  });
  readonly #inFlight = new Gauge({ name: 'iamsim_http_requests_in_flight', help: 'Requests being handled.', registers: [this.#registry] });

  /**
   * `gather`: with workers, fetches every worker's snapshot (default: this process only).
   * `caches`: the engine's caches, read at each scrape (summed over workers, like every other series).
   */
  constructor(gather?: MetricsGatherer, caches?: () => readonly CacheStat[]) {
    this.#gather = gather;
    if (caches !== undefined) this.#cacheGauges(caches);
  }

  /** Gauges read from the engine at each scrape: entries held and configured size, per cache. */
  #cacheGauges(caches: () => readonly CacheStat[]): void {
    const series = [
      ['iamsim_cache_entries', 'Entries held by each engine cache.', (c: CacheStat) => c.entries],
      ['iamsim_cache_capacity', 'Most entries each engine cache holds (its configured size).', (c: CacheStat) => c.capacity],
    ] as const;
    for (const [name, help, value] of series) {
      this.#registry.registerMetric(
        new Gauge({
          name,
          help,
          labelNames: ['cache'] as const,
          registers: [],
          collect() {
            for (const c of caches()) this.set({ cache: c.cache }, value(c));
          },
        }),
      );
    }
  }

  started(): void {
    this.#inFlight.inc();
  }

  /** Records a finished request: `route` is the route label, `seconds` its duration. */
  finished(route: string, status: number, seconds: number): void {
    this.#inFlight.dec();
    this.#requests.inc({ route, status: String(status) });
    this.#latency.observe({ route }, seconds);
  }

  /** Counts one authorization decision (allowed, explicitDeny, implicitDeny) by the API that made it. */
  decision(api: string, result: string): void {
    this.#decisions.inc({ api, decision: result });
  }

  /** Counts one task a request thread finished (outcome: ok, error, deadline). */
  task(kind: string, outcome: string): void {
    this.#tasks.inc({ kind, outcome });
  }

  snapshot(): Promise<MetricsSnapshot> {
    return this.#registry.getMetricsAsJSON();
  }

  /** This process's metrics as Prometheus text. */
  async render(extra: ExtraGauges = {}): Promise<string> {
    return renderMetrics([await this.snapshot()], extra);
  }

  /** The whole server's metrics (every worker's, summed) as Prometheus text. */
  async renderAll(extra: ExtraGauges = {}): Promise<string> {
    return renderMetrics(this.#gather ? await this.#gather() : [await this.snapshot()], extra);
  }
}

/** Sums several processes' snapshots (the workers of one server) into Prometheus text, then adds `extra` as gauges. */
export async function renderMetrics(snapshots: readonly MetricsSnapshot[], extra: ExtraGauges = {}): Promise<string> {
  const registry = AggregatorRegistry.aggregate([...snapshots]);
  for (const [name, value] of Object.entries(extra)) {
    new Gauge({ name, help: gaugeHelp(name), registers: [registry] }).set(value);
  }
  return registry.metrics();
}

function gaugeHelp(name: string): string {
  return name.replace(/^iamsim_/, '').replace(/_/g, ' ');
}
