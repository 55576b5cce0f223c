import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChainResult } from '../authz/chain.js';
import type { RoleQueryResult, WhoCanPassResult } from '../authz/queries.js';
import { accountCommand } from './account.js';
import { assumeChainCommand, parseTag, rolesAssumableByCommand, whoCanCommand } from './query.js';
import { runCommand, type Command } from '../../test/support/cli.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/accounts/', import.meta.url));
const AUTH = join(FIXTURES, 'authorization-details.json');
const BUNDLE = join(FIXTURES, 'bundle.yaml');
const JOB_ROLE = 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole';
const STUDIO_ROLE = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000';
const PROD_JOB_ROLE = 'arn:aws:iam::444455556666:role/service-role/ProdNotebookJobRole';

const run = (cmd: Command, argv: string[]): ReturnType<typeof runCommand> => runCommand(cmd, argv);

const tmp = (): string => mkdtempSync(join(tmpdir(), 'iamsim-query-cli-'));

/** A user who may assume a role of its account when it passes the team=ml session tag. */
const TAGS_BUNDLE = `
accounts:
  - id: "111111111111"
    users:
      - name: alice
        policies:
          Assume:
            Version: "2012-10-17"
            Statement:
              - {Effect: Allow, Action: [sts:AssumeRole, sts:TagSession], Resource: "*"}
    roles:
      - name: Deployer
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Principal: {AWS: "111111111111"}, Action: sts:AssumeRole}
            - Effect: Allow
              Principal: {AWS: "111111111111"}
              Action: sts:TagSession
              Condition: {StringEquals: {aws:RequestTag/team: ml}}
      - name: Mfa
        trustPolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "111111111111"}
              Action: sts:AssumeRole
              Condition: {Bool: {aws:MultiFactorAuthPresent: "true"}}
`;

test('who-can assume: the notebook job role is assumable by sagemaker and events (text and json)', async () => {
  const text = await run(whoCanCommand, ['assume', JOB_ROLE, '--account', AUTH]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Who can assume arn:aws:iam::111122223333:role\/NotebookJobExecutionRole \(sts:AssumeRole\), 5 checked:$/m);
  assert.match(
    text.out,
    /^ {2}allowed {6}sagemaker\.amazonaws\.com \(service\)\n {6}Allow statement #1 in ResourcePolicy \(NotebookJobExecutionRole trust policy\)/m,
  );
  assert.match(text.out, /allowed {6}events\.amazonaws\.com/);
  const json = JSON.parse((await run(whoCanCommand, ['assume', JOB_ROLE, '--account', AUTH, '--format', 'json'])).out) as RoleQueryResult;
  assert.deepEqual(json.allowed.map((d) => d.principal).sort(), ['events.amazonaws.com', 'sagemaker.amazonaws.com']);
});

