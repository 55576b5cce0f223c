/** responseJson writes exactly what JSON.stringify writes (differential), on real responses and on arbitrary values. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { readSimulateInputText } from './input.js';
import { runSimulation, type SimulateResponse } from './run.js';
import type { SimulateRequest } from './request.js';
import { responseJson } from './response-json.js';
import { EvalMemo } from '../eval/memo.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/simulate/', import.meta.url));

test('every example request, with and without Explanation, one page at a time: the text of JSON.stringify', () => {
  let compared = 0;
  const memo = new EvalMemo();
  for (const name of readdirSync(EXAMPLES).filter((n) => n.endsWith('.json'))) {
    const file = `${EXAMPLES}${name}`;
    const read = readSimulateInputText(readFileSync(file, 'utf8'), { file, baseDir: EXAMPLES });
    const base = read.request;
    if (base === undefined) continue;
    for (const explain of [false, true]) {
      for (const maxItems of [undefined, 1]) {
        const request: SimulateRequest = maxItems === undefined ? base : { ...base, paging: { ...base.paging, maxItems } };
        const resp = runSimulation(request, { explain, memo });
        // Twice: the second time the matched statements' texts are the kept ones.
        assert.equal(responseJson(resp), JSON.stringify(resp), name);
        assert.equal(responseJson(runSimulation(request, { explain, memo })), JSON.stringify(resp), name);
        compared++;
      }
    }
  }
  assert.ok(compared >= 40, `${compared} responses compared`);
});

test('the kept text is invisible: JSON, spreads and deep equality see the statement as before', () => {
  const file = `${EXAMPLES}mlspace-create-endpoint.json`;
  const read = readSimulateInputText(readFileSync(file, 'utf8'), { file, baseDir: EXAMPLES });
  assert.ok(read.request !== undefined);
  const resp = runSimulation(read.request, { explain: false });
  const before = JSON.parse(JSON.stringify(resp)) as SimulateResponse;
  responseJson(resp);
  const m = resp.EvaluationResults[0]?.MatchedStatements[0];
  assert.ok(m !== undefined);
  assert.deepEqual(Object.keys(m), Object.keys(before.EvaluationResults[0]?.MatchedStatements[0] ?? {}));
  assert.deepStrictEqual({ ...m }, before.EvaluationResults[0]?.MatchedStatements[0]);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(resp)), before);
});

test('arbitrary values in every member (undefined, holes, nested lists, odd keys, frozen statements): the text of JSON.stringify', () => {
  const value = fc.oneof(fc.constant(undefined), fc.anything({ withSparseArray: true, withNullPrototype: false, maxDepth: 3 }));
  const statement = fc.oneof(
    fc.dictionary(fc.string(), value),
    value.map((v) => Object.freeze({ v })),
  );
  const result = fc.record(
    {
      EvalActionName: fc.string(),
      MatchedStatements: fc.oneof(fc.array(statement, { maxLength: 3 }), value),
      ResourceSpecificResults: fc.oneof(
        fc.array(fc.oneof(fc.record({ EvalResourceName: fc.string(), MatchedStatements: fc.array(statement, { maxLength: 2 }), x: value }), value), {
          maxLength: 3,
        }),
        value,
      ),
      'odd "key"\u2028': value,
      Explanation: value,
    },
    { requiredKeys: [] },
  );
  const response = fc.record({ EvaluationResults: fc.oneof(fc.array(fc.oneof(result, value), { maxLength: 3 }), value), IsTruncated: value, Marker: value });
  fc.assert(
    fc.property(response, (r) => {
      const resp = r as unknown as SimulateResponse;
      assert.equal(responseJson(resp), JSON.stringify(resp));
      assert.equal(responseJson(resp), JSON.stringify(resp));
    }),
    { numRuns: 500 },
  );
});
