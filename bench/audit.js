// `iamsim audit` at scale: synthetic exports (bench/audit-export.js, seeded) of 500, 1,000 and 3,000 principals in
// one account, and organizations of 30,000 principals in 5 accounts and 100,000 in 20 (SIZE as PRINCIPALSxACCOUNTS),
// each audited in a fresh process. Prints principals, graph edges, requests decided by the evaluator, the time to
// read the exports and to audit them (wall and CPU), peak memory, and the load average (1 min) after each run:
// the machine may be shared, and wall time under load says little.
// Usage: npm run bench:audit [-- SIZE…]   (builds first; default sizes 500 1000 3000 30000x5 100000x20)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticExport, syntheticOrganization } from './audit-export.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', 'dist', 'src');

/** One size, in this process: prints one JSON line. */
async function one(list) {
  const files = list.split(',');
  const { loadUniverse } = await import(join(DIST, 'authz', 'universe.js'));
  const { runAudit } = await import(join(DIST, 'audit', 'index.js'));
  let escalate = 0;
  let admins = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { universe, diagnostics } = loadUniverse({ accountFiles: files });
  if (universe === undefined) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const t1 = performance.now();
  // As `iamsim audit --format jsonl` does: principals are streamed out, not kept.
  let written = 0;
  const r = await runAudit(universe, {
    at: new Date('2026-01-01T00:00:00Z'),
    keepPrincipals: false,
    onPrincipal: (p) => {
      written += JSON.stringify(p).length;
      if (p.canEscalate) escalate++;
      if (p.isAdmin) admins++;
    },
  });
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  const out = {
    ...r.stats,
    accounts: r.accounts.length,
    outputMb: Math.round(written / 1e6),
    escalate,
    admins,
    loadMs: Math.round(t1 - t0),
    auditMs: Math.round(t2 - t1),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
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
    const header = ['principals', 'accounts', 'edges', 'decided', 'escalate', 'admins', 'read s', 'audit s', 'CPU s', 'peak MB', 'load'];
    console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' ---: |').join('')}`);
    for (const spec of sizes) {
      const [n, k] = String(spec).split('x').map(Number);
      const exports = k === undefined ? [syntheticExport(n, 1)] : syntheticOrganization(n, k, 1);
      const files = exports.map((x, i) => {
        const file = join(dir, `export-${spec}-${i}.json`);
        writeFileSync(file, JSON.stringify(x));
        return file;
      });
      const line = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', files.join(',')], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const r = JSON.parse(line.trim().split('\n').pop());
      const s = (ms) => (ms / 1000).toFixed(1);
      const row = [
        r.principals,
        r.accounts,
        r.edges,
        r.evaluations,
        r.escalate,
        r.admins,
        s(r.loadMs),
        s(r.auditMs),
        s(r.cpuMs),
        r.rssMb,
        loadavg()[0].toFixed(1),
      ];
      console.log(`| ${row.map((x) => x.toLocaleString('en-US')).join(' | ')} |`);
      for (const f of files) rmSync(f);
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
else main(args.length > 0 ? args : ['500', '1000', '3000', '30000x5', '100000x20']);
