/**
 * The AWS CLI itself against a started server: Debian's awscli v2 (/usr/bin/aws)
 * for IAM, the PyPI awscli v1 (`aws` on PATH) for Access Analyzer. Their output
 * must equal iamsim's own commands' output for the same flags. The CLIs run with
 * temporary config and credentials files, so nothing on the machine leaks in.
 * In CI (CI=true) a missing CLI fails the test; elsewhere it is skipped with a message.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AWS_V2, awsCliEnv, cliAvailable } from './aws-cli-support.test.js';
import { startTestServer, type Started } from './test-support.test.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/iamsim.js', import.meta.url));

let s: Started;
let env: NodeJS.ProcessEnv;
let awsV1: string | undefined;

async function findV1(): Promise<string | undefined> {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const p = join(dir, 'aws');
    if (p === AWS_V2 || !existsSync(p)) continue;
    try {
      const { stdout, stderr } = await run(p, ['--version'], { env });
      if (/aws-cli\/1\./.test(stdout + stderr)) return p;
    } catch {
      // not a working aws
    }
  }
  return undefined;
}

before(async () => {
  s = await startTestServer();
  env = awsCliEnv('iamsim-awscli-', { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
  awsV1 = await findV1();
});
after(() => s.stop());

const available = cliAvailable;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(cmd: string, args: readonly string[]): Promise<Ran> {
  try {
    const r = await run(cmd, [...args], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

const iamsim = (args: readonly string[]): Promise<Ran> => exec(process.execPath, [BIN, ...args]);

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PassToSageMaker',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: 'arn:aws:iam::*:role/*',
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
  ],
});

const SIMULATIONS: readonly (readonly string[])[] = [
  [
    '--policy-input-list',
    POLICY,
    '--action-names',
    'iam:PassRole',
    '--resource-arns',
    'arn:aws:iam::123456789012:role/Job',
    '--context-entries',
    'ContextKeyName=iam:PassedToService,ContextKeyValues=sagemaker.amazonaws.com,ContextKeyType=string',
  ],
  ['--policy-input-list', POLICY, '--action-names', 'iam:PassRole', 's3:DeleteObject', 's3:GetObject'],
  ['--policy-input-list', POLICY, '--action-names', 'iam:PassRole', '--resource-arns', 'arn:aws:iam::123456789012:role/A', 'arn:aws:iam::123456789012:role/B'],
];

test('aws iam simulate-custom-policy (awscli v2) prints exactly what iamsim simulate-custom-policy prints', async (t) => {
  if (!available(t, AWS_V2, 'Debian awscli v2 (/usr/bin/aws)')) return;
  for (const flags of SIMULATIONS) {
    const viaServer = await exec(AWS_V2, ['iam', 'simulate-custom-policy', '--endpoint-url', s.url, ...flags]);
    const local = await iamsim(['simulate-custom-policy', ...flags]);
    assert.equal(viaServer.code, 0, viaServer.stderr);
    assert.equal(local.code, 0, local.stderr);
    assert.equal(viaServer.stdout, local.stdout, flags.join(' '));
  }
});

test('a malformed policy is MalformedPolicyDocument, AWS CLI exit 254', async (t) => {
  if (!available(t, AWS_V2, 'Debian awscli v2 (/usr/bin/aws)')) return;
  const r = await exec(AWS_V2, [
    'iam',
    'simulate-custom-policy',
    '--endpoint-url',
    s.url,
    '--policy-input-list',
    '{"Version":"2012-10-17","Statement":[',
    '--action-names',
    's3:GetObject',
  ]);
  assert.equal(r.code, 254);
  assert.match(r.stderr, /\(MalformedPolicyDocument\) when calling the SimulateCustomPolicy operation/);
  const missing = await exec(AWS_V2, ['iam', 'get-role', '--endpoint-url', s.url, '--role-name', 'Nobody']);
  assert.equal(missing.code, 254);
  assert.match(missing.stderr, /\(NoSuchEntity\) when calling the GetRole operation: The role with name Nobody cannot be found\./);
});

test('awscli v2 follows IAM pagination and decodes policy documents; writes round-trip', async (t) => {
  if (!available(t, AWS_V2, 'Debian awscli v2 (/usr/bin/aws)')) return;
  const paged = await exec(AWS_V2, ['iam', 'list-roles', '--endpoint-url', s.url, '--page-size', '1']);
  const whole = await exec(AWS_V2, ['iam', 'list-roles', '--endpoint-url', s.url]);
  assert.equal(paged.code, 0, paged.stderr);
  assert.equal(paged.stdout, whole.stdout);
  const roles = JSON.parse(whole.stdout) as { Roles: { AssumeRolePolicyDocument: { Version: string } }[] };
  assert.ok(roles.Roles.length >= 2);
  assert.equal(roles.Roles[0]!.AssumeRolePolicyDocument.Version, '2012-10-17');
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const created = await exec(AWS_V2, ['iam', 'create-role', '--endpoint-url', s.url, '--role-name', 'CliRole', '--assume-role-policy-document', trust]);
  assert.equal(created.code, 0, created.stderr);
  const got = JSON.parse((await exec(AWS_V2, ['iam', 'get-role', '--endpoint-url', s.url, '--role-name', 'CliRole'])).stdout) as {
    Role: { Arn: string; AssumeRolePolicyDocument: unknown };
  };
  assert.equal(got.Role.Arn, 'arn:aws:iam::111122223333:role/CliRole');
  assert.deepEqual(got.Role.AssumeRolePolicyDocument, JSON.parse(trust));
  const again = await exec(AWS_V2, ['iam', 'create-role', '--endpoint-url', s.url, '--role-name', 'CliRole', '--assume-role-policy-document', trust]);
  assert.equal(again.code, 254);
  assert.match(again.stderr, /EntityAlreadyExists/);
});

test('aws accessanalyzer validate-policy (awscli v1) prints exactly what iamsim validate-policy prints', async (t) => {
  if (!available(t, awsV1, 'PyPI awscli v1 (aws on PATH)')) return;
  const docs = [
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] }, null, 2),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:GetObjekt'],
          Resource: 'arn:aws:s3:::b/*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ml' } },
        },
      ],
    }),
  ];
  for (const doc of docs) {
    const flags = ['--policy-document', doc, '--policy-type', 'IDENTITY_POLICY'];
    const viaServer = await exec(awsV1!, ['accessanalyzer', 'validate-policy', '--endpoint-url', s.url, ...flags]);
    const local = await iamsim(['validate-policy', ...flags]);
    assert.equal(viaServer.code, 0, viaServer.stderr);
    assert.equal(viaServer.stdout, local.stdout);
    assert.ok((JSON.parse(local.stdout) as { findings: unknown[] }).findings.length > 0);
  }
  const bad = await exec(awsV1!, [
    'accessanalyzer',
    'validate-policy',
    '--endpoint-url',
    s.url,
    '--policy-document',
    '{}',
    '--policy-type',
    'RESOURCE_POLICY',
    '--validate-policy-resource-type',
    'AWS::S3::Nothing',
  ]);
  assert.notEqual(bad.code, 0);
});

test('aws accessanalyzer check-no-new-access / check-no-public-access (awscli v1) get the answers iamsim check-* gives', async (t) => {
  if (!available(t, awsV1, 'PyPI awscli v1 (aws on PATH)')) return;
  const narrow = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }] });
  const wide = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Wide', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::data/*' }] });
  const bucket = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }],
  });
  const cases: [string, string[]][] = [
    ['check-no-new-access', ['--existing-policy-document', narrow, '--new-policy-document', wide, '--policy-type', 'IDENTITY_POLICY']],
    ['check-no-new-access', ['--existing-policy-document', wide, '--new-policy-document', narrow, '--policy-type', 'IDENTITY_POLICY']],
    ['check-no-public-access', ['--policy-document', bucket, '--resource-type', 'AWS::S3::Bucket']],
  ];
  for (const [cmd, flags] of cases) {
    const viaServer = await exec(awsV1!, ['accessanalyzer', cmd, '--endpoint-url', s.url, ...flags]);
    assert.equal(viaServer.code, 0, viaServer.stderr);
    const local = await iamsim([cmd, ...flags]);
    // iamsim's extensions (a counterexample and its classes) are not in Access Analyzer's response shape.
    const { counterexample: _c, counterexampleClasses: _k, ...aws } = JSON.parse(local.stdout) as Record<string, unknown>;
    assert.deepEqual(JSON.parse(viaServer.stdout), aws, `${cmd} ${flags.join(' ')}`);
  }
});
