// iamsim reasoning benchmark: the Access Analyzer-style checks on the seeds' policies.
// Per check: the first call in a fresh process (loads the catalog) and the median of later calls
// (policies parsed afresh each time; the engine's action universe and automaton caches stay warm).
// 'cpu' is the median process CPU time per call (wall time is noisy on a shared machine).
// Goal (issue 7): under 50 ms per check, every one decided (no UNKNOWN).
// Usage: node bench/reason.js [--quick]   (also run by `npm run bench`)
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { checkNoNewAccess, checkAccessNotGranted, checkNoPublicAccess } from '../dist/src/reason/index.js';
import { generateExecutionRole, readExecutionRoleSpec } from '../dist/src/generate/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const policy = (name) => readFileSync(join(root, 'examples', 'policies', name), 'utf8');

function scenarios() {
  const mlspace = policy('mlspace-notebook-policy.json');
  const widened = JSON.parse(mlspace);
  widened.Statement[2].Resource = 'arn:aws:sagemaker:us-east-1:*:*';
  const spec = readExecutionRoleSpec(readFileSync(join(root, 'examples', 'generate', 'training-job.yaml'), 'utf8')).spec;
  const generated = JSON.stringify(generateExecutionRole(spec).permissions);
  const broad = policy('training-job-broad.json');
  const id = 'IDENTITY_POLICY';
  return [
    ['no-new-access: MLSpace policy vs itself', () => checkNoNewAccess({ existingPolicyDocument: mlspace, newPolicyDocument: mlspace, policyType: id })],
    [
      'no-new-access: MLSpace, statement 3 widened',
      () => checkNoNewAccess({ existingPolicyDocument: mlspace, newPolicyDocument: JSON.stringify(widened), policyType: id }),
    ],
    ['no-new-access: seed 003 role vs generated', () => checkNoNewAccess({ existingPolicyDocument: generated, newPolicyDocument: broad, policyType: id })],
    ['no-new-access: generated vs seed 003 role', () => checkNoNewAccess({ existingPolicyDocument: broad, newPolicyDocument: generated, policyType: id })],
    [
      'access-not-granted: MLSpace, iam:PassRole',
      () => checkAccessNotGranted({ policyDocument: mlspace, access: [{ actions: ['iam:PassRole'] }], policyType: id }),
    ],
    [
      'no-public-access: seed KMS key policy',
      () => checkNoPublicAccess({ policyDocument: policy('kms-key-policy-default.json'), resourceType: 'AWS::KMS::Key' }),
    ],
  ];
}

export async function benchReason({ quick = false } = {}) {
  const runs = quick ? 5 : 21;
  console.log("\nReasoning: Access Analyzer-style checks on the seeds' policies (goal: < 50 ms, all decided)\n");
  console.log(`${'check'.padEnd(46)} ${'result'.padEnd(8)} ${'first'.padStart(9)} ${'median'.padStart(9)} ${'cpu'.padStart(9)}`);
  for (const [name, fn] of scenarios()) {
    let t = performance.now();
    const first = await fn();
    const firstMs = performance.now() - t;
    const times = [];
    const cpu = [];
    for (let i = 0; i < runs; i++) {
      const c = process.cpuUsage();
      t = performance.now();
      await fn();
      times.push(performance.now() - t);
      const d = process.cpuUsage(c);
      cpu.push((d.user + d.system) / 1000);
    }
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `${name.padEnd(46)} ${first.result.padEnd(8)} ${`${firstMs.toFixed(0)} ms`.padStart(9)} ${`${median(times).toFixed(1)} ms`.padStart(9)} ${`${median(cpu).toFixed(1)} ms`.padStart(9)}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchReason({ quick: process.argv.includes('--quick') });
