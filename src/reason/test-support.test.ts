/** Test support: replays a counterexample through `iamsim simulate`'s own reader and runner. */
import assert from 'node:assert/strict';
import { readSimulateInputValue } from '../simulate/input.js';
import { runSimulation } from '../simulate/run.js';
import type { Counterexample } from './confirm.js';

const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** The decision `iamsim simulate` gives the counterexample under `policy`. */
export function simulateDecision(c: Counterexample, policy: string, resourcePolicy: boolean): string {
  // A resource policy is replayed as docs/reason.md says: an IAM caller of another account than ResourceOwner
  // gets an identity policy allowing everything; a caller of the owning account, an anonymous or a service
  // caller none (the resource-based policy alone decides).
  const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(c.CallerArn ?? '')?.[1];
  const identity = account !== undefined && account !== c.ResourceOwner ? [ALLOW_ALL] : [];
  const input = resourcePolicy ? { ...c, PolicyInputList: identity, ResourcePolicy: policy } : { ...c, PolicyInputList: [policy] };
  const { request, diagnostics } = readSimulateInputValue(input);
  assert.ok(request, `simulate input: ${diagnostics.map((d) => d.message).join('; ')}`);
  return runSimulation(request).EvaluationResults[0]!.EvalDecision;
}
