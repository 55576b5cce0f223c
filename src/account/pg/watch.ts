/**
 * Watches the PostgreSQL store's version: a dedicated connection LISTENs on
 * the change channel (writers NOTIFY in their transaction, delivered on
 * commit), and a poll of the version counter covers notifications missed
 * while that connection was down. `changed` sees each newer version once.
 */
import pg from 'pg';

export interface WatchOptions {
  readonly url: string;
  readonly channel: string;
  readonly pollMs: number;
  readonly readVersion: () => Promise<number>;
  readonly changed: (version: number) => void;
  readonly onError?: (err: unknown) => void;
}

/** Reconnect delays: from 250 ms, doubling up to 5 s while the database stays away. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/** Starts watching; the returned function stops it. */
export function watchVersion(o: WatchOptions): () => Promise<void> {
  let stopped = false;
  let seen = -1;
  let client: pg.Client | undefined;
  let reconnect: NodeJS.Timeout | undefined;
  let delay = RECONNECT_MIN_MS;

  const offer = (v: number): void => {
    if (stopped || !Number.isFinite(v) || v <= seen) return;
    seen = v;
    o.changed(v);
  };
  const check = async (): Promise<void> => {
    try {
      offer(await o.readVersion());
    } catch (err) {
      if (!stopped) o.onError?.(err);
    }
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: o.url, application_name: 'iamsim-listen', keepAlive: true });
    client = c;
    const retry = (err: unknown): void => {
      if (stopped || client !== c) return;
      client = undefined;
      o.onError?.(err);
      void c.end().catch(() => undefined);
      reconnect = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      reconnect.unref();
    };
    c.on('error', retry);
    c.on('end', () => retry(new Error('LISTEN connection closed')));
    c.on('notification', (n) => {
      if (n.channel === o.channel) offer(Number(n.payload));
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${o.channel}`);
      delay = RECONNECT_MIN_MS;
      // Catch up on anything committed while not listening.
      await check();
    } catch (err) {
      retry(err);
    }
  };

  const timer = setInterval(() => void check(), o.pollMs);
  void (async () => {
    try {
      seen = await o.readVersion();
    } catch (err) {
      o.onError?.(err);
    }
    await connect();
  })();

  return async () => {
    stopped = true;
    clearInterval(timer);
    if (reconnect !== undefined) clearTimeout(reconnect);
    const c = client;
    client = undefined;
    if (c) await c.end().catch(() => undefined);
  };
}
