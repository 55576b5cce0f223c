// Library rows: the same requests through iamsim's evaluator and the peer's runSimulation, in one run.
// Every row checks that the engines decide alike on the requests both accept; disagreements are returned.
import { readdirSync } from 'node:fs';
import { runSimulation as peerRun } from '@cloud-copilot/iam-simulate';
import { parsePolicy, compilePolicy, Iamsim } from '../dist/src/index.js';
import { ACCT, collect, load, ours, ourRequest, peerDecision, peerSim, policiesDir, quick, rate, rateAsync, windowMs } from './lib.js';

// A long-lived caller decides through an engine, which keeps the evaluator's memo (callers classified, actions
// lower-cased) between decisions; `evaluate` without one computes them afresh on every call.
const engine = new Iamsim();
const evaluate = (input, req) => engine.evaluate(input, req);

const MLSPACE_REQUEST = {
  action: 'sagemaker:CreateEndpoint',
  principal: `arn:aws:sts::${ACCT}:assumed-role/MLSpace-notebook/alice`,
  resource: `arn:aws:sagemaker:us-east-1:${ACCT}:endpoint/demo`,
  ctx: { 'aws:RequestTag/user': 'alice', 'aws:RequestTag/project': 'p1', 'aws:RequestTag/system': 'MLSpace' },
};

/** (a) One request against the MLSpace notebook policy, compiled once (the warm path). */
async function warmOne(disagreements) {
  const mlspace = [load('mlspace-notebook-policy.json')];
  const input = ours(mlspace);
  const req = ourRequest(MLSPACE_REQUEST);
  const sim = peerSim(mlspace, MLSPACE_REQUEST);
  const a = evaluate(input, req).decision;
  const b = peerDecision(await peerRun(sim, {}));
  if (b !== 'error' && a !== b) disagreements.push({ row: 'a', request: MLSPACE_REQUEST, iamsim: a, peer: b });
  const ourRate = rate(() => evaluate(input, req));
  collect();
  const peerRate = await rateAsync(() => peerRun(sim, {}));
  return { name: '(a) warm: MLSpace policy, one request', ours: ourRate, peer: peerRate, note: `iamsim ${a}, peer ${b}` };
}

function mixedRequests() {
  const files = readdirSync(policiesDir).filter((f) => f.endsWith('.json') && !/trust|scp-|rcp-|key-policy|endpoint-policy|template/.test(f));
  const docs = files.map(load);
  let seed = 42;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pick = (xs) => xs[rand(xs.length)];
  const concrete = (res) =>
    res === '*'
      ? '*'
      : res
          .replace(/\*/g, 'x')
          .replace(/\?/g, 'y')
          .replace(/^arn:aws:([\w-]+):x:x:/, `arn:aws:$1:us-east-1:${ACCT}:`)
          .replace(/::x:/, `::${ACCT}:`);
  // An action and a resource from the same statement, so that the resource fits the action.
  const pairsOf = (doc) =>
    [].concat(doc.json.Statement).flatMap((s) => {
      const acts = [].concat(s.Action ?? []).filter((a) => !a.includes('*') && !a.includes('?'));
      const ress = [].concat(s.Resource ?? ['*']).map(concrete);
      return acts.map((a) => ({ action: a, resources: ress }));
    });
  const tagSets = [
    {},
    { 'aws:RequestTag/user': 'alice' },
    { 'aws:RequestTag/user': 'alice', 'aws:RequestTag/project': 'p', 'aws:RequestTag/system': 'MLSpace' },
    { 'iam:PassedToService': 'sagemaker.amazonaws.com' },
    { 'iam:PassedToService': 'lambda.amazonaws.com' },
    { 'aws:ResourceTag/sagemaker:is-scheduling-notebook-job': 'true' },
    { 's3:prefix': 'global-read-only/x' },
    { 'kms:GrantIsForAWSResource': 'true' },
  ];
  const usable = docs.filter((d) => pairsOf(d).length > 0);
  const requests = [];
  for (let i = 0; i < 10000; i++) {
    const doc = pick(usable);
    const pair = pick(pairsOf(doc));
    requests.push({ doc, action: pair.action, resource: pick(pair.resources), principal: `arn:aws:iam::${ACCT}:role/ExecutionRole`, ctx: pick(tagSets) });
  }
  return { docs, usable, requests };
}

