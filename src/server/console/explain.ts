/**
 * The console's "Explain an error" page: `{"message", "source", "region"?,
 * "vpcEndpointId"?, "context"?: ["KEY=VALUE"], "apply"?: true}` → each report
 * explained as `iamsim explain-denied --format json` prints it, with the text
 * of the policies its statements cite (to highlight them) and, with `apply`,
 * the decision of the same request once every fix is applied.
 */
import type { Universe } from '../../account/query.js';
import { authorize } from '../../authz/authorize.js';
import { makeContext } from '../../eval/request.js';
import { contextEntry } from '../../explain/context.js';
import { explainDenial, explainedJson, explainReports, readDenials, type ExplainedReport, type RunOptions } from '../../explain/index.js';
import { applyFixes } from '../../workflows/apply.js';
import type { ModelResolver } from './model.js';
import { readSource } from './model.js';
import { ApiError, objectBody, ok, optionalString, requiredString, type ApiInput, type ApiReply } from './types.js';

const MAX_REPORTS = 20;

function contextOf(value: unknown): RunOptions['context'] {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new ApiError(400, 'InvalidInput', 'context must be a list of "KEY=VALUE[,VALUE]" strings');
  return value.map((t: unknown) => {
    const eq = typeof t === 'string' ? t.indexOf('=') : -1;
    if (typeof t !== 'string' || eq <= 0 || !t.slice(0, eq).includes(':'))
      throw new ApiError(400, 'InvalidInput', `context entry ${JSON.stringify(t)}: expected KEY=VALUE`);
    return contextEntry(t.slice(0, eq), t.slice(eq + 1).split(','));
  });
}

/** The decision of the report's request in `u` (after the fixes), in the explanation's terms. */
function after(u: Universe, r: ExplainedReport, o: RunOptions): { decision: string; reason: string } | undefined {
  const out = explainDenial(u, r.denial, o);
  if (!out.ok) return undefined;
  const s = out.step;
  const a = authorize(
    applyFixes(u, r.explained.fixes ?? []),
    {
      principal: s.principal,
      action: s.action,
      resource: s.resource,
      context: makeContext(s.context),
      deriveContext: true,
      ...(s.vpcEndpointId ? { vpcEndpointId: s.vpcEndpointId } : {}),
    },
    { explain: false },
  );
  return { decision: a.decision.decision, reason: a.decision.reason };
}

export async function explainError(models: ModelResolver, { body }: ApiInput): Promise<ApiReply> {
  const o = objectBody(body);
  const message = requiredString(o, 'message');
  if (readDenials(message).denials.length > MAX_REPORTS) throw new ApiError(400, 'InvalidInput', `at most ${MAX_REPORTS} messages at once`);
  const u = await models.resolve(readSource(o['source']));
  const context = contextOf(o['context']);
  const region = optionalString(o, 'region');
  const vpce = optionalString(o, 'vpcEndpointId');
  const opts: RunOptions = { ...(region ? { region } : {}), ...(vpce ? { vpcEndpointId: vpce } : {}), ...(context ? { context } : {}) };
  const run = await explainReports(u, message, opts);
  return ok({
    problems: run.problems,
    explanations: run.reports.map((r) => ({
      ...(explainedJson(r) as Record<string, unknown>),
      documents: Object.fromEntries(r.explained.documents),
      ...(o['apply'] === true && r.explained.fixes !== null ? { after: after(u, r, opts) } : {}),
    })),
  });
}
