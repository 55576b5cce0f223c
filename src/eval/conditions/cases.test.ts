/** Runs the data-driven corpus in test/cases/conditions/*.json. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { clausesFromBlock, requestWith, type ConditionBlock, type ContextEntryJson } from './clause-builder.js';
import { compileConditions } from './index.js';

interface CaseJson {
  readonly name: string;
  readonly source: string;
  readonly version?: string;
  readonly condition: ConditionBlock;
  readonly context: readonly ContextEntryJson[];
  readonly expect: { readonly matched: boolean; readonly missingKeys?: readonly string[]; readonly error?: boolean };
}

// Compiled file: dist/src/eval/conditions/cases.test.js → repo root is four levels up.
const dir = new URL('../../../../test/cases/conditions/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the corpus exists', () => {
  assert.ok(files.length >= 10, `found ${files.length} case files`);
});

for (const file of files) {
  const cases = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as CaseJson[];
  test(`conditions corpus: ${file}`, async (t) => {
    for (const c of cases) {
      await t.test(c.name, () => {
        assert.match(c.source, /^https:\/\//, 'every case cites its source');
        const compiled = compileConditions(clausesFromBlock(c.condition), c.version);
        const req = requestWith(c.context);
        for (const explain of [false, true]) {
          const out = compiled(req, explain);
          assert.equal(out.matched, c.expect.matched, `matched (explain=${explain})`);
          if (c.expect.missingKeys !== undefined) assert.deepEqual(out.missingKeys, c.expect.missingKeys, 'missingKeys');
          assert.equal(out.error !== undefined, c.expect.error === true, `error: ${out.error ?? 'none'}`);
        }
      });
    }
  });
}
