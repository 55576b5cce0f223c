/**
 * One request, start to finish: parse the target (400 when it is no path),
 * choose the route, check where it comes from (Host, cross-site: guard.ts),
 * read the body within the limit, authenticate as the route requires
 * (--auth sigv4: a signature scoped to the route's service; the console's
 * session; nothing for health probes), run the handler within the request's
 * deadline, and write the reply in the route's protocol.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ApiError, errorReply } from './errors.js';
import { ProtocolError } from '../protocol/errors.js';
import type { RequestGuard } from './guard.js';
import type { Metrics } from './metrics.js';
import { TaskDeadlineExceeded } from './pool.js';
import { errorStyleFor, type Router, type RouteRequest } from './router.js';
import { credentialOf } from './sigv4-scope.js';
import { type Credentials, type ExpectedScope, verifySignature } from './auth.js';
import { BodyTooLarge, Context, readBody, RequestIds, send, type ServerScope, Target } from './request.js';
import { queryForm, queryServiceOf } from './routes/iam-query.js';
import type { Caller, Reply, Route } from './types.js';

/** IAM signs in us-east-1 whatever the client's region; STS and Access Analyzer in the server's region. */
export function signingRegion(service: string, serverRegion: string): string {
  return service === 'iam' ? 'us-east-1' : serverRegion;
}

export interface PipelineOptions {
  readonly router: Router;
  readonly metrics: Metrics;
  readonly scope: ServerScope;
  readonly guard: RequestGuard;
  readonly bodyLimit: number;
  readonly loopbackServer: boolean;
  readonly credentials?: Credentials;
  /** Region of the regional services (STS, Access Analyzer). */
  readonly region: string;
  /** Milliseconds a request may run. */
  readonly deadline: number;
  /** Milliseconds a route with `deadline: 'long'` may run. */
  readonly longDeadline: number;
}

class DeadlineExceeded extends Error {}

function timeoutError(ms: number): ApiError {
  return new ApiError(503, 'ServiceUnavailable', `The request did not finish within its deadline of ${ms} ms.`);
}

export class Pipeline {
  readonly #ids = new RequestIds();
  readonly #expect: ExpectedScope;

  constructor(private readonly o: PipelineOptions) {
    this.#expect = { services: [], regionOf: (s) => signingRegion(s, o.region) };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const o = this.o;
    const start = performance.now();
    const requestId = this.#ids.next();
    o.metrics.started();
    let rr: RouteRequest | undefined;
    let route: Route | undefined;
    let reply: Reply;
    const extraHeaders: string[] = [];
    let target: Target | undefined;
    let body: Buffer | undefined;
    try {
      target = new Target(req.url ?? '/');
      const credential = credentialOf(req.headers, target);
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
      const contentType = req.headers['content-type'] ?? '';
      rr = credential ? { method, path: target.path, contentType, service: credential.service } : { method, path: target.path, contentType };
      route = o.router.route(rr);
      const access = route.access ?? 'api';
      if (access !== 'public') o.guard.checkHost(req.headers);
      if (access === 'api' || access === 'console') o.guard.checkSameOrigin(req.headers);
      if (access === 'console' && method !== 'GET') o.guard.checkCsrf(req.headers);
      body = await readBody(req, o.bodyLimit);
      const login = access === 'static' && o.credentials !== undefined ? this.#login(target, req) : undefined;
      if (login !== undefined) reply = login;
      else {
        const unverified: Caller = credential
          ? { verified: false, loopbackServer: o.loopbackServer, accessKeyId: credential.accessKeyId, service: credential.service }
          : { verified: false, loopbackServer: o.loopbackServer };
        const caller = await this.#authenticate(route, req, target, body, unverified);
        if (route.readsModel) await o.scope.engine.fresh();
        reply = await this.#run(route, new Context(o.scope, rr.method, target, req.headers, body, requestId, caller, Date.now() + this.#deadlineOf(route)));
      }
    } catch (err) {
      reply = this.#failure(err, requestId, route, rr, target !== undefined && rr !== undefined ? queryForm(rr.method, target.url, body) : undefined);
      if (err instanceof BodyTooLarge) extraHeaders.push('connection', 'close');
    }
    for (let i = 0; i < extraHeaders.length; i += 2) res.setHeader(extraHeaders[i]!, extraHeaders[i + 1]!);
    send(res, reply, req.method === 'HEAD');
    o.metrics.finished(route?.name ?? route?.path ?? 'unmatched', reply.status, (performance.now() - start) / 1000);
  }

