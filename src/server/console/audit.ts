/** The audit (src/audit) of the console's account model: findings, escalation paths, exposures. */
import type { Universe } from '../../account/query.js';
import { runAudit } from '../../audit/index.js';
import type { ModelResolver } from './model.js';
import { readSource } from './model.js';
import { objectBody, ok, type ApiInput, type ApiReply } from './types.js';

const MAX_PATHS = 3;

/**
 * The audit of the request's accounts; `cache` (owned by the ConsoleApi)
 * keeps one answer per loaded model, so reopening the page does not audit again.
 */
export async function audit(models: ModelResolver, { body }: ApiInput, cache: WeakMap<Universe, Promise<ApiReply>>): Promise<ApiReply> {
  const u = await models.resolve(readSource(objectBody(body)['source']));
  let reply = cache.get(u);
  if (reply === undefined) {
    reply = auditReply(u);
    cache.set(u, reply);
    reply.catch(() => cache.delete(u));
  }
  return reply;
}

async function auditReply(u: Universe): Promise<ApiReply> {
  const r = await runAudit(u);
  return ok({
    findings: r.findings,
    principals: r.principals
      .filter((p) => p.isAdmin || p.canEscalate)
      .map((p) => ({
        arn: p.arn,
        type: p.type,
        isAdmin: p.isAdmin,
        allowedEverything: p.allowedEverything,
        canEscalate: p.canEscalate,
        paths: p.paths.slice(0, MAX_PATHS).map((x) => ({
          technique: x.technique,
          target: x.target,
          assumesExistingResource: x.assumesExistingResource,
          steps: x.steps.map((s) => ({ principal: s.principal, action: s.action, resource: s.resource, ...(s.note !== undefined ? { note: s.note } : {}) })),
        })),
      })),
    exposures: r.exposures.map((e) => ({ resource: e.resource, policy: e.policy, audience: e.audience, principal: e.principal, actions: e.actions })),
    stats: r.stats,
  });
}
