// A batch thread's warm-up (issue 23): decides a JSON Lines file chunk by chunk in this process, as a batch thread
// does (the same chunker, `runChunk` and per-thread state), and prints the CPU time per line of each stretch of the
// first pass — the first lines run before V8 has optimized the hot path — then of two more passes over the same
// lines (warm). CPU time of this process (`process.cpuUsage`, V8's compiler and collector threads included).
// Usage: node bench/batch-warmup.js FILE.jsonl   (after npm run build)
import { readFileSync } from 'node:fs';
import { lineState } from '../dist/src/simulate/batch/line.js';
import { runChunk } from '../dist/src/simulate/batch/pool.js';
import { LineChunker } from '../dist/src/simulate/batch/chunks.js';

const [file] = process.argv.slice(2);
const data = readFileSync(file);
const state = lineState();
const opts = { baseDir: process.cwd(), lenient: false, explain: false, format: 'json' };
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One pass over the file; returns [lines, ms] per chunk. */
function pass() {
  const chunker = new LineChunker(512 * 1024);
  const per = [];
  const run = (c) => {
    const t0 = cpu();
    runChunk(c, opts, state);
    per.push([c.lines, cpu() - t0]);
    chunker.release(c);
  };
  for (let off = 0; off < data.length; off += 1 << 20) for (const c of chunker.push(data.subarray(off, Math.min(data.length, off + (1 << 20))))) run(c);
  const last = chunker.end();
  if (last !== undefined) run(last);
  return per;
}

const t0 = cpu();
const first = pass();
const firstMs = cpu() - t0;
const stretches = [500, 1000, 2000, 4000, 8000, 16000, 32000, Infinity];
let line = 0;
let k = 0;
let acc = [0, 0];
const rows = [];
for (const [n, ms] of first) {
  acc = [acc[0] + n, acc[1] + ms];
  line += n;
  if (line >= stretches[k] || line === first.reduce((a, [x]) => a + x, 0)) {
    rows.push(`lines ${String(line - acc[0] + 1).padStart(6)}–${String(line).padEnd(6)} ${((acc[1] * 1000) / acc[0]).toFixed(1).padStart(7)} µs/line`);
    acc = [0, 0];
    while (line >= stretches[k]) k++;
  }
}
const warm = [pass(), pass()].map((p) => (p.reduce((a, [, ms]) => a + ms, 0) * 1000) / p.reduce((a, [n]) => a + n, 0));
const lines = first.reduce((a, [n]) => a + n, 0);
console.log(`${file}: ${lines} lines; first pass ${firstMs.toFixed(0)} ms of CPU (${((firstMs * 1000) / lines).toFixed(1)} µs/line)`);
for (const r of rows) console.log(`  ${r}`);
console.log(`  warm passes: ${warm.map((x) => x.toFixed(1)).join(' / ')} µs/line`);
