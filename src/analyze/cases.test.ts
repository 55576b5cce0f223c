/**
 * Data-driven lint cases: test/cases/lint/*.json. Each case lints one policy
 * and expects exactly the listed issue codes (order-insensitive, with
 * repetitions), and, when given, findings at the listed positions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { PolicyType } from '../policy/model.js';
import { lintPolicy } from './lint.js';

interface Case {
  readonly name: string;
  readonly type: PolicyType;
  readonly lenient?: boolean;
  /** Policy text, or a JSON value printed with two-space indentation. */
  readonly text: unknown;
  readonly expect: {
    readonly codes: readonly string[];
    readonly positions?: readonly { issueCode: string; line: number; column: number }[];
  };
}

interface CaseFile {
  readonly topic: string;
  readonly source: string;
  readonly cases: readonly Case[];
}

const dir = new URL('../../../test/cases/lint/', import.meta.url);

export function caseText(text: unknown): string {
  return typeof text === 'string' ? text : JSON.stringify(text, null, 2);
}

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as CaseFile;
  for (const c of data.cases) {
    test(`lint ${file}: ${c.name}`, () => {
      const findings = lintPolicy(caseText(c.text), { type: c.type, file: 'case.json', ...(c.lenient ? { lenient: true } : {}) });
      const got = findings.map((f) => f.issueCode).sort();
      const detail = findings.map((f) => `${f.span.start.line}:${f.span.start.column} ${f.issueCode} ${f.message}`).join('\n');
      assert.deepEqual(got, [...c.expect.codes].sort(), detail);
      for (const p of c.expect.positions ?? []) {
        const hit = findings.some((f) => f.issueCode === p.issueCode && f.span.start.line === p.line && f.span.start.column === p.column);
        assert.ok(hit, `expected ${p.issueCode} at ${p.line}:${p.column}\n${detail}`);
      }
      for (const f of findings) assert.equal(f.learnMoreLink, `docs/lint/${f.issueCode}.md`);
    });
  }
}
