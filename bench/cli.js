// Command-line rows: JSON Lines batches (realistic lines with their policies inline, on one thread and on every
// core; every line with new policy text) and start-up against a bare `node -e 0`. The peer has no batch command:
// its rate is runSimulation in-process on the same lines (JSON.parse of the line included), which favours it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { runSimulation as peerRun } from '@cloud-copilot/iam-simulate';
import { ACCT, collect, load, peerSim, quick, rateAsync, root } from './lib.js';

const bin = join(root, 'bin', 'iamsim.js');
const ACTIONS = ['sagemaker:CreateNotebookInstance', 'ecr:BatchGetImage', 's3:GetObject', 'logs:PutLogEvents', 'iam:PassRole', 'ec2:CreateNetworkInterface'];

/** A realistic line: the 1.4 KB CreateNotebookInstance policy inline, a varied action, resource and context. */
function lineOf(policyText, i) {
  const action = ACTIONS[i % ACTIONS.length];
  const resource = action === 'iam:PassRole' ? `arn:aws:iam::${ACCT}:role/Exec${i % 50}` : action.startsWith('s3:') ? `arn:aws:s3:::data-${i % 20}/k${i}` : '*';
  return JSON.stringify({
    PolicyInputList: [policyText],
    ActionNames: [action],
    ResourceArns: [resource],
    ContextEntries: [
      { ContextKeyName: 'iam:PassedToService', ContextKeyValues: [i % 2 ? 'sagemaker.amazonaws.com' : 'glue.amazonaws.com'], ContextKeyType: 'string' },
    ],
  });
}

function runBatch(file, lines, threads) {
  const out = `${file}.out`;
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', `exec "$0" "$1" simulate --input "$2" --threads "$3" > "$4"`, process.execPath, bin, file, String(threads), out], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const secs = (performance.now() - t0) / 1000;
  const outLines = readFileSync(out, 'utf8').split('\n').length - 1;
  if (r.status !== 0 || outLines !== lines) throw new Error(`batch run failed: exit ${r.status}, ${outLines} output lines for ${lines}`);
  rmSync(out);
  return lines / secs;
}

async function peerLineRate(lines) {
  const sims = lines.map((l) => {
    const v = JSON.parse(l);
    return { v, sim: null };
  });
  return rateAsync(
    (i) => {
      const v = JSON.parse(lines[i % lines.length]);
      const r = {
        action: v.ActionNames[0],
        resource: v.ResourceArns[0],
        principal: `arn:aws:iam::${ACCT}:role/Caller`,
        ctx: { [v.ContextEntries[0].ContextKeyName]: v.ContextEntries[0].ContextKeyValues[0] },
      };
      return peerRun(
        peerSim(
          v.PolicyInputList.map((p, k) => ({ name: `p${k}`, json: JSON.parse(p) })),
          r,
        ),
        {},
      );
    },
    quick ? 300 : 1500,
    Math.min(50, sims.length),
  );
}

export async function batchRows() {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-bench-'));
  try {
    const policy = JSON.stringify(load('create-notebook-instance-broad.json').json);
    const n = quick ? 20000 : 200000;
    const same = join(dir, 'realistic.jsonl');
    const sameLines = Array.from({ length: n }, (_, i) => lineOf(policy, i));
    writeFileSync(same, `${sameLines.join('\n')}\n`);
    const fresh = join(dir, 'new-policies.jsonl');
    const freshN = quick ? 5000 : 50000;
    const freshLines = Array.from({ length: freshN }, (_, i) => lineOf(policy.replace('"s3:GetObject"', `"s3:GetObject","s3:GetObjectTagging${i}"`), i));
    writeFileSync(fresh, `${freshLines.join('\n')}\n`);
    const kb = (sameLines[0].length / 1024).toFixed(1);
    const cores = availableParallelism();
    collect();
    const peerSame = await peerLineRate(sameLines.slice(0, 2000));
    const peerFresh = await peerLineRate(freshLines.slice(0, 2000));
    return [
      {
        name: `(d) batch: ${n.toLocaleString('en-US')} realistic lines (${kb} KB), 1 thread`,
        ours: runBatch(same, n, 1),
        peer: peerSame,
        note: 'lines/s, CLI end to end vs peer in-process',
      },
      { name: `(e) batch: the same, ${cores} worker threads`, ours: runBatch(same, n, cores), peer: peerSame, note: 'lines/s' },
      {
        name: `(f) batch: ${freshN.toLocaleString('en-US')} lines, each with new policy text`,
        ours: runBatch(fresh, freshN, cores),
        peer: peerFresh,
        note: `lines/s, ${cores} worker threads`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Start-up: the median of alternating runs of the command and of `node -e 0`. */
export function startupRows() {
  const single = join(root, 'examples', 'simulate', 'events-assume-notebook-job-role.json');
  const time = (args) => {
    const t = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    return performance.now() - t;
  };
  const rows = [];
  for (const [name, args] of [
    ['iamsim --help', [bin, '--help']],
    ['iamsim simulate (one request)', [bin, 'simulate', '--input', single]],
  ]) {
    const a = [];
    const b = [];
    time(args);
    time(['-e', '0']);
    for (let i = 0; i < (quick ? 5 : 11); i++) {
      a.push(time(args));
      b.push(time(['-e', '0']));
    }
    rows.push({ name: `(g) start: ${name}`, ours: median(a), peer: median(b), note: 'median ms; "peer" column: bare node -e 0 (ratio = times node)' });
  }
  return rows;
}
