/**
 * Prometheus metrics of one server process: request counts by route and
 * status, request latency histograms by route, decisions by result. Each
 * route's counters are created once (its "child") and then only incremented.
 * `snapshot()` is plain data, so the workers of `serve --workers N` can send
 * theirs to one place; `renderMetrics` sums snapshots into the text
 * exposition format 0.0.4.
 */
export const BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One route's counters: requests by status, and its latency histogram (per bucket, not cumulative). */
interface RouteChild {
  readonly byStatus: Map<number, number>;
  readonly buckets: number[];
  sum: number;
  count: number;
}

export interface RouteSnapshot {
  readonly route: string;
  readonly byStatus: readonly (readonly [number, number])[];
  /** Observations per bucket (the last entry: above every bound). */
  readonly buckets: readonly number[];
  readonly sum: number;
  readonly count: number;
}

export interface MetricsSnapshot {
  readonly routes: readonly RouteSnapshot[];
  /** [api, decision, count] */
  readonly decisions: readonly (readonly [string, string, number])[];
  readonly inFlight: number;
}

function bucketOf(seconds: number): number {
  let i = 0;
  while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
  return i;
}

/** Collects the snapshots of every process of one server (this one's included). */
export type MetricsGatherer = () => Promise<readonly MetricsSnapshot[]>;

export class Metrics {
  readonly #gather: MetricsGatherer | undefined;
  readonly #routes = new Map<string, RouteChild>();
  readonly #decisions = new Map<string, Map<string, number>>();
  #inFlight = 0;

  /** `gather`: with workers, fetches every worker's snapshot (default: this process only). */
  constructor(gather?: MetricsGatherer) {
    this.#gather = gather;
  }

  started(): void {
    this.#inFlight++;
  }

  /** Records a finished request: `route` is the route label, `seconds` its duration. */
  finished(route: string, status: number, seconds: number): void {
    this.#inFlight--;
    let c = this.#routes.get(route);
    if (c === undefined) {
      c = { byStatus: new Map(), buckets: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      this.#routes.set(route, c);
    }
    c.byStatus.set(status, (c.byStatus.get(status) ?? 0) + 1);
    c.buckets[bucketOf(seconds)]!++;
    c.sum += seconds;
    c.count++;
  }

  /** Counts one authorization decision (allowed, explicitDeny, implicitDeny) by the API that made it. */
  decision(api: string, result: string): void {
    let m = this.#decisions.get(api);
    if (m === undefined) {
      m = new Map();
      this.#decisions.set(api, m);
    }
    m.set(result, (m.get(result) ?? 0) + 1);
  }

  snapshot(): MetricsSnapshot {
    return {
      routes: [...this.#routes].map(([route, c]) => ({ route, byStatus: [...c.byStatus], buckets: [...c.buckets], sum: c.sum, count: c.count })),
      decisions: [...this.#decisions].flatMap(([api, m]) => [...m].map(([d, n]) => [api, d, n] as const)),
      inFlight: this.#inFlight,
    };
  }

  /** This process's metrics as Prometheus text. */
  render(extra: Readonly<Record<string, number>> = {}): string {
    return renderMetrics([this.snapshot()], extra);
  }

  /** The whole server's metrics (every worker's, summed) as Prometheus text. */
  async renderAll(extra: Readonly<Record<string, number>> = {}): Promise<string> {
    return renderMetrics(this.#gather ? await this.#gather() : [this.snapshot()], extra);
  }
}

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function add<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

/** Sums several processes' snapshots (the workers of one server) into Prometheus text. */
export function renderMetrics(snapshots: readonly MetricsSnapshot[], extra: Readonly<Record<string, number>> = {}): string {
  const requests = new Map<string, number>();
  const latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const decisions = new Map<string, number>();
  let inFlight = 0;
  for (const s of snapshots) {
    inFlight += s.inFlight;
    for (const r of s.routes) {
      for (const [status, n] of r.byStatus) add(requests, `${r.route}\u0000${status}`, n);
      let h = latency.get(r.route);
      if (h === undefined) {
        h = { buckets: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
        latency.set(r.route, h);
      }
      r.buckets.forEach((n, i) => {
        h.buckets[i]! += n;
      });
      h.sum += r.sum;
      h.count += r.count;
    }
    for (const [api, d, n] of s.decisions) add(decisions, `${api}\u0000${d}`, n);
  }
  const out: string[] = ['# HELP iamsim_http_requests_total HTTP requests by route and status.', '# TYPE iamsim_http_requests_total counter'];
  for (const [k, n] of requests) {
    const [route, status] = k.split('\u0000');
    out.push(`iamsim_http_requests_total{route="${label(route!)}",status="${status}"} ${n}`);
  }
  out.push('# HELP iamsim_http_request_duration_seconds Request latency by route.', '# TYPE iamsim_http_request_duration_seconds histogram');
  for (const [route, h] of latency) {
    const r = label(route);
    let cumulative = 0;
    BUCKETS.forEach((b, i) => {
      cumulative += h.buckets[i]!;
      out.push(`iamsim_http_request_duration_seconds_bucket{route="${r}",le="${b}"} ${cumulative}`);
    });
    out.push(
      `iamsim_http_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}`,
      `iamsim_http_request_duration_seconds_sum{route="${r}"} ${h.sum}`,
      `iamsim_http_request_duration_seconds_count{route="${r}"} ${h.count}`,
    );
  }
  out.push('# HELP iamsim_decisions_total Authorization decisions by API and result.', '# TYPE iamsim_decisions_total counter');
  for (const [k, n] of decisions) {
    const [api, result] = k.split('\u0000');
    out.push(`iamsim_decisions_total{api="${label(api!)}",decision="${label(result!)}"} ${n}`);
  }
  out.push(
    '# HELP iamsim_http_requests_in_flight Requests being handled.',
    '# TYPE iamsim_http_requests_in_flight gauge',
    `iamsim_http_requests_in_flight ${inFlight}`,
  );
  for (const [name, v] of Object.entries(extra)) out.push(`# TYPE ${name} gauge`, `${name} ${v}`);
  return `${out.join('\n')}\n`;
}
