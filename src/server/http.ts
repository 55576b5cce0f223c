/**
 * `createServer(engine, options)`: one node:http server answering every API
 * (see router.ts). Per request: read the body within the limit (413 beyond),
 * verify the signature when configured, dispatch, record metrics. Errors are
 * written in the route's protocol; nothing internal reaches the client.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Engine } from './engine.js';
import { DecisionLog, type DecisionLogOptions, type LogSink } from './decision-log.js';
import { RequestGuard } from './guard.js';
import { Metrics, type MetricsGatherer } from './metrics.js';
import { Pipeline } from './pipeline.js';
import { warmConsole } from './routes/console.js';
import { type PoolOptions, TaskPool } from './pool.js';
import { Router } from './router.js';
import type { Credentials } from './auth.js';
import type { ServerScope } from './request.js';
import type { Route } from './types.js';

export interface ServerOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Request body limit in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Access keys for `--auth sigv4`; without them signatures are accepted unverified. */
  readonly credentials?: Credentials;
  /** The decision log: a file (rotated by size), or a sink (a worker's channel to its primary). */
  readonly decisionLog?: DecisionLogOptions | LogSink;
  /** With workers: collects every worker's metrics for /metrics (default: this process's only). */
  readonly gatherMetrics?: MetricsGatherer;
  /** Folder of the built console (default: dist/web next to this build, when present). */
  readonly staticDir?: string;
  readonly routes?: readonly Route[];
  /** The account IAM calls act in when the signing key names none (default: the model's only account). */
  readonly defaultAccountId?: string;
  /**
   * Refuse (ServiceFailure, 500) an IAM/STS answer holding a member its output shape lacks, instead of leaving it out:
   * the test servers set it, so a handler's misspelled or stray member fails its tests rather than vanish.
   */
  readonly strictOutput?: boolean;
  /** Milliseconds to receive the request headers (default 10 s). */
  readonly headersTimeout?: number;
  /** Milliseconds to receive the whole request (default 30 s). */
  readonly requestTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open (default 5 s). */
  readonly keepAliveTimeout?: number;
  /** Milliseconds a request may run before it is answered ServiceUnavailable (default 30 s). */
  readonly deadline?: number;
  /** Milliseconds the console's audit may run (default 10 minutes): a whole model's audit takes longer than a request. */
  readonly longDeadline?: number;
  /** The region of the regional services (STS, Access Analyzer) signatures must name (default us-east-1). */
  readonly region?: string;
  /** More names the Host header may carry ('*': any). */
  readonly allowedHosts?: readonly string[];
  /** Secret (hex) the console's tokens derive from; the workers of one server share it. Random by default. */
  readonly secret?: string;
  /** The console's login token with --auth sigv4 (random, unprinted, when absent: the console is then locked). */
  readonly consoleToken?: string;
  /** Threads for heavy requests (default 2) and each one's heap limit in MiB (default 512). */
  readonly pool?: PoolOptions;
  /** Start the request threads as soon as the server listens (`iamsim serve`), not on the first heavy request. */
  readonly warmThreads?: boolean;
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

export interface IamsimServer {
  readonly server: Server;
  readonly metrics: Metrics;
  /** The console's CSRF token (its page carries it; console writes send it back in x-iamsim-csrf). */
  readonly csrfToken: string;
  /** Starts listening; resolves to the base URL (e.g. http://127.0.0.1:43121). */
  listen(): Promise<string>;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
}

export function createServer(engine: Engine, options: ServerOptions = {}): IamsimServer {
  const host = options.host ?? '127.0.0.1';
  const metrics = new Metrics(options.gatherMetrics, () => engine.iamsim.cacheStats());
  const decisionLog = options.decisionLog ? new DecisionLog(options.decisionLog) : undefined;
  const guard = new RequestGuard({
    host,
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
    ...(options.credentials !== undefined ? { consoleToken: options.consoleToken ?? randomBytes(24).toString('base64url') } : {}),
    secure: options.tls !== undefined,
  });
  const pool = new TaskPool({ ...options.pool, onTask: (kind, outcome) => metrics.task(kind, outcome) });
  const scope: ServerScope = {
    engine,
    metrics,
    pool,
    csrfToken: guard.csrfToken,
    ...(decisionLog ? { decisionLog } : {}),
    ...(options.defaultAccountId !== undefined ? { defaultAccountId: options.defaultAccountId } : {}),
    ...(options.strictOutput === true ? { strictOutput: true } : {}),
    ...(options.staticDir !== undefined ? { staticDir: options.staticDir } : {}),
  };
  const pipeline = new Pipeline({
    router: new Router(options.routes),
    metrics,
    scope,
    guard,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    loopbackServer: isLoopback(host),
    region: options.region ?? 'us-east-1',
    deadline: options.deadline ?? 30_000,
    longDeadline: options.longDeadline ?? 600_000,
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
  const timeouts = {
    headersTimeout: options.headersTimeout ?? 10_000,
    requestTimeout: options.requestTimeout ?? 30_000,
    keepAliveTimeout: options.keepAliveTimeout ?? 5_000,
    // node checks the header and request timeouts on this interval (30 s by default, which made a 10 s limit 17–36 s).
    connectionsCheckingInterval: 1_000,
  };
  const onRequest = (req: Parameters<Pipeline['handle']>[0], res: Parameters<Pipeline['handle']>[1]): void => void pipeline.handle(req, res);
  const server: Server = options.tls
    ? createHttpsServer({ ...timeouts, cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(timeouts, onRequest);
  server.headersTimeout = timeouts.headersTimeout;
  server.requestTimeout = timeouts.requestTimeout;
  server.keepAliveTimeout = timeouts.keepAliveTimeout;
  const scheme = options.tls ? 'https' : 'http';

  return {
    server,
    metrics,
    csrfToken: guard.csrfToken,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => {
          server.off('error', reject);
          if (options.warmThreads === true) {
            pool.warm(engine.snapshot());
            warmConsole(engine);
          }
          const a = server.address() as AddressInfo;
          const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          resolve(`${scheme}://${h}:${a.port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          void Promise.all([decisionLog?.close(), pool.close()]).then(() => resolve());
        });
        server.closeIdleConnections();
      }),
  };
}
