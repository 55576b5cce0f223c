// Summarizes a `node --cpu-prof` profile: self time by function (with file:line) and by file, top N.
// Usage: node bench/cpuprofile.js FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg ?? 25);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const files = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  const where = cf.url.replace(/^.*\/(dist|node_modules)\//, '$1/');
  const name = `${cf.functionName || '(anonymous)'} ${where}:${cf.lineNumber + 1}`;
  fn.set(name, (fn.get(name) ?? 0) + us);
  files.set(where || cf.functionName, (files.get(where || cf.functionName) ?? 0) + us);
}
const show = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log(`total ${(total / 1000).toFixed(0)} ms\n-- by function (self)\n${show(fn)}\n-- by file (self)\n${show(files)}`);
