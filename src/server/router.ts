/**
 * Chooses the handler for a request: an IAM Query call (form POST to `/`, or
 * any request whose SigV4 credential scope names `iam`), a route from the
 * table in routes/index.ts (exact paths, then '/*' prefixes), or a console
 * asset (GET). The route also decides how errors are written.
 */
import { ACCESSANALYZER_MODEL } from '../protocol/generated/accessanalyzer.js';
import { matchRestOperation, type RestOperation, restOperations } from '../protocol/rest-uri.js';
import { ApiError } from './errors.js';
import { iamQueryRoute } from './routes/iam-query.js';
import { ROUTES } from './routes/index.js';
import { staticRoute } from './routes/static.js';
import type { Route } from './types.js';

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  /** Service from the SigV4 credential scope, when signed. */
  readonly service?: string;
}

/**
 * An operation of Access Analyzer's model that iamsim does not serve: AWS's REST-JSON error, 501 NotImplemented (the
 * model's method and URI template tie the request to the operation, so it is not a 404).
 */
function notImplementedRoute(op: RestOperation): Route {
  return {
    method: op.method as Route['method'],
    path: op.uri,
    name: op.name,
    errors: 'rest-json',
    services: ['access-analyzer'],
    handle() {
      throw new ApiError(
        501,
        'NotImplemented',
        `${op.name} is an operation of Access Analyzer ${ACCESSANALYZER_MODEL.metadata.apiVersion} that iamsim does not implement.`,
      );
    },
  };
}

export class Router {
  readonly #exact = new Map<string, Route>();
  readonly #prefix: Route[] = [];
  /** Access Analyzer's operations as the model routes them (the served ones are exact routes and match first). */
  readonly #accessAnalyzer = restOperations(ACCESSANALYZER_MODEL);

  constructor(routes: readonly Route[] = ROUTES) {
    for (const r of routes) {
      if (r.path.endsWith('/*')) this.#prefix.push(r);
      else this.#exact.set(`${r.method} ${r.path}`, r);
    }
    // Longest prefix first.
    this.#prefix.sort((a, b) => b.path.length - a.path.length);
  }

  /** The route for a request; a NotFound/MethodNotAllowed ApiError when none. */
  route(req: RouteRequest): Route {
    if (
      req.service === 'iam' ||
      req.service === 'sts' ||
      (req.method === 'POST' && req.path === '/' && req.contentType.startsWith('application/x-www-form-urlencoded'))
    ) {
      return iamQueryRoute;
    }
    const exact = this.#exact.get(`${req.method} ${req.path}`);
    if (exact) return exact;
    for (const r of this.#prefix) {
      if (r.method === req.method && (req.path === r.path.slice(0, -2) || req.path.startsWith(r.path.slice(0, -1)))) return r;
    }
    const aa = matchRestOperation(this.#accessAnalyzer, req.method, req.path);
    if (aa !== undefined) return notImplementedRoute(aa);
    const known = [...this.#exact.values()].some((r) => r.path === req.path);
    if (known) throw new ApiError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${req.path}`);
    if (req.method === 'GET' || req.method === 'HEAD') return staticRoute;
    throw new ApiError(404, 'NotFound', `no such endpoint: ${req.method} ${req.path}`);
  }
}

/** The style of errors for a request that failed before a route was chosen. */
export function errorStyleFor(req: RouteRequest): 'query' | 'rest-json' | 'json' {
  if (req.service === 'iam' || req.service === 'sts' || (req.method === 'POST' && req.path === '/')) return 'query';
  if (req.service === 'access-analyzer' || req.path.startsWith('/policy/')) return 'rest-json';
  return 'json';
}
