// Batch rows (issue 23): `iamsim simulate --input FILE.jsonl` end to end on the lines of two generators
// (bench/batch-lines.js), each rate beside `JSON.parse` of the same lines measured in the same run, in this process,
// on one thread. Rows: 1 and 2 threads, output to /dev/null and to a pipe read by another process (`| wc -l`),
// every policy text new, `--format text` against JSON; start-up against `node -e 0`. Before timing, each file is
// run once with 1 and with 2 threads into files: the outputs must be byte-identical and have one line per input
// line. The peer (@cloud-copilot/iam-simulate) decides a sample of the varied lines: the engines must agree.
// Usage: node bench/batch.js [--quick]   (npm run bench:batch)
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { runSimulation as peerRun } from '@cloud-copilot/iam-simulate';
import { ACCT, collect, peerDecision, peerSim, quick, root } from './lib.js';
import { realisticLines, variedLines } from './batch-lines.js';

const bin = join(root, 'bin', 'iamsim.js');
const sh = (cmd, args) => spawnSync('sh', ['-c', cmd, ...args], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });

/**
 * CPU seconds used by the waited-for children of this process so far (Linux /proc, 10 ms ticks), or undefined:
 * on a shared machine CPU time per line is steadier than wall time, so each row also gives lines per CPU second.
 */
function childCpu() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return undefined;
  }
}
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** Per row: lines per CPU second of the command (all its threads), beside wall-time lines per second. */
const cpuRates = new Map();

/** Lines per second of `JSON.parse` over the lines (best of three passes); `inner` also parses every policy string. */
function jsonParseRate(lines, inner = false) {
  let best = 0;
  let bestCpu = 0;
  for (let pass = 0; pass < 3; pass++) {
    collect();
    const c0 = cpuNow();
    const t0 = performance.now();
    for (const l of lines) {
      if (l === '') continue;
      let v;
      try {
        v = JSON.parse(l);
      } catch {
        continue;
      }
      if (inner && Array.isArray(v?.PolicyInputList)) for (const p of v.PolicyInputList) if (typeof p === 'string') JSON.parse(p);
    }
    best = Math.max(best, lines.length / ((performance.now() - t0) / 1000));
    bestCpu = Math.max(bestCpu, lines.length / Math.max(1e-3, cpuNow() - c0));
  }
  cpuRates.set(best, bestCpu);
  return best;
}

/** Runs one batch; returns lines/s of wall time. `sink`: 'null', 'pipe' (| wc -l, counted) or a file path. */
function runBatch(file, lines, threads, sink = 'null', extra = []) {
  const args = [process.execPath, bin, file, String(threads), extra.join(' ')];
  const base = 'exec "$0" "$1" simulate --input "$2" --threads "$3" $4';
  const c0 = childCpu();
  const t0 = performance.now();
  const r =
    sink === 'null'
      ? sh(`${base} > /dev/null`, args)
      : sink === 'pipe'
        ? sh(`"$0" "$1" simulate --input "$2" --threads "$3" $4 | wc -l`, args)
        : sh(`${base} > "$5"`, [...args, sink]);
  const secs = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`batch run failed: exit ${r.status}`);
  if (sink === 'pipe' && Number(r.stdout.toString().trim()) !== lines) throw new Error(`pipe run: ${r.stdout} output lines for ${lines}`);
  const c1 = childCpu();
  const rate = lines / secs;
  if (c0 !== undefined && c1 !== undefined) cpuRates.set(rate, lines / Math.max(0.01, c1 - c0));
  return rate;
}

/** One run with 1 and one with 2 threads into files: identical bytes, one output line per input line. */
function checkOutputs(dir, file, lines) {
  const outs = [1, 2].map((t) => {
    const out = join(dir, `out-${t}.jsonl`);
    runBatch(file, lines, t, out);
    const bytes = readFileSync(out);
    rmSync(out);
    return bytes;
  });
  const hash = (b) => createHash('sha256').update(b).digest('hex');
  if (hash(outs[0]) !== hash(outs[1])) throw new Error(`${file}: 1 and 2 threads wrote different output`);
  const text = outs[0].toString('utf8');
  const count = text.split('\n').length - 1;
  if (count !== lines) throw new Error(`${file}: ${count} output lines for ${lines} input lines`);
  return text.split('\n', lines);
}

