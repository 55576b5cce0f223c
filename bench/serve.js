// iamsim serve benchmark: POST /v1/authorize (the decision API) and SimulateCustomPolicy over IAM's Query API,
// driven over loopback against `iamsim serve` in a child process, side by side with the same work done in-process
// by the library. The load generator is wrk (a C program) when it is installed, else autocannon (JavaScript, in this
// process); the table says which. Bounded: each run lasts --duration seconds after a one-second warm-up.
// Usage: npm run bench:serve [-- --duration 5 --connections 32 --workers 1,2 --generator wrk|autocannon --threads 1]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { AssemblyCache } from '../dist/src/authz/assembly-cache.js';
import { authorize } from '../dist/src/authz/authorize.js';
import { loadUniverse } from '../dist/src/authz/universe.js';
import { makeContext } from '../dist/src/eval/request.js';
import { readSimulateInputValue } from '../dist/src/simulate/input.js';
import { runSimulation } from '../dist/src/simulate/run.js';
import { benchHealth } from './serve-health.js';
import { AUTHORIZE, batchBody, FORM, SIMULATE } from './serve-requests.js';

const opt = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const DURATION = Number(opt('duration', '5'));
const CONNECTIONS = Number(opt('connections', '32'));
const THREADS = Number(opt('threads', '1'));
const WORKERS = opt('workers', '1,2').split(',');
const BATCH = Number(opt('batch', '100'));
const WRK = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined ? 'wrk' : undefined;
const GENERATOR = opt('generator', WRK ? 'wrk' : 'autocannon');
if (GENERATOR === 'wrk' && !WRK) throw new Error('--generator wrk: wrk is not installed');
const ACCOUNT_FILE = fileURLToPath(new URL('../test/fixtures/accounts/authorization-details.json', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/iamsim.js', import.meta.url));
const FLOOR = fileURLToPath(new URL('./serve-floor.js', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'iamsim-bench-serve-'));

/** Calls fn repeatedly for `ms` (after a warm-up) and returns calls per second. */
function rate(fn, ms = 1500) {
  for (let i = 0; i < 2000; i++) fn();
  globalThis.gc?.();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  return n / ((performance.now() - start) / 1000);
}

/** The server's own work, in-process: the Engine's path (assembled policies cached per principal), and the simulator's. */
function inProcess() {
  const { universe } = loadUniverse({ accountFiles: [ACCOUNT_FILE] });
  const cache = new AssemblyCache();
  const authz = rate(() => {
    const req = { ...AUTHORIZE, context: makeContext(AUTHORIZE.context), deriveContext: true };
    return authorize(universe, req, { explain: false, assembled: cache.get(universe, req) });
  });
  const simulate = rate(() => runSimulation(readSimulateInputValue(SIMULATE, { allowFileReferences: false }).request, { explain: false }));
  return { authz, simulate };
}

async function startServer(workers, floor = false) {
  const args = floor ? [FLOOR, workers] : [BIN, 'serve', '--account', ACCOUNT_FILE, '--port', '0', '--workers', workers];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`iamsim serve exited with ${code}`)));
  });
  return { child, url };
}

/** CPU seconds (user + system) of a process and its children (Linux /proc; undefined elsewhere). */
function cpuOfTree(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let ticks = Number(f[11]) + Number(f[12]);
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) ticks += (cpuOfTree(Number(c)) ?? 0) * 100;
    return ticks / 100;
  } catch {
    return undefined;
  }
}

function luaScript(name, contentType, body) {
  const file = join(TMP, `${name}.lua`);
  writeFileSync(file, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "${contentType}"\nwrk.body = [==[${body}]==]\n`);
  return file;
}

/** wrk's duration text (e.g. 812.00us, 2.31ms, 1.02s) in milliseconds. */
function ms(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

function runWrk(url, req, seconds) {
  return new Promise((resolve, reject) => {
    const script = luaScript(req.name.replace(/\W+/g, '-'), req.contentType, req.body);
    const child = spawn(WRK, ['-t', String(THREADS), '-c', String(CONNECTIONS), '-d', `${seconds}s`, '--latency', '-s', script, url + req.path]);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    let cpu;
    const sampler = setInterval(() => {
      cpu = cpuOfTree(child.pid) ?? cpu;
    }, 200);
    child.once('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${out}`));
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p50 = ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
      const p99 = ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
      const bad =
        Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
        Number(
          /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
            .exec(out)
            ?.slice(1)
            .reduce((a, b) => a + Number(b), 0) ?? 0,
        );
      const total = Number(/(\d+) requests in/.exec(out)?.[1]);
      resolve({ rps, p50, p99, bad, total, generatorCpu: cpu });
    });
  });
}

