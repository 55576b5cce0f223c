import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountCommand, loadModel, resolveDbPath, singleValued } from './account.js';
import { parseArgs } from './args.js';
import { fakeIo } from '../../test/support/cli.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/accounts/', import.meta.url));
const fx = (n: string): string => join(FIXTURES, n);
const ORG = readdirSync(fx('org')).map((f) => fx(`org/${f}`));
const CLI_OUTPUTS = [
  fx('authorization-details.json'),
  fx('authorization-details-raw-api.json'),
  fx('get-bucket-policy.json'),
  fx('get-key-policy.us-east-1.1234abcd-12ab-34cd-56ef-1234567890ab.json'),
  fx('describe-vpc-endpoints.json'),
  fx('get-repository-policy.us-east-1.json'),
  ...ORG,
];

const tmp = (): string => mkdtempSync(join(tmpdir(), 'iamsim-account-cli-'));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const f = fakeIo();
  const code = await accountCommand(argv, f.io);
  return { code, out: f.out(), err: f.err() };
}

test('import every AWS CLI output, then list, show and remove', async () => {
  const db = join(tmp(), 'nested', 'iamsim.db');
  const imp = await run(['import', ...CLI_OUTPUTS, '--db', db]);
  assert.equal(imp.code, 0, imp.err);
  assert.match(imp.out, /^imported account 111122223333: 1 users, 1 groups, 2 roles, 4 managed policies, 4 resource policies$/m);
  assert.match(imp.out, /^imported account 555566667777: 0 users, 0 groups, 1 roles/m);
  assert.match(imp.out, /imported 2 account\(s\), 5 resource policies, the organization into .*iamsim\.db/);
  // Parser findings on imported documents are warnings on stderr, in file:line:column form.
  assert.match(imp.err, /describe-vpc-endpoints\.json:\d+:\d+: warning MISSING_VERSION: /);

  const list = await run(['list', '--db', db]);
  assert.equal(list.code, 0);
  assert.match(list.out, /^111122223333 .*users 1, groups 1, roles 2/m);
  assert.match(list.out, /^organization o-exampleorg1: 2 accounts, 1 OUs/m);
  const listJson = JSON.parse((await run(['list', '--db', db, '--format', 'json'])).out) as { Accounts: { id: string }[]; Organization: string };
  assert.deepEqual(
    listJson.Accounts.map((a) => a.id),
    ['111122223333', '555566667777'],
  );
  assert.equal(listJson.Organization, 'o-exampleorg1');

  const show = await run(['show', '111122223333', '--db', db]);
  assert.equal(show.code, 0);
  assert.match(show.out, /arn:aws:iam::111122223333:role\/NotebookJobExecutionRole\n\s+trusts: sagemaker\.amazonaws\.com, events\.amazonaws\.com/);
  assert.match(show.out, /ou ou-a1b2-f00dcafe MachineLearning: SCPs FullAWSAccess, DenyLeaveOrgAndRegions; RCPs RCPFullAWSAccess, DataPerimeter/);
  const showJson = JSON.parse((await run(['show', '--db', db, '111122223333', '--format', 'json'])).out) as { account: { id: string; roles: unknown[] } };
  assert.equal(showJson.account.roles.length, 2);

  const rm = await run(['remove', '555566667777', '--db', db]);
  assert.deepEqual([rm.code, rm.out.trim()], [0, `removed account 555566667777 from ${db}`]);
  const again = await run(['remove', '555566667777', '--db', db]);
  assert.equal(again.code, 2);
  assert.match(again.err, /: error UNKNOWN_ACCOUNT: account 555566667777 is not in the database/);
  const gone = await run(['show', '555566667777', '--db', db]);
  assert.equal(gone.code, 2);
});

test('a bundle imports its accounts and organization; a re-import replaces the account', async () => {
  const db = join(tmp(), 'b.db');
  assert.equal((await run(['import', fx('bundle.yaml'), '--db', db])).code, 0);
  const r = await run(['import', fx('bundle.yaml'), '--db', db]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^imported account 444455556666 \(ml-prod\): 1 users, 1 groups, 1 roles/m);
  const list = await run(['list', '--db', db]);
  assert.equal(list.out.split('\n').filter((l) => l.startsWith('444455556666')).length, 1);
});

