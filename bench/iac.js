// iamsim diff on a 200-resource Terraform plan (bench only): 50 roles, each with an inline role policy, a managed
// policy attachment and a bucket policy; the change widens every tenth role's policy. Prints the wall time of the
// library call and of the command (which includes start-up), first and median of later runs.
// Usage: node bench/iac.js [--quick]   (also run by `npm run bench`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { diffFiles } from '../dist/src/iac/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const doc = (...Statement) => JSON.stringify({ Version: '2012-10-17', Statement });
const trust = doc({ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' });

function change(address, type, before, after) {
  return { address, mode: 'managed', type, name: address.split('.')[1], change: { actions: ['update'], before, after, after_unknown: {} } };
}

export function plan200() {
  const rc = [];
  for (let i = 0; i < 50; i++) {
    const name = `Team${i}Role`;
    const role = {
      name,
      path: '/',
      assume_role_policy: trust,
      arn: `arn:aws:iam::111122223333:role/${name}`,
      inline_policy: [],
      managed_policy_arns: [],
      tags: {},
    };
    const read = doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::team-${i}`, `arn:aws:s3:::team-${i}/*`] });
    const wide = doc({ Effect: 'Allow', Action: 's3:*', Resource: [`arn:aws:s3:::team-${i}`, `arn:aws:s3:::team-${i}/*`] });
    const bucket = doc({ Effect: 'Allow', Principal: { AWS: role.arn }, Action: 's3:GetObject', Resource: `arn:aws:s3:::team-${i}/*` });
    rc.push(change(`aws_iam_role.r${i}`, 'aws_iam_role', role, role));
    rc.push(
      change(
        `aws_iam_role_policy.p${i}`,
        'aws_iam_role_policy',
        { role: name, name: 'data', policy: read },
        { role: name, name: 'data', policy: i % 10 === 0 ? wide : read },
      ),
    );
    const att = { role: name, policy_arn: 'arn:aws:iam::aws:policy/AmazonSageMakerReadOnly' };
    rc.push(change(`aws_iam_role_policy_attachment.a${i}`, 'aws_iam_role_policy_attachment', att, att));
    rc.push(change(`aws_s3_bucket_policy.b${i}`, 'aws_s3_bucket_policy', { bucket: `team-${i}`, policy: bucket }, { bucket: `team-${i}`, policy: bucket }));
  }
  return { format_version: '1.2', terraform_version: '1.9.0', resource_changes: rc, configuration: { root_module: { resources: [] } } };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall and CPU (user + system) time of one command run, in ms; CPU from /usr/bin/time when the machine has it. */
function timeCommand(args) {
  const t = performance.now();
  const timed = existsSync('/usr/bin/time');
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', 'iamsim-cpu %U %S', process.execPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
    : spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = performance.now() - t;
  const exit = timed ? Number(/exit(?:ed with non-zero)? status (\d+)/.exec(r.stderr ?? '')?.[1] ?? 0) : r.status;
  if (exit !== 0 && exit !== 1) throw new Error(`iamsim ${args.slice(1).join(' ')}: exit ${exit}: ${r.stderr}`);
  const m = /iamsim-cpu ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : Number.NaN };
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

export async function benchIac({ quick = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-bench-iac-'));
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(plan200()));
  const runs = quick ? 3 : 7;
  console.log(`\niamsim diff: a 200-resource Terraform plan (50 roles, 5 widened)   load average ${load()}\n`);
  const lib = [];
  const libCpu = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    report = await diffFiles({ after: file });
    lib.push(performance.now() - t);
    const d = process.cpuUsage(c);
    libCpu.push((d.user + d.system) / 1000);
  }
  const failing = report.principals.filter((p) => p.newAccess.result === 'FAIL').length;
  const row = (label, wall, cpu) =>
    console.log(
      `${label.padEnd(28)} wall first ${wall[0].toFixed(0).padStart(6)} ms, median ${median(wall.slice(wall.length > 1 ? 1 : 0))
        .toFixed(0)
        .padStart(6)} ms   CPU first ${cpu[0].toFixed(0).padStart(6)} ms, median ${median(cpu.slice(cpu.length > 1 ? 1 : 0))
        .toFixed(0)
        .padStart(6)} ms`,
    );
  row(`library diffFiles (${report.result}, ${failing})`, lib, libCpu);
  for (const [label, extra] of [
    ['command iamsim diff', []],
    ['command, --no-audit', ['--no-audit']],
  ]) {
    const t = [];
    for (let i = 0; i < Math.min(runs, 3); i++) t.push(timeCommand([join(root, 'bin', 'iamsim.js'), 'diff', file, '--format', 'json', ...extra]));
    row(
      label,
      t.map((x) => x.wall),
      t.map((x) => x.cpu),
    );
  }
  const bare = [];
  for (let i = 0; i < 3; i++) bare.push(timeCommand(['-e', '0']));
  row(
    'node -e 0 (start-up floor)',
    bare.map((x) => x.wall),
    bare.map((x) => x.cpu),
  );
  console.log(`load average after: ${load()}`);
  if (failing !== 5) {
    console.error(`expected 5 roles with new access, found ${failing}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIac({ quick: process.argv.includes('--quick') });