function runAutocannon(url, req, seconds) {
  const before = process.cpuUsage();
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: url + req.path,
        duration: seconds,
        connections: CONNECTIONS,
        pipelining: 1,
        method: 'POST',
        headers: { 'content-type': req.contentType },
        body: req.body,
      },
      (err, r) => {
        if (err) return reject(err);
        const c = process.cpuUsage(before);
        resolve({
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          bad: r.non2xx + r.errors + r.timeouts,
          total: r.requests.total,
          generatorCpu: (c.user + c.system) / 1e6,
        });
      },
    );
  });
}

async function measure(url, pid, req) {
  const run = GENERATOR === 'wrk' ? runWrk : runAutocannon;
  await run(url, req, 1); // warm-up: the JIT and the engine's caches
  const cpu0 = cpuOfTree(pid);
  const load = loadavg()[0];
  const r = await run(url, req, DURATION);
  const cpu1 = cpuOfTree(pid);
  return { ...r, load, serverCpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined };
}

const REQUESTS = [
  {
    name: 'POST /v1/authorize',
    path: '/v1/authorize',
    contentType: 'application/json',
    body: JSON.stringify(AUTHORIZE),
    goal: { rps: 20_000, p99: 5 },
    per: 1,
  },
  { name: `POST /v1/authorize/batch (${BATCH} per request)`, path: '/v1/authorize/batch', contentType: 'application/json', body: batchBody(BATCH), per: BATCH },
  { name: 'SimulateCustomPolicy (IAM Query API)', path: '/', contentType: 'application/x-www-form-urlencoded', body: FORM, goal: { rps: 5_000 }, per: 1 },
];

const FLOOR_REQUEST = { ...REQUESTS[0], name: 'floor: bare node:http, fixed reply (bench/serve-floor.js)', goal: undefined };

const local = inProcess();
const rows = [];
let failed = false;
for (const workers of WORKERS) {
  const { child, url } = await startServer(workers);
  try {
    const check = await fetch(`${url}/v1/authorize`, { method: 'POST', body: JSON.stringify(AUTHORIZE) }).then((r) => r.json());
    if (check.decision !== 'allowed') throw new Error(`unexpected decision ${JSON.stringify(check)}`);
    for (const req of REQUESTS) {
      const r = await measure(url, child.pid, req);
      if (r.bad > 0) failed = true;
      rows.push({ req, workers, r, inproc: req.path === '/' ? local.simulate : local.authz });
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  const floor = await startServer(workers, true);
  try {
    const r = await measure(floor.url, floor.child.pid, FLOOR_REQUEST);
    rows.push({ req: FLOOR_REQUEST, workers, r });
  } finally {
    floor.child.kill('SIGTERM');
    await new Promise((resolve) => floor.child.once('exit', resolve));
  }
}
rmSync(TMP, { recursive: true, force: true });

const fmt = (n, d = 0) => (n === undefined || Number.isNaN(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const perReq = (cpu, r) => (cpu === undefined ? undefined : (cpu / r.total) * 1e6);
console.log(
  `iamsim serve over loopback: generator ${GENERATOR}${GENERATOR === 'wrk' ? ` (${THREADS} thread)` : ' (in this process)'}, ${CONNECTIONS} connections, ${DURATION} s per run after 1 s warm-up; ${cpus().length} cores shared by the server and the generator`,
);
const head = [
  'endpoint',
  'workers',
  'req/s',
  'decisions/s',
  'p50 ms',
  'p99 ms',
  'server CPU µs/req',
  'generator CPU µs/req',
  'load avg',
  'in-process /s',
  'goal',
  'vs goal',
];
const table = [head];
for (const { req, workers, r, inproc } of rows) {
  const goal = req.goal;
  const verdict = goal === undefined ? '' : `${fmt(r.rps / goal.rps, 2)}×${goal.p99 !== undefined ? `, p99 ${r.p99 < goal.p99 ? 'met' : 'missed'}` : ''}`;
  table.push([
    req.name,
    workers,
    fmt(r.rps),
    fmt(r.rps * req.per),
    fmt(r.p50, 2),
    fmt(r.p99, 2),
    fmt(perReq(r.serverCpu, r)),
    fmt(perReq(r.generatorCpu, r)),
    fmt(r.load, 1),
    inproc === undefined ? '' : fmt(inproc),
    goal === undefined ? '' : `≥ ${fmt(goal.rps)}/s${goal.p99 !== undefined ? `, p99 < ${goal.p99} ms` : ''}`,
    r.bad > 0 ? `${r.bad} failed` : verdict,
  ]);
}
console.log(
  table
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n')
    .replace(/\n/, `\n|${head.map(() => ' --- ').join('|')}|\n`),
);
if (failed) process.exitCode = 1;
// /healthz while the console's audit runs (issue 19: no request may make it wait more than 100 ms).
if (!(await benchHealth())) process.exitCode = 1;