  /** The error reply; `form` (a Query request's parameters, as far as read) picks the Query service's XML namespace. */
  #failure(err: unknown, requestId: string, route: Route | undefined, rr: RouteRequest | undefined, form: URLSearchParams | undefined): Reply {
    let e = err;
    if (err instanceof BodyTooLarge) e = new ApiError(413, 'RequestEntityTooLarge', `the request body exceeds ${this.o.bodyLimit} bytes`);
    else if (err instanceof DeadlineExceeded || err instanceof TaskDeadlineExceeded)
      e = timeoutError(route !== undefined ? this.#deadlineOf(route) : this.o.deadline);
    else if (!(err instanceof ProtocolError))
      process.stderr.write(`iamsim serve: request ${requestId} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    const style = route?.errors ?? (rr ? errorStyleFor(rr) : 'json');
    if (e instanceof ApiError && e.code === 'ServiceUnavailable' && style === 'rest-json') e = new ApiError(503, 'ServiceUnavailableException', e.message);
    return errorReply(e, style, requestId, style === 'query' && form !== undefined ? queryServiceOf(form, rr?.service) : 'iam');
  }

  /** With --auth sigv4: health is public, the console's files and API take the session cookie, the rest a signature. */
  async #authenticate(route: Route, req: IncomingMessage, target: Target, body: Buffer, caller: Caller): Promise<Caller> {
    const keys = this.o.credentials;
    const access = route.access ?? 'api';
    if (keys === undefined || access === 'public' || access === 'static') return caller;
    if (access === 'console' && this.o.guard.hasSession(req.headers)) return caller;
    const expect: ExpectedScope = route.services ? { services: route.services, regionOf: this.#expect.regionOf } : this.#expect;
    return verifySignature(req, target.url, body, keys, caller, expect);
  }

  /** The console's page with --auth sigv4: `/?token=…` opens a session; without one, a page asking for the token. */
  #login(target: Target, req: IncomingMessage): Reply | undefined {
    const guard = this.o.guard;
    const token = target.hasQuery ? target.url.searchParams.get('token') : null;
    if (token !== null) {
      if (!guard.tokenMatches(token)) return loginPage(401, 'That token is not this server’s console token.');
      return { status: 303, headers: { location: target.path, 'set-cookie': guard.sessionSetCookie(), 'cache-control': 'no-store' }, body: '' };
    }
    const page = target.path === '/' || target.path === '/index.html';
    if (page && !guard.hasSession(req.headers)) return loginPage(401, '');
    return undefined;
  }

  #deadlineOf(route: Route): number {
    return route.deadline === 'long' ? this.o.longDeadline : this.o.deadline;
  }

  /** Runs the handler; past the deadline the client gets ServiceUnavailable (heavy work is cut by the pool itself). */
  #run(route: Route, ctx: Context): Promise<Reply> {
    const ms = ctx.deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineExceeded()), ms);
    });
    return Promise.race([Promise.resolve().then(() => route.handle(ctx)), late]).finally(() => clearTimeout(timer));
  }
}

function loginPage(status: number, problem: string): Reply {
  const note = problem === '' ? '' : `<p role="alert">${problem}</p>`;
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iamsim console: sign in</title></head>
<body><main><h1>iamsim console</h1>${note}
<p>This server needs its console token. Open the URL <code>iamsim serve</code> printed, or enter the token:</p>
<form method="get" action="/"><label>Token <input name="token" type="password" autocomplete="off" required></label> <button>Open the console</button></form>
</main></body></html>
`;
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }, body };
}