test('errors: file:line:col diagnostics, exit 2, nothing written', async () => {
  const dir = tmp();
  const db = join(dir, 'e.db');
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"UserDetailList": [');
  const r = await run(['import', fx('authorization-details.json'), bad, '--db', db]);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.json:1:\d+: error [A-Z_]+: /);
  assert.match(r.err, /nothing was imported/);
  assert.equal(existsSync(db), false, 'a failed first import leaves no database');

  const missing = await run(['import', join(dir, 'nope.json'), '--db', db]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.json:1:1: error FILE_UNREADABLE: /);

  const unknown = join(dir, 'other.json');
  writeFileSync(unknown, '{"Hello": 1}');
  assert.match((await run(['import', unknown, '--db', db])).err, /other\.json:1:1: error UNKNOWN_INPUT_FORMAT: /);

  // An existing database keeps its contents when a later import fails.
  assert.equal((await run(['import', fx('authorization-details.json'), '--db', db])).code, 0);
  assert.equal((await run(['import', fx('bundle.yaml'), bad, '--db', db])).code, 2);
  assert.doesNotMatch((await run(['list', '--db', db])).out, /444455556666/);
});

test('missing database, usage errors and help', async () => {
  const db = join(tmp(), 'none.db');
  for (const argv of [
    ['list', '--db', db],
    ['show', '1', '--db', db],
    ['remove', '1', '--db', db],
  ]) {
    const r = await run(argv);
    assert.equal(r.code, 2);
    assert.match(r.err, /none\.db:1:1: error DB_NOT_FOUND: no iamsim database at/);
    assert.equal(existsSync(db), false);
  }
  assert.equal((await run(['import', '--db', db])).code, 2);
  assert.match((await run(['frobnicate'])).err, /unknown subcommand "frobnicate"/);
  assert.match((await run(['show', '--db', db])).err, /needs an account ID/);
  assert.match((await run(['list', '--bogus', '--db', db])).err, /unknown option --bogus/);
  assert.match((await run(['list', '--db', db, '--format', 'xml'])).err, /--format must be json or text/);
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /iamsim account import FILE/);
  assert.equal((await run([])).code, 2);
});

test('database path: --db, then IAMSIM_DB, then the default', () => {
  const args = (argv: string[]) => parseArgs(argv, new Set());
  assert.equal(resolveDbPath(args(['--db', 'x.db']), { IAMSIM_DB: 'y.db' }), 'x.db');
  assert.equal(resolveDbPath(args([]), { IAMSIM_DB: 'y.db' }), 'y.db');
  assert.equal(resolveDbPath(args([]), {}), '.iamsim/iamsim.db');
  assert.deepEqual(singleValued(args(['import', '--db', 'x.db', 'a.json', 'b.json']), ['db']).positionals, ['import', 'a.json', 'b.json']);
});

test('IAMSIM_DB and the default path are used by import and list', async () => {
  const dir = tmp();
  const saved = process.env['IAMSIM_DB'];
  const cwd = process.cwd();
  try {
    process.env['IAMSIM_DB'] = join(dir, 'env', 'env.db');
    assert.equal((await run(['import', fx('authorization-details.json')])).code, 0);
    assert.ok(existsSync(join(dir, 'env', 'env.db')));
    assert.match((await run(['list'])).out, /^111122223333/m);
    delete process.env['IAMSIM_DB'];
    process.chdir(dir);
    assert.equal((await run(['import', fx('bundle.yaml')])).code, 0);
    assert.ok(existsSync(join(dir, '.iamsim', 'iamsim.db')), 'the default folder is created');
    // Queries without --account or --db read the same database.
    const f = fakeIo();
    assert.ok((await loadModel(parseArgs([], new Set()), f.io))?.accounts.has('444455556666'));
  } finally {
    process.chdir(cwd);
    if (saved === undefined) delete process.env['IAMSIM_DB'];
    else process.env['IAMSIM_DB'] = saved;
  }
});

test('loadModel: --account files, and a clear error without any model', async () => {
  const f = fakeIo();
  const u = await loadModel(parseArgs(['--account', fx('authorization-details.json'), fx('bundle.yaml')], new Set()), f.io);
  assert.deepEqual([...(u?.accounts.keys() ?? [])].sort(), ['111122223333', '444455556666']);
  const g = fakeIo();
  assert.equal(await loadModel(parseArgs([], new Set()), g.io, { IAMSIM_DB: join(tmp(), 'missing.db') }), undefined);
  assert.match(g.err(), /error DB_NOT_FOUND: .*give --account FILE… or --db PATH/);
});
