// `iamsim audit` at scale: synthetic exports (bench/audit-export.js, seeded) of 500, 1,000 and 3,000 principals,
// each audited in a fresh process. Prints principals, graph edges, requests decided by the evaluator, the time to
// read the export and to audit it (wall and CPU), peak memory, and the load average around the run.
// Usage: npm run bench:audit [-- SIZE…]   (builds first; default sizes 500 1000 3000)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticExport } from './audit-export.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', 'dist', 'src');

/** One size, in this process: prints one JSON line. */
async function one(file) {
  const { loadUniverse } = await import(join(DIST, 'authz', 'universe.js'));
  const { runAudit } = await import(join(DIST, 'audit', 'index.js'));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { universe, diagnostics } = loadUniverse({ accountFiles: [file] });
  if (universe === undefined) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const t1 = performance.now();
  const r = await runAudit(universe, { at: new Date('2026-01-01T00:00:00Z') });
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  const escalate = r.principals.filter((p) => p.canEscalate).length;
  const admins = r.principals.filter((p) => p.isAdmin).length;
  const out = { ...r.stats, escalate, admins, loadMs: Math.round(t1 - t0), auditMs: Math.round(t2 - t1), cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
  console.log(JSON.stringify({ ...out, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

function main(sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-bench-audit-'));
  try {
    console.log(
      `load average before: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const header = ['principals', 'edges', 'decided', 'escalate', 'admins', 'read ms', 'audit ms', 'CPU ms', 'peak MB'];
    console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' ---: |').join('')}`);
    for (const n of sizes) {
      const file = join(dir, `export-${n}.json`);
      writeFileSync(file, JSON.stringify(syntheticExport(n, 1)));
      const line = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const r = JSON.parse(line.trim().split('\n').pop());
      const row = [r.principals, r.edges, r.evaluations, r.escalate, r.admins, r.loadMs, r.auditMs, r.cpuMs, r.rssMb];
      console.log(`| ${row.map((x) => x.toLocaleString('en-US')).join(' | ')} |`);
    }
    console.log(
      `load average after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--one') await one(args[1]);
else main(args.length > 0 ? args.map(Number) : [500, 1000, 3000]);
