/**
 * The web console's JSON API (src/server/console/) under /api/console/. The
 * console's per-server state (workflow definitions, parsed uploads) hangs off
 * the engine it serves, so two servers in one process share nothing.
 *
 * Every POST (simulate, lint, preflight, accounts, the graph, the audit,
 * compare, explain: work that grows with the policies or the accounts sent)
 * is answered in a request thread (pool.ts) over the same model, within the
 * request's deadline, so /healthz and cheap requests never wait for it. The
 * GETs (features, catalog look-ups, the workflow list) are answered here.
 */
import { CONSOLE_API_PREFIX, ConsoleApi } from '../console/api.js';
import { answerConsoleTask, type ConsoleTask } from '../console/task.js';
import type { Engine } from '../engine.js';
import { ApiError } from '../errors.js';
import type { EncodedConsoleAnswer } from '../pool-protocol.js';
import type { Reply, RequestContext, Route } from '../types.js';

/** Builds the event loop's console (the GETs': workflow definitions, catalog) now, at start, instead of on the first GET. */
export function warmConsole(engine: Engine): void {
  apiFor(engine);
}

function apiFor(engine: Engine): ConsoleApi {
  // The console answers with the server's engine: its reasoner is the Access Analyzer routes' one.
  engine.consoleApi ??= new ConsoleApi({ storeModel: () => engine.universe, reason: () => engine.reasonContext });
  return engine.consoleApi;
}

async function handle(ctx: RequestContext): Promise<Reply> {
  const task: ConsoleTask = {
    method: ctx.method,
    path: ctx.url.pathname.slice(CONSOLE_API_PREFIX.length),
    query: ctx.url.search.replace(/^\?/, ''),
    ...(ctx.method === 'POST' ? { body: ctx.body.toString('utf8') } : {}),
  };
  const answer =
    ctx.method === 'POST'
      ? await ctx.pool.run<EncodedConsoleAnswer | null>('console', task, ctx.deadline, ctx.engine.snapshot())
      : await answerConsoleTask(apiFor(ctx.engine), task);
  if (answer === undefined || answer === null) throw new ApiError(404, 'NotFound', `no such console endpoint: ${ctx.url.pathname}`);
  const body = typeof answer.json === 'string' ? answer.json : Buffer.from(answer.json.buffer, answer.json.byteOffset, answer.json.byteLength);
  return { status: answer.status, headers: { 'content-type': 'application/json', 'x-request-id': ctx.requestId }, body };
}

export const consoleRoutes: readonly Route[] = [
  // The audit of a whole model may take minutes: it runs for the server's long deadline (--audit-deadline-ms).
  { method: 'POST', path: `${CONSOLE_API_PREFIX}audit`, name: 'console', errors: 'json', access: 'console', readsModel: true, deadline: 'long', handle },
  { method: 'GET', path: `${CONSOLE_API_PREFIX}*`, name: 'console', errors: 'json', access: 'console', readsModel: true, handle },
  { method: 'POST', path: `${CONSOLE_API_PREFIX}*`, name: 'console', errors: 'json', access: 'console', readsModel: true, handle },
];
