// The size of `iamsim audit --format html` at scale: a synthetic export (bench/audit-export.js, seeded) audited by
// the command itself, as a user runs it. Prints the page's bytes, the bytes of its data and script, and how many
// escalating principals, paths, steps and findings the page holds (every one: the page caps nothing). Goal (issue
// 18): under 2 MB at 3,000 principals; before the paged page, 13.6 MB there.
// Usage: npm run build && node bench/audit-html.js [PRINCIPALS…]   (default 3000)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticExport } from './audit-export.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const GOAL = 2 * 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'iamsim-bench-html-'));
try {
  for (const size of process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0)
    .concat(process.argv.length > 2 ? [] : [3000])) {
    const file = join(dir, `export-${size}.json`);
    writeFileSync(file, JSON.stringify(syntheticExport(size)));
    let html = '';
    try {
      html = execFileSync(process.execPath, [join(ROOT, 'bin', 'iamsim.js'), 'audit', '--account', file, '--format', 'html', '--at', '2026-01-01T00:00:00Z'], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
    } catch (e) {
      // Exit 1: findings at or above --fail-on, the page is on stdout all the same.
      if (e.status !== 1) throw e;
      html = e.stdout;
    }
    const data = /<script type="application\/json" id="audit-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const script = /<script>(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const d = JSON.parse(data);
    const paths = d.escalating.reduce((n, [, , p]) => n + p.length, 0);
    const steps = d.escalating.reduce((n, [, , p]) => n + p.reduce((m, x) => m + x[6].length, 0), 0);
    const bytes = Buffer.byteLength(html);
    console.log(
      `${size} principals: page ${bytes.toLocaleString('en')} bytes (data ${Buffer.byteLength(data).toLocaleString('en')}, script ${Buffer.byteLength(script).toLocaleString('en')}); ` +
        `${d.escalating.length} escalating principals, ${paths} paths, ${steps} steps (${d.steps.length} distinct), ${d.findings.length} findings; ` +
        `${bytes < GOAL ? 'under' : 'OVER'} the 2 MB goal`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
