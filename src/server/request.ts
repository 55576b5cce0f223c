/**
 * The per-request pieces of the HTTP server, kept cheap on the hot path:
 * request ids from a counter behind a random per-process prefix, the path read
 * without building a URL when it is plain (the URL is built on first use), the
 * body read within the limit, the reply written in one `res.end` with its
 * Content-Length.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Engine } from './engine.js';
import { ApiError } from './errors.js';
import type { DecisionLog } from './decision-log.js';
import type { Metrics } from './metrics.js';
import type { TaskRunner } from './pool-protocol.js';
import type { Caller, Reply, RequestContext } from './types.js';

/**
 * Request ids shaped like UUIDs: 20 random hex digits chosen once per
 * generator (per process), then a 12-digit counter. Unique within a process
 * and, with overwhelming probability, across the workers of one server.
 */
export class RequestIds {
  readonly #prefix: string;
  #n = 0;

  constructor() {
    const h = randomBytes(10).toString('hex');
    this.#prefix = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Number.parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-`;
  }

  next(): string {
    this.#n = (this.#n + 1) % 0x1_0000_0000_0000;
    return this.#prefix + this.#n.toString(16).padStart(12, '0');
  }
}

/** Paths that need no decoding or normalization (letters, digits, '_', '-', '/'; no '.', '%', query, leading '//'). */
const PLAIN_PATH = /^\/(?!\/)[\w/-]*$/;

/** The request target's path and, only when needed, its parsed URL. */
export class Target {
  readonly path: string;
  #url: URL | undefined;

  /** Throws a 400 ApiError when the target is no URL path (e.g. `//`, which the URL parser refuses). */
  constructor(readonly raw: string) {
    if (PLAIN_PATH.test(raw)) this.path = raw;
    else {
      try {
        this.#url = new URL(raw, 'http://localhost');
      } catch {
        throw new ApiError(400, 'InvalidRequest', 'the request target is not a valid path');
      }
      this.path = this.#url.pathname;
      try {
        decodeURIComponent(this.path);
      } catch {
        throw new ApiError(400, 'InvalidRequest', 'the request path is not valid percent-encoded UTF-8');
      }
    }
  }

  get url(): URL {
    this.#url ??= new URL(this.raw, 'http://localhost');
    return this.#url;
  }

  /** True when the target has a query string (a URL is then worth parsing). */
  get hasQuery(): boolean {
    return this.raw.includes('?');
  }
}

/** What every request of one server shares. */
export interface ServerScope {
  readonly engine: Engine;
  readonly metrics: Metrics;
  readonly pool: TaskRunner;
  readonly decisionLog?: DecisionLog;
  readonly defaultAccountId?: string;
  readonly staticDir?: string;
  readonly csrfToken?: string;
  readonly strictOutput?: boolean;
}

/** The RequestContext handed to routes; `url` is parsed on first use. */
export class Context implements RequestContext {
  readonly engine: Engine;
  readonly metrics: Metrics;
  readonly pool: TaskRunner;
  readonly decisionLog?: DecisionLog;
  readonly defaultAccountId?: string;
  readonly staticDir?: string;
  readonly csrfToken?: string;
  readonly strictOutput: boolean;

  constructor(
    scope: ServerScope,
    readonly method: string,
    readonly target: Target,
    readonly headers: IncomingHttpHeaders,
    readonly body: Buffer,
    readonly requestId: string,
    readonly caller: Caller,
    readonly deadline: number,
  ) {
    this.engine = scope.engine;
    this.metrics = scope.metrics;
    this.pool = scope.pool;
    if (scope.decisionLog !== undefined) this.decisionLog = scope.decisionLog;
    if (scope.defaultAccountId !== undefined) this.defaultAccountId = scope.defaultAccountId;
    if (scope.staticDir !== undefined) this.staticDir = scope.staticDir;
    if (scope.csrfToken !== undefined) this.csrfToken = scope.csrfToken;
    this.strictOutput = scope.strictOutput === true;
  }

  get url(): URL {
    return this.target.url;
  }
}

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes the reply in one `end` call: status, headers with Content-Length, body (none for HEAD). */
export function send(res: ServerResponse, reply: Reply, head: boolean): void {
  const length = typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.length;
  const headers: string[] = [];
  for (const name in reply.headers) headers.push(name, reply.headers[name]!);
  headers.push('content-length', String(length));
  res.writeHead(reply.status, headers);
  res.end(head ? undefined : reply.body);
}
