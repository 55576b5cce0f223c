/** `iamsim lint`: formats, exit codes, --fail-on, suppressions, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintCommand } from './lint.js';
import { runCommand } from '../../test/support/cli.js';
const run = (argv: readonly string[], stdin = ''): ReturnType<typeof runCommand> => runCommand(lintCommand, argv, stdin);

const dir = mkdtempSync(join(tmpdir(), 'iamsim-lint-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const passRole = file(
  'passrole.json',
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] }, null, 2),
);
const clean = file(
  'clean.json',
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }, null, 2),
);
const commented = file(
  'doc.jsonc',
  '{\n  "Version": "2012-10-17",\n  // read\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}\n',
);
const trust = file(
  'trust.json',
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
);

test('text output: file:line:col: TYPE CODE message; exit 0 below --fail-on', async () => {
  const r = await run([passRole]);
  assert.equal(r.code, 0);
  assert.equal(r.out, `${passRole}:7:19: SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE ${r.out.split('PASS_ROLE_WITH_STAR_IN_RESOURCE ')[1] ?? ''}`);
  assert.match(r.err, /1 finding: 1 SECURITY_WARNING/);
});

test('--fail-on sets the threshold', async () => {
  assert.equal((await run([passRole, '--fail-on', 'SECURITY_WARNING'])).code, 1);
  assert.equal((await run([passRole, '--fail-on', 'WARNING'])).code, 1);
  assert.equal((await run([passRole, '--fail-on', 'ERROR'])).code, 0);
  assert.equal((await run([clean, '--fail-on', 'SUGGESTION'])).code, 0);
});

test('documentation-style JSON: ERROR without --lenient, SUGGESTION with it', async () => {
  const strict = await run([commented]);
  assert.equal(strict.code, 1);
  assert.match(strict.out, /:3:3: ERROR JSON_SYNTAX_ERROR /);
  const lenient = await run(['--lenient', commented]);
  assert.equal(lenient.code, 0);
  assert.match(lenient.out, /:3:3: SUGGESTION DOCUMENTATION_STYLE_JSON /);
});

test('--policy-type changes the rules; without it the type is read from the document and said', async () => {
  assert.match((await run(['--policy-type', 'identity', trust])).out, /UNSUPPORTED_PRINCIPAL/);
  assert.equal((await run(['--policy-type', 'trust', trust])).out, '');
  const inferred = await run([trust]);
  assert.equal(inferred.out, '');
  assert.match(inferred.err, /trust\.json: linted as a role trust policy \(every statement names a Principal and only role-assumption actions/);
  assert.doesNotMatch((await run(['--policy-type', 'trust', trust])).err, /linted as/);
  const json = JSON.parse((await run(['--format', 'json', trust, clean])).out) as { policyTypes: Record<string, { type: string; assumed: boolean }> };
  assert.deepEqual(json.policyTypes[trust], {
    type: 'trust',
    assumed: true,
    reason: 'every statement names a Principal and only role-assumption actions, no Resource',
  });
  assert.equal(json.policyTypes[clean]?.type, 'identity');
});

test('json output', async () => {
  const r = await run(['--format', 'json', passRole, clean]);
  const body = JSON.parse(r.out) as { findings: { issueCode: string; file: string; learnMoreLink: string }[]; summary: Record<string, number> };
  assert.equal(body.findings.length, 1);
  assert.equal(body.findings[0]?.file, passRole);
  assert.equal(body.findings[0]?.learnMoreLink, 'docs/lint/PASS_ROLE_WITH_STAR_IN_RESOURCE.md');
  assert.equal(body.summary.SECURITY_WARNING, 1);
});

test('sarif output', async () => {
  const r = await run(['--format=sarif', passRole]);
  const log = JSON.parse(r.out) as { version: string; runs: { results: { ruleId: string }[] }[] };
  assert.equal(log.version, '2.1.0');
  assert.deepEqual(
    log.runs[0]?.results.map((x) => x.ruleId),
    ['PASS_ROLE_WITH_STAR_IN_RESOURCE'],
  );
});

test('suppressions from --config', async () => {
  const config = file(
    'lint-config.json',
    JSON.stringify({ suppress: [{ issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', file: 'passrole.json', path: 'Statement[0]' }] }),
  );
  const r = await run(['--config', config, '--fail-on', 'SUGGESTION', passRole]);
  assert.equal(r.out, '');
  assert.equal(r.code, 0);
  const other = file('lint-config2.json', JSON.stringify({ suppress: [{ issueCode: 'PASS_ROLE_WITH_STAR_IN_RESOURCE', path: 'Statement[1]' }] }));
  assert.match((await run(['--config', other, passRole])).out, /PASS_ROLE_WITH_STAR_IN_RESOURCE/);
});

test('standard input', async () => {
  const r = await run(['-'], '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObjekt","Resource":"*"}}');
  // IAM accepts an unknown action (the entry grants nothing): a WARNING, below the default --fail-on ERROR.
  assert.equal(r.code, 0);
  assert.match(r.out, /^<stdin>:1:64: WARNING INVALID_ACTION /);
  assert.equal(
    (await run(['-', '--fail-on', 'WARNING'], '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObjekt","Resource":"*"}}')).code,
    1,
  );
  // What IAM rejects stays an ERROR: an action without a service prefix.
  const rejected = await run(['-'], '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}');
  assert.equal(rejected.code, 1);
  assert.match(rejected.out, /^<stdin>:1:\d+: ERROR /);
});

test('--principal judges privilege escalation across the files', async () => {
  const pr = file(
    'pr.json',
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: 'arn:aws:iam::*:role/*',
          Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        },
      ],
    }),
  );
  const nb = file('nb.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: '*' }] }));
  assert.equal((await run([pr, nb])).out, '');
  assert.match((await run(['--principal', pr, nb])).out, /nb\.json:1:\d+: SECURITY_WARNING PRIVILEGE_ESCALATION/);
});

test('bad input exits 2', async () => {
  assert.equal((await run([join(dir, 'missing.json')])).code, 2);
  assert.equal((await run(['--bogus', clean])).code, 2);
  assert.equal((await run(['--format', 'xml', clean])).code, 2);
  assert.equal((await run(['--fail-on', 'LOW', clean])).code, 2);
  assert.equal((await run(['--policy-type', 'role', clean])).code, 2);
  assert.equal((await run([])).code, 2);
  const badConfig = file('bad-config.json', '{"suppress": [{"code": "X"}]}');
  const r = await run(['--config', badConfig, clean]);
  assert.equal(r.code, 2);
  assert.match(r.err, /issueCode/);
});

test('--help', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /Usage: iamsim lint FILE/);
});

// Issue 11, "Messages": identical finding lines are printed once, with their count.
test('issue 11: identical text lines collapse into one with a count', async () => {
  const r = await run([passRole, passRole, passRole]);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.out);
  assert.match(lines[0] ?? '', /PASS_ROLE_WITH_STAR_IN_RESOURCE .* \(3 identical findings\)$/);
});
