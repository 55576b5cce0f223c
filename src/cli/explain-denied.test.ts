import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../test/support/cli.js';
import { explainDeniedCommand } from './explain-denied.js';
import { main } from './main.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIX = join(ROOT, 'test/fixtures/explain/');
const IAM = join(FIX, 'iam.yaml');
const FULL = [IAM, join(FIX, 'org-and-resources.yaml')];
const SESSION = 'arn:aws:sts::111122223333:assumed-role/NotebookJobRole/SageMaker';
const ECR = `User: ${SESSION} is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:111122223333:repository/notebook-runtime because no identity-based policy allows the ecr:BatchGetImage action`;
const SCP = `User: ${SESSION} is not authorized to perform: sagemaker:CreateTrainingJob on resource: arn:aws:sagemaker:eu-west-1:111122223333:training-job/x with an explicit deny in a service control policy`;

test('explain-denied --help, and it is listed in iamsim --help', async () => {
  const r = await runCommand(explainDeniedCommand, ['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /--cloudtrail FILE/);
  const top = await runCommand(main, ['--help']);
  assert.match(top.out, /explain-denied/);
});

test('text: the cause, the near miss, the verified fix with its command; exit 0', async () => {
  const r = await runCommand(explainDeniedCommand, ['--account', IAM, '--message', ECR]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /agrees +iamsim agrees: no Allow in the identity-based policy/);
  assert.match(r.out, /near miss +Allow statement "EcrPull" of JobPolicy .*its Resource does not match the request/);
  assert.match(r.out, /fix +verified/);
  assert.match(r.out, /\$ aws iam put-role-policy --role-name NotebookJobRole --policy-name JobPolicy --policy-document file:\/\//);
});

test('json: the documented shape; several messages from standard input give an array', async () => {
  const one = await runCommand(explainDeniedCommand, ['--account', ...FULL, '--format', 'json', '--message', SCP]);
  assert.equal(one.code, 0, one.err);
  const j = JSON.parse(one.out) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(j.request ?? {}).sort(), ['action', 'context', 'principal', 'resource']);
  assert.deepEqual(j.aws, { layer: 'scp', kind: 'explicit', form: 'typed' });
  assert.equal(j.iamsim?.decision, 'explicitDeny');
  assert.equal(j.iamsim?.layer, 'scp');
  assert.equal((j as Record<string, unknown>).agrees, true);
  assert.match(String(j.fix?.owner), /organization's administrators \(management account 999988887777\)/);
  const many = await runCommand(explainDeniedCommand, ['-', '--account', ...FULL, '--format', 'json'], `${ECR}\n${SCP}\n`);
  assert.equal(many.code, 0, many.err);
  assert.equal((JSON.parse(many.out) as unknown[]).length, 2);
});

test('the model lacks the layer AWS blames: exit 1 and what to import', async () => {
  const r = await runCommand(explainDeniedCommand, ['--account', IAM, '--message', SCP]);
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    /DISAGREES +AWS reports an explicit deny in the service control policy, but the model allows the request: AWS blames a service control policy; no SCP is loaded: import `aws organizations/,
  );
});

test('bad input: a line that is no message names --message:LINE:COLUMN, the other lines are explained; exit 2', async () => {
  const r = await runCommand(explainDeniedCommand, ['--account', IAM, '--message', `${ECR}\n  hello`]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^--message:2:3: error EXPLAIN_INPUT: not an AccessDenied message/m);
  assert.match(r.out, /ecr:BatchGetImage/);
  for (const argv of [
    ['--account', IAM],
    ['--account', IAM, '--message', ECR, '-'],
    ['--account', IAM, '--message', ECR, '--context', 'nokey'],
  ]) {
    const u = await runCommand(explainDeniedCommand, argv);
    assert.equal(u.code, 2, argv.join(' '));
    assert.doesNotMatch(u.err, /\bat .*\.js:\d+/);
  }
  const missing = await runCommand(explainDeniedCommand, ['--account', IAM, '--cloudtrail', join(FIX, 'no-such-file.json')]);
  assert.equal(missing.code, 2);
});

test('--cloudtrail: records explained with the context they show', async () => {
  const r = await runCommand(explainDeniedCommand, ['--account', ...FULL, '--format', 'json', '--cloudtrail', join(FIX, 'cloudtrail-denied.json')]);
  assert.equal(r.code, 0, r.err);
  const list = JSON.parse(r.out) as { request: { action: string } }[];
  assert.deepEqual(
    list.map((e) => e.request.action),
    ['iam:PassRole', 's3:GetObject', 'ec2:RunInstances'],
  );
});

test('--cloudtrail reads a .gz log file as CloudTrail delivers it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-explain-gz-'));
  try {
    const gz = join(dir, 'trail.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(FIX, 'cloudtrail-denied.json'))));
    const r = await runCommand(explainDeniedCommand, ['--account', ...FULL, '--format', 'json', '--cloudtrail', gz]);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as unknown[]).length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--fix-out writes the patch, the corrected account file and apply.sh; with the fix the request is allowed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-explain-'));
  try {
    const r = await runCommand(explainDeniedCommand, ['--account', IAM, '--message', ECR, '--fix-out', dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(join(dir, 'apply.sh'), 'utf8'), /aws iam put-role-policy --role-name NotebookJobRole/);
    const fixed = join(dir, 'accounts', 'iam.yaml');
    assert.ok(existsSync(fixed));
    const after = await runCommand(main, [
      'simulate-principal-policy',
      '--account',
      fixed,
      '--policy-source-arn',
      'arn:aws:iam::111122223333:role/service-role/NotebookJobRole',
      '--action-names',
      'ecr:BatchGetImage',
      '--resource-arns',
      'arn:aws:ecr:us-east-1:111122223333:repository/notebook-runtime',
      '--output',
      'text',
    ]);
    assert.match(after.out, /: ALLOWED/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The README's "Explain an AccessDenied" commands, run as written (npx iamsim → the built bin). */
test('README: the notebook-job AccessDenied explained, its fix applied, the request then allowed', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Explain an AccessDenied'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const commands = block.split('\n').filter((l) => l.trim() !== '');
  assert.equal(commands.length, 3);
  // The README's output folder, made unique: other checkouts on the machine may run this test at the same time.
  const dir = mkdtempSync(join(tmpdir(), 'iamsim-explain-readme-'));
  const outputs = commands.map((c) => {
    assert.ok(c.includes('/tmp/iamsim-explain-fix') || c.startsWith('npx iamsim explain-denied'), c);
    const cmd = c.replace(/^npx iamsim /, `node ${join(ROOT, 'bin/iamsim.js')} `).replaceAll('/tmp/iamsim-explain-fix', dir);
    const run = spawnSync('sh', ['-c', cmd], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, `${c}\n${run.stderr}`);
    return run.stdout;
  });
  assert.match(outputs[0] ?? '', /agrees +iamsim agrees: no Allow in the resource-based policy/);
  assert.match(outputs[0] ?? '', /scope of .*: PASS/);
  assert.match(outputs[1] ?? '', /aws kms put-key-policy --key-id arn:aws:kms:us-east-1:111122223333:key\/1234abcd-12ab-34cd-56ef-1234567890ab/);
  assert.match(outputs[2] ?? '', /kms:Decrypt on arn:aws:kms:us-east-1:111122223333:key\/1234abcd-12ab-34cd-56ef-1234567890ab: ALLOWED/);
  // Before the fix, the same request is denied.
  const before = execFileSync(
    'node',
    [
      join(ROOT, 'bin/iamsim.js'),
      'simulate-principal-policy',
      '--account',
      join(ROOT, 'examples/accounts/notebook-job/broken/kms-key-policy-excludes-role.yaml'),
      '--policy-source-arn',
      'arn:aws:iam::111122223333:role/service-role/NotebookJobExecutionRole',
      '--action-names',
      'kms:Decrypt',
      '--resource-arns',
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      '--output',
      'text',
    ],
    { encoding: 'utf8' },
  );
  assert.match(before, /IMPLICITDENY|implicitDeny|DENIED/i);
  rmSync(dir, { recursive: true, force: true });
});

test("what a report leaves out is given by this command's flags: the library says what, the CLI says how", async () => {
  const s3 = `User: ${SESSION} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::ml-data-111122223333/output/a.ipynb" because no identity-based policy allows the s3:PutObject action`;
  const r = await runCommand(explainDeniedCommand, ['--account', ...FULL.flatMap((f) => ['--account', f]).slice(1), '--message', s3]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.out, /give +--region REGION/);
  const bare = await runCommand(explainDeniedCommand, [
    '--account',
    IAM,
    '--message',
    'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
  ]);
  assert.equal(bare.code, 2);
  assert.match(bare.err, /does not name the principal, action, resource of the request: give --principal ARN, --action ACTION, --resource ARN/);
});
