/** What route handlers see and return. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Engine } from './engine.js';
import type { DecisionLog } from './decision-log.js';
import type { Metrics } from './metrics.js';
import type { TaskRunner } from './pool-protocol.js';

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/** Who sent the request, as far as the server knows. */
export interface Caller {
  /** True when a SigV4 signature was verified against a configured key. */
  readonly verified: boolean;
  /** Access key id from the signature (verified or not). */
  readonly accessKeyId?: string;
  /** The service named in the SigV4 credential scope (iam, access-analyzer, …). */
  readonly service?: string;
  /** The account a verified key acts in (aws_account_id in the credentials file). */
  readonly accountId?: string;
  /** True when the server listens on a loopback address only. */
  readonly loopbackServer: boolean;
}

export interface RequestContext {
  readonly engine: Engine;
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly requestId: string;
  readonly caller: Caller;
  readonly metrics: Metrics;
  /** Threads for heavy work (checks, simulations), bounded by the deadline and a heap limit. */
  readonly pool: TaskRunner;
  readonly decisionLog?: DecisionLog;
  /** The account IAM calls act in when the key names none (serve --account-id). */
  readonly defaultAccountId?: string;
  /** Folder of the built console (dist/web); absent when not built. */
  readonly staticDir?: string;
  /** The console's CSRF token, put in the page the static route serves. */
  readonly csrfToken?: string;
  /** An answer member its output shape lacks is an error (test servers), not left out (ServerOptions.strictOutput). */
  readonly strictOutput?: boolean;
  /** When the request's time is up (epoch milliseconds): heavy work gives up then. */
  readonly deadline: number;
}

/** How a route's errors are written: AWS Query XML, AWS REST-JSON, or iamsim's plain JSON. */
export type ErrorStyle = 'query' | 'rest-json' | 'json';

/**
 * Who may call a route. `api` (default): with --auth sigv4 a SigV4 signature
 * (scoped to `services` when given); browsers only from this server's own
 * pages. `console`: the console's API (its session cookie or a signature;
 * writes carry the CSRF token). `static`: the console's files (the page
 * itself needs the session with --auth sigv4). `public`: health probes, never
 * authenticated.
 */
export type RouteAccess = 'api' | 'console' | 'static' | 'public';

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Exact path, or a prefix ending in '/*' (e.g. '/api/graph/*'). */
  readonly path: string;
  /** Label for metrics (defaults to the path). */
  readonly name?: string;
  readonly errors?: ErrorStyle;
  readonly access?: RouteAccess;
  /** The route answers from the account model: the engine first catches up with the store (read-your-writes). */
  readonly readsModel?: boolean;
  /** `long`: the request may run for the server's long deadline (the console's audit of a whole model), not the request deadline. */
  readonly deadline?: 'long';
  /** SigV4 services whose signatures the route accepts (absent: any; iamsim's own APIs). */
  readonly services?: readonly string[];
  handle(ctx: RequestContext): Promise<Reply> | Reply;
}
