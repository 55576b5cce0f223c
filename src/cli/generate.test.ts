import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { UsageError } from './args.js';
import { generateCommand } from './generate.js';
import { fakeIo } from '../../test/support/cli.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/generate/', import.meta.url));

const tmp = (): string => mkdtempSync(join(tmpdir(), 'iamsim-generate-'));

test('execution-role prints the golden JSON', async () => {
  const f = fakeIo();
  assert.equal(await generateCommand(['execution-role', '--spec', `${EXAMPLES}training-job.yaml`], f.io), 0);
  assert.equal(f.out(), readFileSync(`${EXAMPLES}expected/training-job.json`, 'utf8'));
  assert.equal(f.err(), '');
});

test('execution-role --out writes the three policies', async () => {
  const dir = tmp();
  const f = fakeIo();
  assert.equal(await generateCommand(['execution-role', '--spec', `${EXAMPLES}hpo-vpc-kms.yaml`, '--out', dir], f.io), 0);
  assert.deepEqual(readdirSync(dir).sort(), ['tuning-role.caller.json', 'tuning-role.permissions.json', 'tuning-role.trust.json']);
  const golden = JSON.parse(readFileSync(`${EXAMPLES}expected/hpo-vpc-kms.json`, 'utf8')) as { TrustPolicy: unknown };
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'tuning-role.trust.json'), 'utf8')), golden.TrustPolicy);
});

