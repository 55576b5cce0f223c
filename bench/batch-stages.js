// Where a batch line's time goes, stage by stage, in one thread (CPU time of this process, best of N passes):
// JSON.parse of the line; reading it into a request (policies through a warm engine cache); deciding it; writing
// the output line (JSON.stringify, or the text line). Each stage is timed on its own over the same lines, so
// the figures are comparable within one run even on a loaded machine.
// Usage: node --expose-gc bench/batch-stages.js FILE.jsonl [passes]
import { readFileSync } from 'node:fs';
import { Iamsim } from '../dist/src/engine/iamsim.js';
import { readSimulateInputValue } from '../dist/src/simulate/input.js';
import { runSimulation } from '../dist/src/simulate/run.js';
import { lineState, processLine } from '../dist/src/simulate/batch/line.js';
import { textLine } from '../dist/src/simulate/batch/text.js';

const [file, passArg] = process.argv.slice(2);
const passes = Number(passArg ?? 3);
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l !== '');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function best(fn) {
  let min = Infinity;
  for (let p = 0; p < passes; p++) {
    globalThis.gc?.();
    const t0 = cpu();
    fn();
    min = Math.min(min, cpu() - t0);
  }
  return min;
}
const engine = new Iamsim();
const opts = { baseDir: process.cwd(), lenient: false, policies: engine.policies };
const values = lines.map((l) => {
  try {
    return JSON.parse(l);
  } catch {
    return undefined;
  }
});
const requests = values.map((v) => (v === undefined ? undefined : readSimulateInputValue(v, opts).request));
const responses = requests.map((r) => (r === undefined ? undefined : runSimulation(r, { explain: false })));
const stages = {
  'JSON.parse of the line': () => {
    for (const l of lines) {
      try {
        JSON.parse(l);
      } catch {}
    }
  },
  'read the request (warm policies)': () => {
    for (const v of values) if (v !== undefined) readSimulateInputValue(v, opts);
  },
  decide: () => {
    for (const r of requests) if (r !== undefined) runSimulation(r, { explain: false });
  },
  'JSON.stringify of the response': () => {
    for (const r of responses) if (r !== undefined) JSON.stringify(r);
  },
  'text line of the response': () => {
    let i = 0;
    for (const r of responses) if (r !== undefined) textLine(++i, r);
  },
  'whole line (processLine, warm state)': (() => {
    const state = lineState();
    const o = { baseDir: process.cwd(), lenient: false, explain: false };
    return () => {
      let n = 1;
      for (const l of lines) processLine(l, n++, o, state);
    };
  })(),
};
// STAGE=word: run only the stages whose name has it (to profile one with --cpu-prof).
const only = process.env.STAGE;
if (only !== undefined) {
  for (const [name, fn] of Object.entries(stages)) if (name.includes(only)) console.log(name, best(fn).toFixed(0), 'ms');
  process.exit(0);
}
const parse = best(stages['JSON.parse of the line']);
console.log(
  `${lines.length} lines of ${(lines.reduce((n, l) => n + l.length, 0) / lines.length / 1024).toFixed(1)} KB; CPU µs per line (best of ${passes}), and as a share of JSON.parse`,
);
for (const [name, fn] of Object.entries(stages)) {
  const ms = name.startsWith('JSON.parse') ? parse : best(fn);
  console.log(`${name.padEnd(40)} ${((ms * 1000) / lines.length).toFixed(1).padStart(8)} µs  ${(ms / parse).toFixed(2).padStart(6)}×`);
}
