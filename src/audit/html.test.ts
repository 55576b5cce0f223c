/**
 * The HTML report's structure (its behaviour in a browser: html.browser.test.ts):
 * one page, data and script inline, nothing fetched; the data holds every
 * escalating principal, every path and every step as the text output prints
 * it, every finding with its message, the admins and the risky principals —
 * nothing capped — and no text can end the script element it is in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadUniverse } from '../authz/universe.js';
import { toHtml } from './html.js';
import { runAudit, type AuditReport } from './index.js';
import { adminsOf, pathEnd, stepText } from './render.js';
import type { ReportData, Text } from './report-data.js';

const SCRIPT = 'document.title = "x";';

function dataOf(html: string): ReportData {
  const m = /<script type="application\/json" id="audit-data">(.*?)<\/script>/s.exec(html);
  assert.ok(m?.[1], 'the data element');
  return JSON.parse(m[1]) as ReportData;
}

let report: AuditReport | undefined;
async function vulnerable(): Promise<AuditReport> {
  if (report === undefined) {
    const file = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));
    const u = loadUniverse({ accountFiles: [file] }).universe;
    assert.ok(u);
    report = await runAudit(u, { at: new Date('2026-01-01T00:00:00Z') });
  }
  return report;
}

test('the page: data and the given script inline, nothing fetched', async () => {
  const html = toHtml(await vulnerable(), SCRIPT);
  assert.match(html, /^<!doctype html>/);
  assert.ok(html.includes(`<script>${SCRIPT}</script>`));
  assert.doesNotMatch(html, /<script [^>]*src=|<link |src="http|href="http|@import|url\(http/);
  assert.match(html, /<noscript>/);
});

test('the data: every escalating principal, path and step, every finding, admin and risky principal, as the text output says them', async () => {
  const r = await vulnerable();
  const d = dataOf(toHtml(r, SCRIPT));
  const str = (i: number): string => d.strings[i] ?? '';
  const text = (t: Text): string => t.map(str).join('');
  const escalating = r.principals.filter((p) => p.canEscalate);
  assert.ok(escalating.length > 60);
  assert.deepEqual(
    d.escalating.map(([arn]) => str(arn)),
    escalating.map((p) => p.arn),
  );
  d.escalating.forEach(([, admin, paths], i) => {
    const p = escalating[i];
    assert.ok(p);
    assert.equal(admin === 1, p.isAdmin);
    assert.equal(paths.length, p.paths.length, p.arn);
    paths.forEach((row, j) => {
      const x = p.paths[j];
      assert.ok(x);
      assert.deepEqual(row[0].map(str), x.techniques);
      assert.equal(str(row[1]), x.target);
      assert.equal(text(row[2]), pathEnd(p.arn, x));
      assert.equal(row[3], x.length);
      assert.equal(row[4] === 1, x.assumesExistingResource);
      assert.deepEqual(row[5].map(str), x.hops);
      assert.deepEqual(
        row[6].map((s) => text(d.steps[s] ?? [])),
        x.steps.map(stepText),
      );
    });
  });
  assert.deepEqual(
    d.findings.map(([code, severity, subject, message]) => [str(code), str(severity), str(subject), text(message)]),
    r.findings.map((f) => [f.code, f.severity, f.subject, f.message]),
  );
  assert.deepEqual(
    d.admins.map(([arn, outright]) => [str(arn), outright === 1]),
    adminsOf(r).map((a) => [a.arn, a.how === 'allowed everything']),
  );
  assert.ok(d.risky.length > 0);
  // Shared texts are stored once.
  assert.equal(new Set(d.strings).size, d.strings.length);
  assert.equal(new Set(d.steps.map((s) => s.join(','))).size, d.steps.length);
});

test('no text of the report can end the script element: </script> and <!-- in a message stay inside', async () => {
  const r = await vulnerable();
  const hostile: AuditReport = {
    ...r,
    findings: [...r.findings, { code: 'RISKY_PERMISSIONS', severity: 'WARNING', subject: 'x', message: 'a </script><script>alert(1)</script> <!-- b' }],
  };
  const html = toHtml(hostile, SCRIPT);
  assert.equal((html.match(/<\/script>/gi) ?? []).length, 2, 'only the two elements end');
  const d = dataOf(html);
  const last = d.findings[d.findings.length - 1];
  assert.equal(last?.[3].map((i) => d.strings[i]).join(''), 'a </script><script>alert(1)</script> <!-- b');
});
