/**
 * `iamsim audit` written as a stream: `--format json` is the same text as the
 * whole report pretty-printed at once, `--format jsonl` one line per principal
 * then the rest, `--format sarif` the same log as the whole-report SARIF; a
 * slow reader (write returning false) gets everything, in order; the
 * progress line on a terminal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { loadUniverse } from '../authz/universe.js';
import { runAudit, type AuditReport } from '../audit/index.js';
import { toJson, toSarif } from '../audit/render.js';
import { auditCommand } from './audit.js';
import { runCommand } from '../../test/support/cli.js';
import { eta, progressLine } from './progress.js';

const VULN = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));
const AT = '2026-01-01T00:00:00Z';

let cached: AuditReport | undefined;
async function whole(): Promise<AuditReport> {
  if (cached === undefined) {
    const { universe } = loadUniverse({ accountFiles: [VULN] });
    assert.ok(universe);
    cached = await runAudit(universe, { at: new Date(AT) });
  }
  return cached;
}

test('--format json: the same text as the whole report printed at once', async () => {
  const r = await runCommand(auditCommand, ['--account', VULN, '--format', 'json', '--at', AT, '--partition-size', '25']);
  assert.equal(r.code, 1, r.err);
  const stats = (JSON.parse(r.out) as { stats: unknown }).stats;
  const expected = `${JSON.stringify({ ...toJson(await whole()), stats }, null, 2)}\n`;
  assert.equal(r.out, expected);
});

test('--format jsonl: a head line, one line per principal, then exposures, unreadable policies, findings and stats', async () => {
  const r = await runCommand(auditCommand, ['--account', VULN, '--format', 'jsonl', '--at', AT]);
  assert.equal(r.code, 1, r.err);
  const lines = r.out
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const report = await whole();
  const json = toJson(report) as { principals: object[] };
  const kind = (l: Record<string, unknown>): string => Object.keys(l).join();
  const of = (k: string) => lines.filter((l) => kind(l) === k).map((l) => l[k]);
  assert.deepEqual(lines[0], { audit: { generatedAt: report.generatedAt, accounts: report.accounts } });
  assert.deepEqual(of('principal'), JSON.parse(JSON.stringify(json.principals)));
  assert.deepEqual(of('exposure'), JSON.parse(JSON.stringify(report.exposures)));
  assert.deepEqual(of('finding'), JSON.parse(JSON.stringify(report.findings)));
  assert.equal(of('unreadable').length, report.unreadable.length);
  assert.equal(kind(lines.at(-1) ?? {}), 'stats');
  // Principals come first, in the model's order, before anything else.
  const firstOther = lines.findIndex((l, i) => i > 0 && kind(l) !== 'principal');
  assert.equal(firstOther, 1 + json.principals.length);
});

test('--format sarif: the same log as the whole-report SARIF', async () => {
  const r = await runCommand(auditCommand, ['--account', VULN, '--format', 'sarif', '--at', AT]);
  assert.equal(r.code, 1, r.err);
  const uri = (f: string): string => (relative(process.cwd(), f) || f).replaceAll('\\', '/');
  const expected = toSarif(await whole(), (JSON.parse(r.out) as { runs: { tool: { driver: { version: string } } }[] }).runs[0]?.tool.driver.version ?? '', uri);
  assert.deepEqual(JSON.parse(r.out), expected);
});

test('a slow reader gets the whole output, in order', async () => {
  const chunks: string[] = [];
  const stdout = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      setImmediate(done);
    },
  });
  const stderr = new Writable({ write: (_c, _e, done) => done() });
  const code = await auditCommand(['--account', VULN, '--format', 'jsonl', '--at', AT], { stdout, stderr, stdin: Readable.from([]) });
  assert.equal(code, 1);
  await new Promise<void>((resolve) => stdout.end(resolve));
  const lines = chunks.join('').trimEnd().split('\n');
  assert.equal(lines.filter((l) => l.startsWith('{"principal":')).length, (await whole()).principals.length);
  assert.match(lines.at(-1) ?? '', /^\{"stats":/);
});

test('progress on a terminal: phase, count, share and the time left; cleared at the end; nothing elsewhere', () => {
  let now = 0;
  let text = '';
  const tty = Object.assign(
    new Writable({
      write: (c: Buffer, _e, done) => {
        text += c.toString();
        done();
      },
    }),
    { isTTY: true },
  );
  const p = progressLine(tty, 'audit', 200, () => now);
  p.update('paths', 0, 400);
  now = 10_000;
  p.update('paths', 100, 400);
  assert.match(text, /audit: paths 100\/400 \(25%\), ETA 0:30/);
  now = 10_050;
  p.update('paths', 101, 400);
  assert.doesNotMatch(text, /101\/400/, 'at most one line every 200 ms');
  p.clear();
  assert.ok(text.endsWith('\r\x1b[K'));
  let piped = '';
  const pipe = new Writable({
    write: (c: Buffer, _e, done) => {
      piped += c.toString();
      done();
    },
  });
  const q = progressLine(pipe, 'audit');
  q.update('paths', 1, 2);
  q.clear();
  assert.equal(piped, '');
  assert.equal(eta(0, 10, 5000), '');
  assert.equal(eta(5, 10, 100), '', 'too early to tell');
  assert.equal(eta(1, 3601, 1000), 'ETA 1:00:00');
});
