/** SimulateCustomPolicy over the Query API: the same reader and evaluator as `iamsim simulate-custom-policy`. */
import { readSimulateInputValue } from '../../simulate/input.js';
import { runSimulation } from '../../simulate/run.js';
import type { IamAction } from './registry.js';
import type { QueryParams } from './params.js';
import { inputError, simulateResultXml } from './simulate-shape.js';

/** The request fields common to both simulate actions, in the SimulateCustomPolicy JSON shape. */
export function simulateFields(p: QueryParams): Record<string, unknown> {
  const req: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v !== undefined) req[k] = v;
  };
  set('PolicyInputList', p.list('PolicyInputList'));
  set('PermissionsBoundaryPolicyInputList', p.list('PermissionsBoundaryPolicyInputList'));
  set('ActionNames', p.list('ActionNames'));
  set('ResourceArns', p.list('ResourceArns'));
  set('ResourcePolicy', p.string('ResourcePolicy'));
  set('ResourceOwner', p.string('ResourceOwner'));
  set('CallerArn', p.string('CallerArn'));
  set('ContextEntries', p.structs('ContextEntries')?.map((e) => ({ ...e, ContextKeyValues: e['ContextKeyValues'] ?? [] })));
  return req;
}

export const simulateCustomPolicy: IamAction = {
  name: 'SimulateCustomPolicy',
  write: false,
  run(p, ctx) {
    const res = readSimulateInputValue(simulateFields(p), { allowFileReferences: false });
    if (res.request === undefined || res.diagnostics.some((d) => d.severity === 'error')) throw inputError(res);
    const resp = runSimulation(res.request, { explain: false });
    for (const r of resp.EvaluationResults) ctx.metrics.decision('SimulateCustomPolicy', r.EvalDecision);
    return simulateResultXml(resp, p);
  },
};
