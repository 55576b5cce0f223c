/**
 * Runs every data-driven evaluation case in test/cases/eval/*.json through the
 * same path as `iamsim simulate` and compares with the expected AWS results.
 * Each case cites the AWS documentation page it comes from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readSimulateInputValue } from '../src/simulate/input.js';
import { runSimulation } from '../src/simulate/run.js';

const dir = fileURLToPath(new URL('../../test/cases/eval/', import.meta.url));

interface Expect {
  EvalActionName?: string;
  EvalDecision: string;
  MissingContextValues?: string[];
  MatchedStatements?: { SourcePolicyId: string }[];
  ResourceSpecificResults?: { EvalResourceName: string; EvalResourceDecision: string }[];
}
interface Case {
  name: string;
  source?: string;
  input: unknown;
  expect: Expect[];
  error?: string;
}
interface CaseFile {
  topic: string;
  source: string;
  cases: Case[];
}

const lower = (xs: readonly string[]): string[] => xs.map((x) => x.toLowerCase()).sort();

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const data = JSON.parse(readFileSync(dir + file, 'utf8')) as CaseFile;
  for (const c of data.cases) {
    test(`${file}: ${c.name}`, () => {
      const res = readSimulateInputValue(c.input, { baseDir: dir });
      if (c.error !== undefined) {
        assert.equal(res.request, undefined, 'expected the input to be rejected');
        assert.equal(res.errorCode, c.error);
        return;
      }
      assert.ok(res.request, `input rejected: ${res.diagnostics.map((d) => d.message).join('; ')} (source: ${c.source ?? data.source})`);
      const out = runSimulation(res.request, { explain: false });
      assert.equal(out.EvaluationResults.length, c.expect.length, 'one EvaluationResult per action');
      c.expect.forEach((e, i) => {
        const r = out.EvaluationResults[i]!;
        const where = `${r.EvalActionName} (source: ${c.source ?? data.source})`;
        if (e.EvalActionName !== undefined) assert.equal(r.EvalActionName, e.EvalActionName);
        assert.equal(r.EvalDecision, e.EvalDecision, `decision for ${where}`);
        if (e.MissingContextValues !== undefined) {
          assert.deepEqual(lower(r.MissingContextValues), lower(e.MissingContextValues), `missing context for ${where}`);
        }
        if (e.MatchedStatements !== undefined) {
          assert.deepEqual(
            r.MatchedStatements.map((m) => m.SourcePolicyId).sort(),
            e.MatchedStatements.map((m) => m.SourcePolicyId).sort(),
            `matched statements for ${where}`,
          );
        }
        if (e.ResourceSpecificResults !== undefined) {
          assert.deepEqual(
            (r.ResourceSpecificResults ?? []).map((x) => [x.EvalResourceName, x.EvalResourceDecision]),
            e.ResourceSpecificResults.map((x) => [x.EvalResourceName, x.EvalResourceDecision]),
            `per-resource results for ${where}`,
          );
        }
      });
    });
  }
}
