// iamsim benchmark: iamsim and the peer @cloud-copilot/iam-simulate on the same requests, in one run.
// Reports decisions per second for both and the ratio (machines are noisy: compare ratios, not timings).
// Usage: npm run bench   (installs the benchmark-only peer in bench/ first)
import { readFileSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parsePolicy, compilePolicy, evaluate, makeContext } from '../dist/src/index.js';
import { runSimulation as peerRun } from '@cloud-copilot/iam-simulate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const policiesDir = join(root, 'examples', 'policies');
const ACCT = '012345678910';
const quick = process.argv.includes('--quick');

function load(name) {
  const text = readFileSync(join(policiesDir, name), 'utf8');
  return { name, text, json: JSON.parse(text) };
}

function ours(policyDocs) {
  return { identity: policyDocs.map((p, i) => compilePolicy(parsePolicy(p.text, { type: 'identity', name: p.name }).policy, `PolicyInputList.${i + 1}`)) };
}

function ourContext(ctx) {
  return makeContext(Object.entries(ctx).map(([key, v]) => ({ key, type: Array.isArray(v) ? 'stringList' : 'string', values: Array.isArray(v) ? v : [v] })));
}

function peerSim(policyDocs, r) {
  return {
    identityPolicies: policyDocs.map((p) => ({ name: p.name, policy: p.json })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: { action: r.action, principal: r.principal, resource: { resource: r.resource, accountId: r.resource.split(':')[4] && /^\d{12}$/.test(r.resource.split(':')[4]) ? r.resource.split(':')[4] : ACCT }, contextVariables: r.ctx },
  };
}

async function timeIt(fn, minMs) {
  // warm up, then run for at least minMs
  for (let i = 0; i < 50; i++) await fn(i);
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    for (let i = 0; i < 100; i++) await fn(n + i);
    n += 100;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

function timeSync(fn, minMs) {
  for (let i = 0; i < 1000; i++) fn(i);
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    for (let i = 0; i < 1000; i++) fn(n + i);
    n += 1000;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

/**
 * Decisions per second over a list of requests. A plain function: a timed loop inside the module's top-level code,
 * which awaits, would run in a resumable async body that V8 optimizes poorly, and measure that instead of the engine.
 */
function rateOf(list, minMs) {
  let n = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < minMs) {
    for (const x of list) evaluate(x.input, x.req);
    n += list.length;
    now = performance.now();
  }
  return (n / (now - t0)) * 1000;
}

/** Collects garbage between timed sections when node runs with --expose-gc (npm run bench does). */
function collect() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const rows = [];

// (a) one request against the MLSpace notebook policy
{
  const mlspace = [load('mlspace-notebook-policy.json')];
  const r = {
    action: 'sagemaker:CreateEndpoint',
    principal: `arn:aws:sts::${ACCT}:assumed-role/MLSpace-notebook/alice`,
    resource: `arn:aws:sagemaker:us-east-1:${ACCT}:endpoint/demo`,
    ctx: { 'aws:RequestTag/user': 'alice', 'aws:RequestTag/project': 'p1', 'aws:RequestTag/system': 'MLSpace' },
  };
  const input = ours(mlspace);
  const req = { action: r.action, resource: r.resource, principal: r.principal, resourceOwner: ACCT, context: ourContext(r.ctx) };
  const d = evaluate(input, req);
  const sim = peerSim(mlspace, r);
  const pd = await peerRun(sim, {});
  collect();
  const ourRate = timeSync(() => evaluate(input, req), quick ? 300 : 1500);
  collect();
  const peerRate = await timeIt(() => peerRun(sim, {}), quick ? 300 : 1500);
  rows.push(['(a) MLSpace policy, one request', ourRate, peerRate, `iamsim ${d.decision}, peer ${pd.overallResult}`]);
}

// (b) 10,000 mixed requests over all the seeds' identity policies, with conditions
{
  const files = readdirSync(policiesDir).filter((f) => f.endsWith('.json') && !/trust|scp-|rcp-|key-policy|endpoint-policy|template/.test(f));
  const docs = files.map(load);
  let seed = 42;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pick = (xs) => xs[rand(xs.length)];
  const concrete = (res) => res === '*' ? '*' : res.replace(/\*/g, 'x').replace(/\?/g, 'y').replace(/^arn:aws:([\w-]+):x:x:/, `arn:aws:$1:us-east-1:${ACCT}:`).replace(/::x:/, `::${ACCT}:`);
  // Pick an action and a resource from the same statement, so that the resource fits the action.
  const pairsOf = (doc) => [].concat(doc.json.Statement).flatMap((s) => {
    const acts = [].concat(s.Action ?? []).filter((a) => !a.includes('*') && !a.includes('?'));
    const ress = [].concat(s.Resource ?? ['*']).map(concrete);
    return acts.map((a) => ({ action: a, resources: ress }));
  });
  const tagSets = [{}, { 'aws:RequestTag/user': 'alice' }, { 'aws:RequestTag/user': 'alice', 'aws:RequestTag/project': 'p', 'aws:RequestTag/system': 'MLSpace' }, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, { 'iam:PassedToService': 'lambda.amazonaws.com' }, { 'aws:ResourceTag/sagemaker:is-scheduling-notebook-job': 'true' }, { 's3:prefix': 'global-read-only/x' }, { 'kms:GrantIsForAWSResource': 'true' }];
  const requests = [];
  const usable = docs.filter((d) => pairsOf(d).length > 0);
  for (let i = 0; i < 10000; i++) {
    const doc = pick(usable);
    const pair = pick(pairsOf(doc));
    requests.push({ doc, action: pair.action, resource: pick(pair.resources), principal: `arn:aws:iam::${ACCT}:role/ExecutionRole`, ctx: pick(tagSets) });
  }
  const inputs = new Map(docs.map((d) => [d.name, ours([d])]));
  const ownerOf = (arn) => { const a = arn.split(':')[4]; return a && /^\d{12}$/.test(a) ? a : ACCT; };
  // One evaluator input per policy set (compiled once); the resource's owner travels with the request.
  const ourReqs = requests.map((r) => ({ input: inputs.get(r.doc.name), req: { action: r.action, resource: r.resource, principal: r.principal, resourceOwner: ownerOf(r.resource), context: ourContext(r.ctx) } }));
  const peerSims = requests.map((r) => peerSim([r.doc], r));
  let agree = 0;
  let peerErrors = 0;
  const accepted = [];
  for (let i = 0; i < requests.length; i++) {
    const a = evaluate(ourReqs[i].input, ourReqs[i].req).decision;
    const b = await peerRun(peerSims[i], {});
    const pb = b.resultType === 'error' ? 'error' : b.overallResult === 'Allowed' ? 'allowed' : b.overallResult === 'ExplicitlyDenied' ? 'explicitDeny' : 'implicitDeny';
    if (pb === 'error') peerErrors++;
    else {
      accepted.push(i);
      if (a === pb) agree++;
    }
  }
  // Time both engines on the same requests: those the peer accepts (it rejects seed 003's account-less ECR ARNs).
  // Each timed section starts warmed up and with the garbage of the previous one collected.
  // Request objects are built right before each engine's timed section (as a batch builds them from its lines), so the
  // timing measures the engine, not objects scattered through a heap the other engine's run fragmented.
  collect();
  const ourTimed = accepted.map((i) => {
    const r = requests[i];
    return { input: inputs.get(r.doc.name), req: { action: r.action, resource: r.resource, principal: r.principal, resourceOwner: ownerOf(r.resource), context: ourContext(r.ctx) } };
  });
  for (const x of ourTimed) evaluate(x.input, x.req);
  collect();
  const ourRate = rateOf(ourTimed, quick ? 300 : 1500);
  collect();
  const peerN = quick ? 1000 : accepted.length;
  const peerTimed = accepted.slice(0, peerN).map((i) => peerSim([requests[i].doc], requests[i]));
  collect();
  const t1 = performance.now();
  for (const sim of peerTimed) await peerRun(sim, {});
  const peerRate = peerN / ((performance.now() - t1) / 1000);
  rows.push([`(b) ${requests.length.toLocaleString('en-US')} mixed requests, ${usable.length} policies`, ourRate, peerRate, `decisions agree on ${agree}/${requests.length - peerErrors} (peer rejected ${peerErrors} inputs)`]);
}

console.log('\nLibrary: decisions per second (same requests, same run)\n');
console.log(`${'scenario'.padEnd(44)} ${'iamsim'.padStart(12)} ${'iam-simulate'.padStart(13)} ${'ratio'.padStart(8)}  note`);
for (const [name, a, b, note] of rows) console.log(`${name.padEnd(44)} ${fmt(a).padStart(12)} ${fmt(b).padStart(13)} ${(a / b).toFixed(0).padStart(7)}x  ${note}`);

// (c) CLI batch throughput and (d) one-shot CLI latency
{
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-bench-'));
  const lines = quick ? 20000 : 200000;
  const line = (i) => JSON.stringify({
    PolicyInputList: [`file://${join(policiesDir, i % 2 ? 'mlspace-notebook-policy.json' : 'notebook-job-permissions.json')}`],
    ActionNames: [i % 3 ? 'sagemaker:CreateEndpoint' : 'iam:PassRole'],
    ResourceArns: [i % 3 ? `arn:aws:sagemaker:us-east-1:${ACCT}:endpoint/e${i % 100}` : `arn:aws:iam::${ACCT}:role/Job`],
    ContextEntries: [{ ContextKeyName: 'aws:RequestTag/user', ContextKeyValues: [`u${i % 7}`], ContextKeyType: 'string' }],
  });
  const file = join(dir, 'batch.jsonl');
  writeFileSync(file, `${Array.from({ length: lines }, (_, i) => line(i)).join('\n')}\n`);
  const bin = join(root, 'bin', 'iamsim.js');
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'simulate', '--input', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const secs = (performance.now() - t) / 1000;
  console.log(`\nCLI batch: ${lines.toLocaleString('en-US')} lines in ${secs.toFixed(2)} s = ${fmt(lines / secs)} lines/s (exit ${r.status})`);
  const single = join(root, 'examples', 'simulate', 'events-assume-notebook-job-role.json');
  const times = [];
  for (let i = 0; i < 7; i++) {
    const s = performance.now();
    spawnSync(process.execPath, [bin, 'simulate', '--input', single], { stdio: 'ignore' });
    times.push(performance.now() - s);
  }
  times.sort((x, y) => x - y);
  const base = [];
  for (let i = 0; i < 5; i++) { const s = performance.now(); spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' }); base.push(performance.now() - s); }
  base.sort((x, y) => x - y);
  console.log(`CLI single request end to end: median ${times[3].toFixed(0)} ms (bare 'node -e 0' here: ${base[2].toFixed(0)} ms)`);
}

// (e) Reasoning: the Access Analyzer-style checks (bench/reason.js)
{
  const { benchReason } = await import('./reason.js');
  await benchReason({ quick });
}
