/** Test support: replays a counterexample through `iamsim simulate`'s own reader and runner. */
import assert from 'node:assert/strict';
import { readSimulateInputValue } from '../simulate/input.js';
import { runSimulation } from '../simulate/run.js';
import type { Counterexample } from './confirm.js';

const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** The decision `iamsim simulate` gives the counterexample under `policy`. */
export function simulateDecision(c: Counterexample, policy: string, resourcePolicy: boolean): string {
  // A resource policy is replayed with an identity policy allowing everything (IAM callers only: anonymous
  // and service callers have no identity-based policies).
  const identity = c.CallerArn?.startsWith('arn:') === true ? [ALLOW_ALL] : [];
  const input = resourcePolicy ? { ...c, PolicyInputList: identity, ResourcePolicy: policy } : { ...c, PolicyInputList: [policy] };
  const { request, diagnostics } = readSimulateInputValue(input);
  assert.ok(request, `simulate input: ${diagnostics.map((d) => d.message).join('; ')}`);
  return runSimulation(request).EvaluationResults[0]!.EvalDecision;
}
