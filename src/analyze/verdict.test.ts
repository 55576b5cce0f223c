/**
 * Issue 11, "Lint and simulate disagree on validity": one grammar, one verdict.
 * A policy the shared parser rejects (what simulate refuses as MalformedPolicyDocument)
 * must give lint at least one ERROR finding, and a grammar diagnostic that is an
 * error never becomes a lower-severity finding. Checked on every data-driven parse
 * case (test/cases/parse/*.json, each citing its AWS page) plus the reported inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { PolicyType } from '../policy/model.js';
import { parsePolicy } from '../policy/parse.js';
import { lintPolicy } from './lint.js';

interface Case {
  readonly name: string;
  readonly type: PolicyType;
  readonly lenient?: boolean;
  readonly text: string;
}

const dir = new URL('../../../test/cases/parse/', import.meta.url);
const cases: Case[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { cases: Case[] }).cases);

const doc = (statement: Record<string, unknown>): string => JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2);

test('issue 11: lint and the parser agree on validity ("*:GetObject", "Resource": [])', () => {
  for (const text of [doc({ Effect: 'Allow', Action: '*:GetObject', Resource: '*' }), doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: [] })]) {
    assert.ok(hasErrors(parsePolicy(text, { type: 'identity', name: 'p.json' }).diagnostics), text);
    const findings = lintPolicy(text, { type: 'identity', file: 'p.json' });
    assert.ok(
      findings.some((f) => f.findingType === 'ERROR'),
      JSON.stringify(findings.map((f) => [f.issueCode, f.findingType])),
    );
  }
});

test('issue 11: for every parse case, the parser rejects the policy exactly when lint reports an ERROR from the grammar', () => {
  assert.ok(cases.length > 50);
  for (const c of cases) {
    const opts = { type: c.type, name: 'p.json', ...(c.lenient ? { lenient: true } : {}) };
    const rejected = hasErrors(parsePolicy(c.text, opts).diagnostics);
    const findings = lintPolicy(c.text, { type: c.type, file: 'p.json', ...(c.lenient ? { lenient: true } : {}) });
    if (rejected)
      assert.ok(
        findings.some((f) => f.findingType === 'ERROR'),
        `${c.name}: the parser rejects it, lint has no ERROR`,
      );
  }
});
