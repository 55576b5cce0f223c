// iamsim diff on a 200-resource Terraform plan (bench only): 50 roles, each with an inline role policy, a managed
// policy attachment and a bucket policy; the change widens every tenth role's policy. Prints the wall time of the
// library call and of the command (which includes start-up), first and median of later runs.
// Usage: node bench/iac.js [--quick]   (also run by `npm run bench`)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

export async function benchIac({ quick = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-bench-iac-'));
  const file = join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(plan200()));
  const runs = quick ? 3 : 7;
  console.log('\niamsim diff: a 200-resource Terraform plan (50 roles, 5 widened)\n');
  const lib = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    report = await diffFiles({ after: file });
    lib.push(performance.now() - t);
  }
  const failing = report.principals.filter((p) => p.newAccess.result === 'FAIL').length;
  console.log(
    `library diffFiles      first ${lib[0].toFixed(0).padStart(6)} ms   median ${median(lib.slice(1)).toFixed(0).padStart(6)} ms   (${report.result}, ${failing} roles with new access)`,
  );
  const cli = [];
  for (let i = 0; i < Math.min(runs, 3); i++) {
    const t = performance.now();
    try {
      execFileSync(process.execPath, [join(root, 'bin', 'iamsim.js'), 'diff', file, '--format', 'json'], { stdio: 'ignore' });
    } catch (e) {
      if (e.status !== 1) throw e;
    }
    cli.push(performance.now() - t);
  }
  console.log(`command iamsim diff    first ${cli[0].toFixed(0).padStart(6)} ms   median ${median(cli).toFixed(0).padStart(6)} ms`);
  if (failing !== 5) {
    console.error(`expected 5 roles with new access, found ${failing}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIac({ quick: process.argv.includes('--quick') });
