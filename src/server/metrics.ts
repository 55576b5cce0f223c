/**
 * Prometheus metrics of one server: request counts by route and status,
 * request latency histograms by route, decisions by result. Text exposition
 * format 0.0.4.
 */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Histogram>();
  readonly #decisions = new Map<string, number>();
  #inFlight = 0;

  started(): void {
    this.#inFlight++;
  }

  /** Records a finished request: `route` is the route label, `seconds` its duration. */
  finished(route: string, status: number, seconds: number): void {
    this.#inFlight--;
    const key = `${route}\u0000${status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let h = this.#latency.get(route);
    if (h === undefined) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#latency.set(route, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** Counts one authorization decision (allowed, explicitDeny, implicitDeny) by the API that made it. */
  decision(api: string, result: string): void {
    const key = `${api}\u0000${result}`;
    this.#decisions.set(key, (this.#decisions.get(key) ?? 0) + 1);
  }

  render(extra: Readonly<Record<string, number>> = {}): string {
    const out: string[] = ['# HELP iamsim_http_requests_total HTTP requests by route and status.', '# TYPE iamsim_http_requests_total counter'];
    for (const [k, n] of this.#requests) {
      const [route, status] = k.split('\u0000');
      out.push(`iamsim_http_requests_total{route="${label(route!)}",status="${status}"} ${n}`);
    }
    out.push('# HELP iamsim_http_request_duration_seconds Request latency by route.', '# TYPE iamsim_http_request_duration_seconds histogram');
    for (const [route, h] of this.#latency) {
      const r = label(route);
      BUCKETS.forEach((b, i) => {
        out.push(`iamsim_http_request_duration_seconds_bucket{route="${r}",le="${b}"} ${h.counts[i]}`);
      });
      out.push(
        `iamsim_http_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}`,
        `iamsim_http_request_duration_seconds_sum{route="${r}"} ${h.sum}`,
        `iamsim_http_request_duration_seconds_count{route="${r}"} ${h.count}`,
      );
    }
    out.push('# HELP iamsim_decisions_total Authorization decisions by API and result.', '# TYPE iamsim_decisions_total counter');
    for (const [k, n] of this.#decisions) {
      const [api, result] = k.split('\u0000');
      out.push(`iamsim_decisions_total{api="${label(api!)}",decision="${label(result!)}"} ${n}`);
    }
    out.push(
      '# HELP iamsim_http_requests_in_flight Requests being handled.',
      '# TYPE iamsim_http_requests_in_flight gauge',
      `iamsim_http_requests_in_flight ${this.#inFlight}`,
    );
    for (const [name, v] of Object.entries(extra)) out.push(`# TYPE ${name} gauge`, `${name} ${v}`);
    return `${out.join('\n')}\n`;
  }
}
