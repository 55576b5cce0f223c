/**
 * The web console's JSON API (src/server/console/) under /api/console/. The
 * console's per-server state (workflow definitions, parsed uploads) hangs off
 * the engine it serves, so two servers in one process share nothing.
 */
import { CONSOLE_API_PREFIX, ConsoleApi } from '../console/api.js';
import type { Engine } from '../engine.js';
import { ApiError, badRequest } from '../errors.js';
import { json, parseJsonBody } from '../reply.js';
import type { Reply, RequestContext, Route } from '../types.js';

function apiFor(engine: Engine): ConsoleApi {
  // The console answers with the server's engine: its reasoner is the Access Analyzer routes' one.
  engine.consoleApi ??= new ConsoleApi({ storeModel: () => engine.universe, reason: () => engine.reasonContext });
  return engine.consoleApi;
}

async function handle(ctx: RequestContext): Promise<Reply> {
  const path = ctx.url.pathname.slice(CONSOLE_API_PREFIX.length);
  const body = ctx.method === 'POST' ? parseJsonBody(ctx.body, (m) => badRequest('InvalidInput', m)) : undefined;
  const reply = await apiFor(ctx.engine).dispatch(ctx.method, path, { body, query: ctx.url.searchParams });
  if (reply === undefined) throw new ApiError(404, 'NotFound', `no such console endpoint: ${ctx.url.pathname}`);
  return json(reply.status, reply.body, ctx.requestId);
}

export const consoleRoutes: readonly Route[] = [
  { method: 'GET', path: `${CONSOLE_API_PREFIX}*`, name: 'console', errors: 'json', access: 'console', readsModel: true, handle },
  { method: 'POST', path: `${CONSOLE_API_PREFIX}*`, name: 'console', errors: 'json', access: 'console', readsModel: true, handle },
];
