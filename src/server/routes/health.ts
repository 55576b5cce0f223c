/** Liveness, readiness and Prometheus metrics. */
import { json, text } from '../reply.js';
import type { Route } from '../types.js';

export const healthRoutes: readonly Route[] = [
  { method: 'GET', path: '/healthz', access: 'public', handle: () => json(200, { status: 'ok' }) },
  {
    method: 'GET',
    path: '/readyz',
    access: 'public',
    // Not ready (503) while the store cannot be read: a load balancer then sends requests elsewhere.
    handle: async (ctx) => {
      const problem = await ctx.engine.storeProblem(2_000);
      return json(problem === undefined ? 200 : 503, {
        status: problem === undefined ? 'ready' : 'not ready',
        ...(problem !== undefined ? { reason: problem } : {}),
        modelVersion: ctx.engine.version,
        accounts: ctx.engine.universe.accounts.size,
        store: ctx.engine.store.kind,
        // Which process answered (with serve --workers N, each worker is one).
        pid: process.pid,
      });
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    access: 'public',
    handle: async (ctx) =>
      text(
        200,
        await ctx.metrics.renderAll({
          iamsim_model_version: ctx.engine.version,
          iamsim_model_accounts: ctx.engine.universe.accounts.size,
        }),
        'text/plain; version=0.0.4; charset=utf-8',
      ),
  },
];
