/**
 * `createServer(engine, options)`: one node:http server answering every API
 * (see router.ts). Per request: read the body within the limit (413 beyond),
 * verify the signature when configured, dispatch, record metrics. Errors are
 * written in the route's protocol; nothing internal reaches the client.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Engine } from './engine.js';
import { ApiError, errorReply } from './errors.js';
import { DecisionLog, type DecisionLogOptions, type LogSink } from './decision-log.js';
import { Metrics, type MetricsGatherer } from './metrics.js';
import { errorStyleFor, Router, type RouteRequest } from './router.js';
import { credentialOf } from './sigv4-scope.js';
import { verifySignature, type Credentials } from './auth.js';
import { BodyTooLarge, Context, readBody, RequestIds, send, type ServerScope, Target } from './request.js';
import type { Caller, Reply, Route } from './types.js';

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
  /** Milliseconds to receive the request headers (default 10 s). */
  readonly headersTimeout?: number;
  /** Milliseconds to receive the whole request (default 30 s). */
  readonly requestTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open (default 5 s). */
  readonly keepAliveTimeout?: number;
}

export interface IamsimServer {
  readonly server: Server;
  readonly metrics: Metrics;
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
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const router = new Router(options.routes);
  const metrics = new Metrics(options.gatherMetrics, () => engine.iamsim.cacheStats());
  const decisionLog = options.decisionLog ? new DecisionLog(options.decisionLog) : undefined;
  const scope: ServerScope = {
    engine,
    metrics,
    ...(decisionLog ? { decisionLog } : {}),
    ...(options.defaultAccountId !== undefined ? { defaultAccountId: options.defaultAccountId } : {}),
    ...(options.staticDir !== undefined ? { staticDir: options.staticDir } : {}),
  };
  const ids = new RequestIds();
  const loopbackServer = isLoopback(host);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const start = performance.now();
    const requestId = ids.next();
    metrics.started();
    let rr: RouteRequest | undefined;
    let route: Route | undefined;
    let reply: Reply;
    try {
      const target = new Target(req.url ?? '/');
      const credential = credentialOf(req.headers, target);
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const contentType = req.headers['content-type'] ?? '';
      rr = credential ? { method, path: target.path, contentType, service: credential.service } : { method, path: target.path, contentType };
      route = router.route(rr);
      const body = await readBody(req, limit);
      let caller: Caller = credential
        ? { verified: false, loopbackServer, accessKeyId: credential.accessKeyId, service: credential.service }
        : { verified: false, loopbackServer };
      if (options.credentials) caller = await verifySignature(req, target.url, body, options.credentials, caller);
      reply = await route.handle(new Context(scope, rr.method, target, req.headers, body, requestId, caller));
    } catch (err) {
      const e = err instanceof BodyTooLarge ? new ApiError(413, 'RequestEntityTooLarge', `the request body exceeds ${limit} bytes`) : err;
      if (!(e instanceof ApiError)) process.stderr.write(`iamsim serve: request ${requestId} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      reply = errorReply(e, route?.errors ?? (rr ? errorStyleFor(rr) : 'json'), requestId);
      if (err instanceof BodyTooLarge) res.setHeader('connection', 'close');
    }
    send(res, reply, req.method === 'HEAD');
    metrics.finished(route?.name ?? route?.path ?? 'unmatched', reply.status, (performance.now() - start) / 1000);
  };

  const server = createHttpServer((req, res) => void handle(req, res));
  server.headersTimeout = options.headersTimeout ?? 10_000;
  server.requestTimeout = options.requestTimeout ?? 30_000;
  server.keepAliveTimeout = options.keepAliveTimeout ?? 5_000;

  return {
    server,
    metrics,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          resolve(`http://${h}:${a.port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          void (decisionLog?.close() ?? Promise.resolve()).then(resolve);
        });
        server.closeIdleConnections();
      }),
  };
}
