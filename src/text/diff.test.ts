import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from './diff.js';

/** Applies a unified diff to `before` (a minimal reader for the test: hunks in order, exact context). */
function applyUnified(before: string, diff: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let at = 0;
  const lines = diff.replace(/\n$/, '').split('\n').slice(2);
  for (const line of lines) {
    const h = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (h) {
      const start = Number(h[1]) - (Number(h[2] ?? '1') === 0 ? 0 : 1);
      while (at < start) out.push(a[at++] ?? '');
      continue;
    }
    const kind = line[0];
    const text = line.slice(1);
    if (kind === '+') out.push(text);
    else {
      assert.equal(a[at], text, 'context or removed line matches the original');
      if (kind === ' ') out.push(text);
      at++;
    }
  }
  while (at < a.length) out.push(a[at++] ?? '');
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

test('equal texts give no diff', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y'), '');
});

test('one changed line: the usual diff -u hunk', () => {
  const before = `${['1', '2', '3', '4', '5', '6', '7', '8'].join('\n')}\n`;
  const after = before.replace('5', 'five');
  assert.equal(unifiedDiff(before, after, 'a/p.json', 'b/p.json'), '--- a/p.json\n+++ b/p.json\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
});

test('insertion into an empty text', () => {
  assert.equal(unifiedDiff('', 'x\n', 'a', 'b'), '--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n');
});

test('applying the diff to the old text gives the new one (random line edits)', () => {
  const text = fc.array(fc.constantFrom('a', 'b', 'c', '{', '}', '"x": 1,'), { maxLength: 30 }).map((l) => (l.length ? `${l.join('\n')}\n` : ''));
  fc.assert(
    fc.property(text, text, (before, after) => {
      const d = unifiedDiff(before, after, 'a', 'b');
      assert.equal(d === '' ? before : applyUnified(before, d), after);
    }),
    { numRuns: 300 },
  );
});