/** (b) 10,000 mixed requests over the seeds' identity policies, each policy compiled once. */
async function warmMixed(disagreements) {
  const { docs, usable, requests } = mixedRequests();
  const inputs = new Map(docs.map((d) => [d.name, ours([d])]));
  const accepted = [];
  let peerErrors = 0;
  for (const r of requests) {
    const a = evaluate(inputs.get(r.doc.name), ourRequest(r)).decision;
    const b = peerDecision(await peerRun(peerSim([r.doc], r), {}));
    if (b === 'error') {
      peerErrors++;
      continue;
    }
    accepted.push(r);
    if (a !== b) disagreements.push({ row: 'b', request: { policy: r.doc.name, action: r.action, resource: r.resource, context: r.ctx }, iamsim: a, peer: b });
  }
  // Each engine is timed on the requests the peer accepts (it rejects seed 003's account-less ECR ARNs), with its
  // request objects built just before its own timed section.
  collect();
  const ourTimed = accepted.map((r) => ({ input: inputs.get(r.doc.name), req: ourRequest(r) }));
  const ourRate = rate(
    (i) => {
      const x = ourTimed[i % ourTimed.length];
      evaluate(x.input, x.req);
    },
    windowMs,
    ourTimed.length,
  );
  collect();
  const peerTimed = accepted.slice(0, quick ? 1000 : accepted.length).map((r) => peerSim([r.doc], r));
  const peerRate = await rateAsync((i) => peerRun(peerTimed[i % peerTimed.length], {}));
  const agreeing = accepted.length - disagreements.filter((d) => d.row === 'b').length;
  return {
    name: `(b) warm: ${requests.length.toLocaleString('en-US')} mixed requests, ${usable.length} policies`,
    ours: ourRate,
    peer: peerRate,
    note: `agree on ${agreeing}/${accepted.length} (peer refused ${peerErrors})`,
  };
}

/**
 * (c) Cold: every request carries policy text neither engine has seen (the MLSpace policy with one condition value
 * changed), read, checked, compiled and evaluated inside the timed loop — what a server meets when each request
 * brings its own policies. The peer gets the same text and parses it with JSON.parse.
 */
async function cold(disagreements) {
  const base = load('mlspace-notebook-policy.json').text;
  const n = quick ? 2000 : 20000;
  const texts = Array.from({ length: n }, (_, i) => base.replace('"MLSpace"', `"MLSpace${i % 3 === 0 ? '' : i}"`));
  const req = ourRequest(MLSPACE_REQUEST);
  const ourOne = (i) => {
    const policy = parsePolicy(texts[i % n], { type: 'identity', name: 'p' }).policy;
    return evaluate({ identity: [compilePolicy(policy, 'PolicyInputList.1')] }, req).decision;
  };
  const peerOne = (i) => peerRun(peerSim([{ name: 'p', json: JSON.parse(texts[i % n]) }], MLSPACE_REQUEST), {});
  for (let i = 0; i < 60; i++) {
    const a = ourOne(i);
    const b = peerDecision(await peerOne(i));
    if (b !== 'error' && a !== b) disagreements.push({ row: 'c', request: { policy: `MLSpace variant ${i}`, ...MLSPACE_REQUEST }, iamsim: a, peer: b });
  }
  collect();
  const ourRate = rate(ourOne);
  collect();
  const peerRate = await rateAsync(peerOne);
  return { name: '(c) cold: new MLSpace policy text per request', ours: ourRate, peer: peerRate, note: 'parse + validate + compile + evaluate' };
}

export async function libraryRows(disagreements) {
  return [await warmOne(disagreements), await warmMixed(disagreements), await cold(disagreements)];
}
