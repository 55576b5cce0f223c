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

/** A check's answer on `existing` → `proposed`, as the property tests read it. */
interface Answer {
  readonly result: 'PASS' | 'FAIL' | 'UNKNOWN';
  readonly counterexample?: Counterexample;
  readonly unknownReasons?: readonly unknown[];
}

/**
 * What every answer of check-no-new-access must keep, replayed through `iamsim simulate`: a PASS that none of the
 * sampled `requests` contradicts (allowed by `proposed`, not by `existing`), a FAIL whose counterexample `proposed`
 * allows and `existing` does not, an UNKNOWN that says why.
 */
export function assertAnswerHolds(r: Answer, existing: string, proposed: string, requests: readonly Counterexample[], resourcePolicy: boolean): void {
  if (r.result === 'PASS') {
    for (const q of requests) {
      const more = simulateDecision(q, proposed, resourcePolicy) === 'allowed' && simulateDecision(q, existing, resourcePolicy) !== 'allowed';
      assert.ok(!more, `PASS contradicted by ${JSON.stringify(q)}`);
    }
  } else if (r.result === 'FAIL') {
    assert.equal(simulateDecision(r.counterexample!, proposed, resourcePolicy), 'allowed', JSON.stringify(r.counterexample));
    assert.notEqual(simulateDecision(r.counterexample!, existing, resourcePolicy), 'allowed', JSON.stringify(r.counterexample));
  } else assert.ok((r.unknownReasons ?? []).length > 0);
}
