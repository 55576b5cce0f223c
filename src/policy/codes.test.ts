/**
 * One vocabulary: the parser's codes and lint's issue codes name the same problem the same way (Access Analyzer's
 * MISSING_VERSION, not VERSION_MISSING), and no source file still matches on a retired name — a comparison with a
 * retired code would silently never hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUE_CODES } from '../analyze/registry.js';
import { PARSE_CODES, RETIRED_PARSE_CODES } from './codes.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('codes.ts') && !name.endsWith('codes.test.ts') ? [path] : [];
  });
}

test('a parser code that lint reports under an Access Analyzer name uses that name', () => {
  for (const [old, now] of Object.entries(RETIRED_PARSE_CODES)) {
    assert.ok(!(old in PARSE_CODES), `${old} is retired`);
    assert.ok(now in PARSE_CODES, `${now} is a parse code`);
    assert.ok((ISSUE_CODES as readonly string[]).includes(now), `${now} is also lint's issue code`);
  }
});

test('no source file refers to a retired parse code', () => {
  const pattern = new RegExp(`['"\`](${Object.keys(RETIRED_PARSE_CODES).join('|')})['"\`]`);
  const hits = sources(SRC).filter((file) => pattern.test(readFileSync(file, 'utf8')));
  assert.deepEqual(hits, [], `use ${JSON.stringify(RETIRED_PARSE_CODES)}`);
});