test('who-can pass: which principals may pass the job role to sagemaker', async () => {
  const r = await run(whoCanCommand, ['pass', JOB_ROLE, '--account', AUTH, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const res = JSON.parse(r.out) as WhoCanPassResult;
  const toSageMaker = res.principals.filter((g) => g.services.some((d) => d.service === 'sagemaker.amazonaws.com')).map((g) => g.principal);
  assert.deepEqual(toSageMaker.sort(), [JOB_ROLE, STUDIO_ROLE]);
  const text = await run(whoCanCommand, ['pass', JOB_ROLE, '--account', AUTH, '--services', 'bedrock.amazonaws.com']);
  assert.match(text.out, /services checked: sagemaker\.amazonaws\.com, events\.amazonaws\.com, .*bedrock\.amazonaws\.com/);
  assert.match(
    text.out,
    /^ {2}arn:aws:iam::111122223333:role\/NotebookJobExecutionRole \(role\)\n {6}sagemaker\.amazonaws\.com: allowed by Allow statement #1 in NotebookJobPermissions/m,
  );
  assert.match(text.out, /^ {6}events\.amazonaws\.com: allowed by/m);
});

test('roles-assumable-by: sagemaker and events can assume the job roles, glue none (from a database)', async () => {
  const db = join(tmp(), 'q.db');
  assert.equal((await run(accountCommand, ['import', AUTH, BUNDLE, '--db', db])).code, 0);
  const sm = JSON.parse((await run(rolesAssumableByCommand, ['sagemaker.amazonaws.com', '--db', db, '--format', 'json'])).out) as RoleQueryResult;
  assert.deepEqual(sm.allowed.map((d) => d.resource).sort(), [JOB_ROLE, STUDIO_ROLE, PROD_JOB_ROLE].sort());
  const ev = JSON.parse((await run(rolesAssumableByCommand, ['events.amazonaws.com', '--db', db, '--format', 'json'])).out) as RoleQueryResult;
  assert.deepEqual(ev.allowed.map((d) => d.resource).sort(), [JOB_ROLE, PROD_JOB_ROLE].sort());
  const glue = await run(rolesAssumableByCommand, ['glue.amazonaws.com', '--db', db]);
  assert.equal(glue.code, 0);
  assert.match(glue.out, /^Roles glue\.amazonaws\.com can assume \(sts:AssumeRole\), 3 checked:\n {2}none$/m);
  // The same database answers who-can without --db through IAMSIM_DB.
  const saved = process.env['IAMSIM_DB'];
  try {
    process.env['IAMSIM_DB'] = db;
    assert.match((await run(whoCanCommand, ['assume', PROD_JOB_ROLE])).out, /allowed {6}events\.amazonaws\.com/);
  } finally {
    if (saved === undefined) delete process.env['IAMSIM_DB'];
    else process.env['IAMSIM_DB'] = saved;
  }
});

test('who-can assume: conditional principals list the missing keys; --context-entries supplies them', async () => {
  const file = join(tmp(), 'tags.yaml');
  writeFileSync(file, TAGS_BUNDLE);
  const mfa = 'arn:aws:iam::111111111111:role/Mfa';
  const r = await run(whoCanCommand, ['assume', mfa, '--account', file]);
  assert.match(r.out, /^ {2}conditional {2}arn:aws:iam::111111111111:user\/alice \(user\) — needs aws:MultiFactorAuthPresent$/m);
  const ok = await run(whoCanCommand, [
    'assume',
    mfa,
    '--account',
    file,
    '--context-entries',
    'ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean',
  ]);
  assert.match(ok.out, /^ {2}allowed {6}arn:aws:iam::111111111111:user\/alice \(user\)$/m);
});

test('assume-chain: session tags need sts:TagSession; exit 1 when a hop is denied', async () => {
  const file = join(tmp(), 'tags.yaml');
  writeFileSync(file, TAGS_BUNDLE);
  const from = 'arn:aws:iam::111111111111:user/alice';
  const deployer = 'arn:aws:iam::111111111111:role/Deployer';
  const ok = await run(assumeChainCommand, [
    from,
    deployer,
    '--account',
    file,
    '--tags',
    'Key=team,Value=ml',
    '--transitive-tag-keys',
    'team',
    '--role-session-name',
    'ci',
  ]);
  assert.equal(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /sts:TagSession: allowed/);
  assert.match(ok.out, /session arn:aws:sts::111111111111:assumed-role\/Deployer\/ci \(max 3600s\)/);
  assert.match(ok.out, /principal tags: team=ml; transitive: team/);
  assert.match(ok.out, /The chain is allowed\./);
  const denied = await run(assumeChainCommand, [from, deployer, '--account', file, '--tags', 'team=web', '--format', 'json']);
  assert.equal(denied.code, 1);
  const res = JSON.parse(denied.out) as ChainResult;
  assert.deepEqual([res.ok, res.hops[0]?.assume.decision, res.hops[0]?.tagSession?.decision], [false, 'allowed', 'denied']);
  // Role chaining: the Deployer session assumes the Mfa role (denied without MFA: conditional).
  const chain = await run(assumeChainCommand, [from, deployer, 'arn:aws:iam::111111111111:role/Mfa', '--account', file]);
  assert.equal(chain.code, 1);
  assert.match(chain.out, /2\. arn:aws:sts::111111111111:assumed-role\/Deployer\/iamsim/);
  assert.match(chain.out, /sts:AssumeRole: (conditional|denied)/);
  assert.match(chain.out, /The chain stops at hop 2\./);
});

test('errors: unknown role, bad service principal, bad tags, missing db, bad file', async () => {
  const unknown = await run(whoCanCommand, ['assume', 'arn:aws:iam::111122223333:role/Nope', '--account', AUTH]);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.err,
    /ROLE_ARN:1:1: error UNKNOWN_ROLE: arn:aws:iam::111122223333:role\/Nope is not a role in the model \(accounts loaded: 111122223333\)/,
  );
  assert.equal((await run(whoCanCommand, ['pass', 'arn:aws:iam::111122223333:role/Nope', '--account', AUTH])).code, 2);
  assert.match((await run(whoCanCommand, ['delete', JOB_ROLE, '--account', AUTH])).err, /usage: iamsim who-can assume\|pass ROLE_ARN/);
  assert.match((await run(whoCanCommand, ['assume', JOB_ROLE, '--services', 'x', '--account', AUTH])).err, /--services applies to who-can pass/);
  assert.match((await run(rolesAssumableByCommand, ['sagemaker', '--account', AUTH])).err, /is not a service principal/);
  const chainBad = await run(assumeChainCommand, [
    'arn:aws:iam::111122223333:user/alice',
    JOB_ROLE,
    '--account',
    AUTH,
    '--tags',
    'a=b',
    '--transitive-tag-keys',
    'c',
  ]);
  assert.equal(chainBad.code, 2);
  assert.match(chainBad.err, /error BAD_CHAIN: transitive tag key "c" is not among the session tags passed/);
  assert.match((await run(assumeChainCommand, ['x', JOB_ROLE, '--account', AUTH, '--tags', 'novalue'])).err, /--tags: expected/);
  const dir = tmp();
  const noDb = await run(whoCanCommand, ['assume', JOB_ROLE, '--db', join(dir, 'none.db')]);
  assert.equal(noDb.code, 2);
  assert.match(noDb.err, /none\.db:1:1: error DB_NOT_FOUND/);
  const badFile = await run(rolesAssumableByCommand, ['sagemaker.amazonaws.com', '--account', join(dir, 'missing.json')]);
  assert.equal(badFile.code, 2);
  assert.match(badFile.err, /missing\.json:1:1: error FILE_UNREADABLE/);
  assert.match((await run(whoCanCommand, ['assume', JOB_ROLE, '--account'])).err, /--account needs at least one FILE/);
  for (const cmd of [whoCanCommand, rolesAssumableByCommand, assumeChainCommand]) assert.equal((await run(cmd, ['--help'])).code, 0);
});

test('parseTag accepts the AWS CLI shorthand and k=v', () => {
  assert.deepEqual(parseTag('Key=Project,Value=Automation'), { key: 'Project', value: 'Automation' });
  assert.deepEqual(parseTag('cost-center=4242'), { key: 'cost-center', value: '4242' });
  assert.deepEqual(parseTag('k=a=b'), { key: 'k', value: 'a=b' });
});
