/**
 * Every data-driven case under test/cases cites the AWS documentation page
 * its expectation comes from: its own `source`, or its file's. A seed
 * document (`seed`) is where a scenario was found, not the rule it tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../test/cases/', import.meta.url));
/** An AWS documentation page: https://docs.aws.amazon.com/…/<page>.html[#anchor]. */
const AWS_PAGE = /^https:\/\/docs\.aws\.amazon\.com\/[A-Za-z0-9_./-]+\.html(#[A-Za-z0-9_.-]+)?$/;

interface CaseLike {
  readonly name?: string;
  readonly source?: unknown;
}

function caseFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? caseFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
}

/** The cases of a file with the source each one cites; a file is an array of cases or `{ source, cases }`. */
export function citations(data: unknown): { name: string; source: unknown }[] {
  const fileSource = Array.isArray(data) ? undefined : (data as { source?: unknown }).source;
  const cases: readonly CaseLike[] = Array.isArray(data) ? data : ((data as { cases?: CaseLike[] }).cases ?? []);
  return cases.map((c, i) => ({ name: c.name ?? `#${i + 1}`, source: c.source ?? fileSource }));
}

test('the citation rule rejects a case without an AWS page', () => {
  assert.deepEqual(citations({ source: 'reference_policies_grammar', cases: [{ name: 'a' }] }).filter((c) => !AWS_PAGE.test(String(c.source))).length, 1);
  assert.equal(AWS_PAGE.test('seed:000_6c38407ab43d96a6.txt'), false);
  assert.equal(AWS_PAGE.test('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html'), true);
  assert.equal(AWS_PAGE.test('https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#x'), true);
  assert.deepEqual(citations([{ name: 'b', source: 'x' }]), [{ name: 'b', source: 'x' }]);
});

const files = caseFiles(ROOT);

test('test/cases holds case files', () => {
  assert.ok(files.length >= 40, `${files.length} case files`);
});

for (const file of files) {
  test(`every case of ${file.slice(ROOT.length)} cites its AWS documentation page`, () => {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const all = citations(data);
    assert.ok(all.length > 0, 'no cases');
    const missing = all.filter((c) => typeof c.source !== 'string' || !AWS_PAGE.test(c.source));
    assert.deepEqual(
      missing.map((c) => `${c.name}: ${String(c.source)}`),
      [],
    );
  });
}