/** The peer decides the first valid lines without a resource policy, action by resource; returns [agreeing, compared, disagreements]. */
async function agreement(lines, outputs, max) {
  let compared = 0;
  let agree = 0;
  const disagreements = [];
  for (let i = 0; i < lines.length && compared < max; i++) {
    const out = JSON.parse(outputs[i]);
    if (out.Error !== undefined) continue;
    const v = JSON.parse(lines[i]);
    if (v.ResourcePolicy !== undefined) continue;
    const ctx = Object.fromEntries(
      (v.ContextEntries ?? []).map((e) => [e.ContextKeyName, e.ContextKeyType.endsWith('List') ? e.ContextKeyValues : e.ContextKeyValues[0]]),
    );
    const policies = v.PolicyInputList.map((p, k) => ({ name: `p${k}`, json: JSON.parse(p) }));
    for (const r of out.EvaluationResults) {
      for (const rr of r.ResourceSpecificResults) {
        const req = { action: r.EvalActionName, resource: rr.EvalResourceName, principal: v.CallerArn ?? `arn:aws:iam::${ACCT}:role/Caller`, ctx };
        const b = peerDecision(await peerRun(peerSim(policies, req), {}));
        if (b === 'error') continue;
        compared++;
        if (b === rr.EvalResourceDecision) agree++;
        else disagreements.push({ row: 'batch', line: i + 1, ...req, iamsim: rr.EvalResourceDecision, peer: b });
      }
    }
  }
  return { agree, compared, disagreements };
}

const pct = (x) => `${(x * 100).toFixed(0)} %`;

function printRows(title, rows) {
  console.log(`\n${title}\n`);
  console.log(`${'row'.padEnd(58)} ${'lines/s'.padStart(10)} ${'vs JSON.parse'.padStart(14)} ${'lines/CPU s'.padStart(12)} ${'(vs parse)'.padStart(10)}  goal`);
  const parseCpu = cpuRates.get(rows[0].rate);
  for (const r of rows) {
    const cpu = cpuRates.get(r.rate);
    const c = cpu === undefined ? '' : Math.round(cpu).toLocaleString('en-US');
    const cr = cpu === undefined || parseCpu === undefined || r.base === undefined ? '' : pct(cpu / cpuRates.get(r.base));
    console.log(
      `${r.name.padEnd(58)} ${Math.round(r.rate).toLocaleString('en-US').padStart(10)} ${pct(r.ratio).padStart(14)} ${c.padStart(12)} ${cr.padStart(10)}  ${r.goal ?? ''}`,
    );
  }
}

const goal = (ratio, want) => `≥ ${pct(want)}: ${ratio >= want ? 'met' : 'NOT met'}`;

