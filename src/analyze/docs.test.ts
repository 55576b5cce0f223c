/** Every issue code has a page docs/lint/<CODE>.md, and every page names a code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ISSUE_CODES, isIssueCode, RULES } from './registry.js';

const docs = new URL('../../../docs/lint/', import.meta.url);

test('each issue code has a documentation page with an example and a fix', () => {
  for (const code of ISSUE_CODES) {
    const page = new URL(`${code}.md`, docs);
    assert.ok(existsSync(page), `missing docs/lint/${code}.md`);
    const text = readFileSync(page, 'utf8');
    assert.match(text, new RegExp(`^# ${code}\\n`), `${code}.md must start with "# ${code}"`);
    assert.match(text, /## Example\n\n```json\n/, `${code}.md needs an example`);
    assert.match(text, /## Fix\n\n```json\n/, `${code}.md needs a fix`);
    assert.ok(text.includes(RULES[code].findingType), `${code}.md must state its finding type`);
  }
});

test('each page names a registered issue code', () => {
  for (const file of readdirSync(docs).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const code = file.slice(0, -3);
    assert.ok(isIssueCode(code), `docs/lint/${file} names no issue code of the registry`);
  }
});

test('the index lists every code', () => {
  const index = readFileSync(new URL('README.md', docs), 'utf8');
  for (const code of ISSUE_CODES) assert.ok(index.includes(`(${code}.md)`), `README.md does not link ${code}`);
});

test('registry summaries are one line', () => {
  for (const code of ISSUE_CODES) {
    assert.match(code, /^[A-Z][A-Z0-9_]+$/);
    assert.ok(!RULES[code].summary.includes('\n') && RULES[code].summary.length > 10);
  }
});