test('execution-role --format text titles each policy', async () => {
  const f = fakeIo();
  assert.equal(await generateCommand(['execution-role', `${EXAMPLES}model.json`, '--format', 'text'], f.io), 0);
  assert.match(f.out(), /^# Permission policy of arn:aws:iam::111122223333:role\/churn-model-role\n\{/);
  assert.match(f.out(), /# Trust policy of /);
  assert.match(f.out(), /# Policy for the caller of CreateModel/);
});

test('a bad spec: exit 2, file:line:column diagnostics on stderr', async () => {
  const path = join(tmp(), 'bad.yaml');
  writeFileSync(path, 'roleName: r\naccount: "111122223333"\nregion: us-east-1\napis:\n  - CreateTraningJob\n');
  const f = fakeIo();
  assert.equal(await generateCommand(['execution-role', '--spec', path], f.io), 2);
  assert.match(f.err(), /bad\.yaml:5:5: error SPEC_INVALID: unsupported API "CreateTraningJob"/);
  assert.equal(f.out(), '');
});

test('mlspace-notebook from --set', async () => {
  const f = fakeIo();
  const code = await generateCommand(
    [
      'mlspace-notebook',
      '--set',
      'region=us-west-2',
      '--set',
      'account=111122223333',
      '--set',
      'subnets=subnet-0f9f0555e69d3d687,subnet-06cbb3ec6591a31ad',
      '--set',
      'securityGroups=sg-0c001c111cbcdcdf6',
      '--set',
      'bedrock=false',
    ],
    f.io,
  );
  assert.equal(code, 0, f.err());
  const out = JSON.parse(f.out()) as { NotebookPolicies: { Statement: unknown[] }[] };
  assert.ok(out.NotebookPolicies.length >= 1);
  for (const doc of out.NotebookPolicies) assert.ok(JSON.stringify(doc).length <= 6144);
  assert.match(f.out(), /arn:aws:sagemaker:us-west-2:111122223333:training-job\/\*/);
  assert.doesNotMatch(f.out(), /bedrock:/);
});

test('mlspace-notebook --params matches the golden output; missing parameters fail', async () => {
  const f = fakeIo();
  assert.equal(await generateCommand(['mlspace-notebook', '--params', `${EXAMPLES}mlspace-params.yaml`], f.io), 0);
  assert.equal(f.out(), readFileSync(`${EXAMPLES}expected/mlspace-notebook.json`, 'utf8'));
  const g = fakeIo();
  assert.equal(await generateCommand(['mlspace-notebook', '--set', 'region=us-east-1'], g.io), 2);
  assert.match(g.err(), /--set:1:1: error SPEC_INVALID: missing required parameter "account"/);
});

test('from-cloudtrail: log file, gzip and stdin give the same policy', async () => {
  const file = `${EXAMPLES}cloudtrail/training-pipeline.json`;
  const args = ['--principal', 'arn:aws:iam::111122223333:role/ml-pipeline'];
  const a = fakeIo();
  assert.equal(await generateCommand(['from-cloudtrail', file, ...args], a.io), 0);
  assert.equal(a.out(), readFileSync(`${EXAMPLES}expected/cloudtrail-training-pipeline.wildcard.json`, 'utf8'));
  assert.match(a.err(), /16 events read, 11 used, 1 skipped, 1 unmapped, 1 denied, 2 by other principals/);
  assert.match(a.err(), /warning CLOUDTRAIL_UNKNOWN_EVENT: no action sagemaker:DescribeTrainingJobV3/);
  const gz = join(tmp(), 'trail.json.gz');
  writeFileSync(gz, gzipSync(readFileSync(file)));
  const b = fakeIo();
  assert.equal(await generateCommand(['from-cloudtrail', gz, ...args], b.io), 0);
  assert.equal(b.out(), a.out());
  const c = fakeIo(readFileSync(file, 'utf8'));
  assert.equal(await generateCommand(['from-cloudtrail', '-', ...args], c.io), 0);
  assert.equal(c.out(), a.out());
});

test('from-cloudtrail --progress draws a bar on stderr; --out writes the file', async () => {
  const out = join(tmp(), 'policy.json');
  const f = fakeIo();
  assert.equal(
    await generateCommand(['from-cloudtrail', `${EXAMPLES}cloudtrail/notebook-activity.jsonl`, '--resources', 'exact', '--progress', '--out', out], f.io),
    0,
  );
  assert.match(f.err(), /\[#{30}\] 100% 6 events/);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(`${EXAMPLES}expected/cloudtrail-notebook-activity.exact.json`, 'utf8'));
});

test('usage errors', async () => {
  await assert.rejects(generateCommand(['from-cloudtrail', 'x.json', '--resources', 'fuzzy'], fakeIo().io), UsageError);
  await assert.rejects(generateCommand(['from-cloudtrail'], fakeIo().io), UsageError);
  await assert.rejects(generateCommand(['nonsense'], fakeIo().io), UsageError);
  await assert.rejects(generateCommand(['execution-role', '--spec', 'x', '--bogus', '1'], fakeIo().io), UsageError);
  const help = fakeIo();
  assert.equal(await generateCommand(['--help'], help.io), 0);
  assert.match(help.out(), /execution-role --spec FILE/);
});

const TRAIL_FIXTURES = fileURLToPath(new URL('../../../test/fixtures/cloudtrail/', import.meta.url));

test('from-cloudtrail: an AssumeRole with session tags (IAM User Guide example) gives sts:AssumeRole + TagSession on the role, no PassRole', async () => {
  const f = fakeIo();
  assert.equal(await generateCommand(['from-cloudtrail', `${TRAIL_FIXTURES}sts-role-chaining-session-tags.json`], f.io), 0);
  const policy = JSON.parse(f.out()) as { Statement: { Action: string[]; Resource: string }[] };
  assert.deepEqual(policy.Statement, [
    { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'], Resource: 'arn:aws:iam::111111111111:role/JohnRole2' },
  ]);
});

test('from-cloudtrail: lookup-events output of a sign-in only: the sign-in is skipped with a note, nothing to generate (exit 2)', async () => {
  const f = fakeIo();
  assert.equal(await generateCommand(['from-cloudtrail', `${TRAIL_FIXTURES}lookup-events-console-login.json`], f.io), 2);
  assert.match(f.err(), /CLOUDTRAIL_SIGN_IN_SKIPPED/);
  assert.doesNotMatch(f.err(), /CLOUDTRAIL_UNKNOWN_EVENT/);
  assert.match(f.err(), /1 events read, 0 used, 1 skipped, 0 unmapped/);
});
