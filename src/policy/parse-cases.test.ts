/**
 * Runs every data-driven parse case in test/cases/parse/*.json.
 *
 * Case semantics:
 * - expect.ok: true when no diagnostic has severity 'error'.
 * - expect.codes: the exact set of distinct codes reported (any severity).
 *   When absent and ok is true, the text must parse with no diagnostics at all.
 * - expect.positions: each {code, line, column} must match some diagnostic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { hasErrors, formatDiagnostic } from '../diagnostics/diagnostic.js';
import { POLICY_TYPES } from './model.js';
import type { PolicyType } from './model.js';
import { PARSE_CODES } from './codes.js';
import { parsePolicy } from './parse.js';

interface CaseFile {
  readonly topic: string;
  readonly source: string;
  readonly cases: readonly ParseCase[];
}

interface ParseCase {
  readonly name: string;
  readonly type: PolicyType;
  readonly lenient?: boolean;
  readonly text: string;
  /** Pads `text` with trailing spaces to this many characters (for size limits without a huge case file). */
  readonly padTo?: number;
  readonly expect: {
    readonly ok: boolean;
    readonly codes?: readonly string[];
    readonly positions?: readonly { code: string; line: number; column: number }[];
  };
}

const dir = new URL('../../../test/cases/parse/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const covered = new Set<string>();

test('parse case folder is not empty', () => {
  assert.ok(files.length > 0);
});

for (const file of files) {
  const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as CaseFile;
  test(`${file}: ${data.topic}`, async (t) => {
    assert.match(data.source, /^https:\/\//, 'source must be a documentation URL');
    for (const c of data.cases) {
      await t.test(c.name, () => {
        assert.ok(POLICY_TYPES.includes(c.type), `unknown type ${c.type}`);
        const text = c.padTo !== undefined ? c.text.padEnd(c.padTo, ' ') : c.text;
        const result = parsePolicy(text, { type: c.type, file: file, lenient: c.lenient === true });
        const listing = result.diagnostics.map(formatDiagnostic).join('\n');
        assert.equal(!hasErrors(result.diagnostics), c.expect.ok, `ok mismatch:\n${listing}`);
        const codes = [...new Set(result.diagnostics.map((d) => d.code))].sort();
        for (const code of codes) covered.add(code);
        for (const code of codes) assert.ok(code in PARSE_CODES, `undocumented code ${code}`);
        if (c.expect.codes) {
          assert.deepEqual(codes, [...new Set(c.expect.codes)].sort(), `codes mismatch:\n${listing}`);
        } else if (c.expect.ok) {
          assert.deepEqual(codes, [], `expected a clean parse:\n${listing}`);
        }
        for (const p of c.expect.positions ?? []) {
          const hit = result.diagnostics.some((d) => d.code === p.code && d.line === p.line && d.column === p.column);
          assert.ok(hit, `no ${p.code} at ${p.line}:${p.column}:\n${listing}`);
        }
        for (const d of result.diagnostics) {
          assert.equal(d.file, file);
          assert.ok(d.span, 'every diagnostic has a span');
          assert.ok(!d.message.includes('\n'), 'messages are one line');
        }
        if (
          c.text
            .trimStart()
            .replace(/^\uFEFF/, '')
            .startsWith('{') &&
          !codes.some((x) => x.startsWith('INPUT_TOO_'))
        ) {
          assert.ok(result.policy, 'a JSON object always yields a best-effort policy');
        }
      });
    }
  });
}

test('every PARSE_CODES entry is exercised by some case', () => {
  const missing = Object.keys(PARSE_CODES).filter((code) => !covered.has(code));
  assert.deepEqual(missing, []);
});