async function generatorRows(dir, name, lines, freshLines, disagreements) {
  const file = join(dir, `${name}.jsonl`);
  const fresh = join(dir, `${name}-fresh.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  writeFileSync(fresh, `${freshLines.join('\n')}\n`);
  const outputs = checkOutputs(dir, file, lines.length);
  checkOutputs(dir, fresh, freshLines.length);
  const check = await agreement(lines, outputs, quick ? 200 : 1000);
  disagreements.push(...check.disagreements);
  const parse = jsonParseRate(lines);
  const parseFresh = jsonParseRate(freshLines, true);
  const kb = (lines.reduce((n, l) => n + l.length, 0) / lines.length / 1024).toFixed(1);
  const row = (label, rate, base, want) => ({ name: label, rate, base, ratio: rate / base, goal: want === undefined ? undefined : goal(rate / base, want) });
  const t1 = runBatch(file, lines.length, 1);
  const t2 = runBatch(file, lines.length, 2);
  const p1 = runBatch(file, lines.length, 1, 'pipe');
  const p2 = runBatch(file, lines.length, 2, 'pipe');
  const f1 = runBatch(fresh, freshLines.length, 1);
  const f2 = runBatch(fresh, freshLines.length, 2);
  const text1 = runBatch(file, lines.length, 1, 'null', ['--format', 'text']);
  const n = lines.length.toLocaleString('en-US');
  printRows(
    `Batch, ${name} generator: ${n} lines of ${kb} KB; JSON.parse ${Math.round(parse).toLocaleString('en-US')} lines/s, with the policies inside ${Math.round(parseFresh).toLocaleString('en-US')} lines/s (new-policy file); peer agrees on ${check.agree}/${check.compared} decisions`,
    [
      { name: 'JSON.parse of the same lines, 1 thread (this process)', rate: parse, base: parse, ratio: 1 },
      row('warm, --threads 1, > /dev/null', t1, parse, 0.5),
      row('warm, --threads 2, > /dev/null', t2, parse, 0.85),
      row('warm, --threads 1, | wc -l', p1, parse, 0.5),
      row('warm, --threads 2, | wc -l', p2, parse, 0.85),
      row(`all-new policy text (${freshLines.length.toLocaleString('en-US')} lines), --threads 1 (vs parse incl. policies)`, f1, parseFresh, 0.25),
      row('all-new policy text, --threads 2 (vs parse incl. policies)', f2, parseFresh, 0.25),
      { name: '--format text, --threads 1, > /dev/null (vs JSON t1)', rate: text1, base: t1, ratio: text1 / t1, goal: goal(text1 / t1, 0.5) },
    ],
  );
  console.log(
    `  2 threads / 1 thread: ${(t2 / t1).toFixed(2)}× to /dev/null, ${(p2 / p1).toFixed(2)}× to a pipe, ${(f2 / f1).toFixed(2)}× all-new (goal for warm lines: ≥ 1.7×)`,
  );
  rmSync(file);
  rmSync(fresh);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Start-up: the medians of alternating runs of the command and of `node -e 0`. */
function startup() {
  const single = join(root, 'examples', 'simulate', 'events-assume-notebook-job-role.json');
  const time = (args) => {
    const t = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    return performance.now() - t;
  };
  console.log('\nStart-up (medians of alternating runs)\n');
  for (const [name, args, want] of [
    ['iamsim --help', [bin, '--help'], 1.15],
    ['iamsim simulate (one request)', [bin, 'simulate', '--input', single], 1.3],
  ]) {
    const a = [];
    const b = [];
    time(args);
    time(['-e', '0']);
    for (let i = 0; i < (quick ? 9 : 21); i++) {
      a.push(time(args));
      b.push(time(['-e', '0']));
    }
    const r = median(a) / median(b);
    console.log(
      `${name.padEnd(40)} ${median(a).toFixed(1).padStart(7)} ms  node -e 0 ${median(b).toFixed(1)} ms  ${r.toFixed(2)}×  (goal ≤ ${want}×: ${r <= want ? 'met' : 'NOT met'})`,
    );
  }
}

export async function benchBatch(disagreements = []) {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-batch-'));
  console.log(
    `\nLoad average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  try {
    await generatorRows(dir, 'realistic', realisticLines(quick ? 30000 : 100000), realisticLines(quick ? 5000 : 20000, true), disagreements);
    await generatorRows(dir, 'varied', variedLines(quick ? 6000 : 20000), variedLines(quick ? 1500 : 4000, { seed: 7, fresh: true }), disagreements);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  startup();
  console.log(
    `Load average at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  return disagreements;
}

if (process.argv[1]?.endsWith('batch.js')) {
  const d = await benchBatch();
  if (d.length > 0) {
    console.error(`\nThe engines disagree on ${d.length} batch decision(s):`);
    for (const x of d.slice(0, 30)) console.error(JSON.stringify(x));
    process.exitCode = 1;
  } else console.log('\nThe engines agree on every batch decision both accept.');
}
