// iamsim serve benchmark: POST /v1/authorize (the decision API) and SimulateCustomPolicy over IAM's Query API,
// measured with autocannon over loopback against `iamsim serve` in a child process, side by side with the same
// decisions made in-process by the library. Bounded: each HTTP run lasts DURATION seconds.
// Usage: npm run bench:serve [-- --duration 5]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { authorize } from '../dist/src/authz/authorize.js';
import { loadUniverse } from '../dist/src/authz/universe.js';
import { readSimulateInputValue } from '../dist/src/simulate/input.js';
import { runSimulation } from '../dist/src/simulate/run.js';
import { makeContext } from '../dist/src/eval/request.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const DURATION = arg('duration', 5);
const ACCOUNT_FILE = fileURLToPath(new URL('../test/fixtures/accounts/authorization-details.json', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/iamsim.js', import.meta.url));

const AUTHORIZE = {
  principal: 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000',
  action: 'iam:PassRole',
  resource: 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole',
  context: [{ key: 'iam:PassedToService', type: 'string', values: ['sagemaker.amazonaws.com'] }],
};
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::*:role/*',
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
    { Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
  ],
});
const SIMULATE = {
  PolicyInputList: [POLICY],
  ActionNames: ['iam:PassRole'],
  ResourceArns: ['arn:aws:iam::123456789012:role/Job'],
  ContextEntries: [{ ContextKeyName: 'iam:PassedToService', ContextKeyValues: ['sagemaker.amazonaws.com'], ContextKeyType: 'string' }],
};
const FORM = new URLSearchParams({
  Action: 'SimulateCustomPolicy',
  Version: '2010-05-08',
  'PolicyInputList.member.1': POLICY,
  'ActionNames.member.1': 'iam:PassRole',
  'ResourceArns.member.1': 'arn:aws:iam::123456789012:role/Job',
  'ContextEntries.member.1.ContextKeyName': 'iam:PassedToService',
  'ContextEntries.member.1.ContextKeyValues.member.1': 'sagemaker.amazonaws.com',
  'ContextEntries.member.1.ContextKeyType': 'string',
}).toString();

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

function inProcess() {
  const { universe } = loadUniverse({ accountFiles: [ACCOUNT_FILE] });
  const context = makeContext(AUTHORIZE.context);
  const authz = rate(() => authorize(universe, { ...AUTHORIZE, context, deriveContext: true }, { explain: false }));
  const simulate = rate(() => {
    const r = readSimulateInputValue(SIMULATE, { allowFileReferences: false });
    return runSimulation(r.request, { explain: false });
  });
  return { authz, simulate };
}

async function startServer() {
  const child = spawn(process.execPath, [BIN, 'serve', '--account', ACCOUNT_FILE, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
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

function load(url, opts) {
  return new Promise((resolve, reject) => {
    autocannon({ url, duration: DURATION, connections: 32, pipelining: 1, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

const local = inProcess();
const { child, url } = await startServer();
try {
  // Sanity: both endpoints answer 200 with the expected decision before measuring.
  const check = await fetch(`${url}/v1/authorize`, { method: 'POST', body: JSON.stringify(AUTHORIZE) }).then((r) => r.json());
  if (check.decision !== 'allowed') throw new Error(`unexpected decision ${JSON.stringify(check)}`);
  const a = await load(`${url}/v1/authorize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(AUTHORIZE) });
  const q = await load(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM });
  const row = (name, r, inproc) => {
    const bad = r.non2xx + r.errors + r.timeouts;
    return `${name.padEnd(36)} ${String(Math.round(r.requests.average)).padStart(9)} /s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  ${bad === 0 ? 'all 200' : `${bad} failed`}   in-process ${Math.round(inproc)} /s`;
  };
  console.log(
    `iamsim serve over loopback (${DURATION} s per endpoint, 32 connections; server in a child process; ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)})`,
  );
  console.log(row('POST /v1/authorize', a, local.authz));
  console.log(row('SimulateCustomPolicy (IAM Query API)', q, local.simulate));
  if (a.non2xx + a.errors + q.non2xx + q.errors > 0) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
}
