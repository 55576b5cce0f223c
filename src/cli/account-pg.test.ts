/**
 * `iamsim account import|list|show|remove --db postgres://…`: the same output
 * as with a SQLite file (only the location differs), clear errors for a
 * database without iamsim's tables or an unreachable server, no password shown.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { accountCommand, loadModel } from './account.js';
import { fakeIo, runCommand, type Command } from '../../test/support/cli.js';
import { whoCanCommand } from './query.js';
import { simulatePrincipalPolicyCommand } from './simulate-principal.js';
import { createPgTestDatabase, pgServerUrl, PG_SKIP_MESSAGE } from '../account/pg/test-support.test.js';
import type { PgTestDatabase } from '../account/pg/test-support.test.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/accounts/', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/iamsim.js', import.meta.url));
const fx = (n: string): string => join(FIXTURES, n);
const INPUTS = [
  fx('authorization-details.json'),
  fx('get-bucket-policy.json'),
  fx('describe-vpc-endpoints.json'),
  fx('bundle.yaml'),
  ...readdirSync(fx('org')).map((f) => fx(`org/${f}`)),
];
const run = (argv: string[]) => runCommand(accountCommand, argv);
/** Output with the store's location and import times blanked, to compare backends. */
const blank = (text: string, location: string): string =>
  text
    .split(location)
    .join('<db>')
    .replace(/imported \d{4}-[0-9T:.Z-]+/g, 'imported <time>')
    .replace(/"importedAt": "[^"]*"/g, '"importedAt": "<time>"');

const server = pgServerUrl();
const dbs: PgTestDatabase[] = [];
after(async () => {
  for (const d of dbs) await d.drop();
});

async function freshUrl(password: string): Promise<{ url: string; shown: string }> {
  const db = await createPgTestDatabase(server as string);
  dbs.push(db);
  const u = new URL(db.url);
  u.password = password;
  const shown = new URL(db.url);
  shown.password = '***';
  return { url: u.toString(), shown: shown.toString() };
}

test('account commands on PostgreSQL print what they print on SQLite', { skip: server === undefined && PG_SKIP_MESSAGE }, async () => {
  const { url, shown } = await freshUrl('s3cret');
  const sqlite = join(mkdtempSync(join(tmpdir(), 'iamsim-account-pg-')), 'iamsim.db');
  const steps: string[][] = [
    ['import', ...INPUTS],
    ['list'],
    ['list', '--format', 'json'],
    ['show', '111122223333'],
    ['show', '444455556666', '--format', 'json'],
    ['remove', '444455556666'],
    ['remove', '444455556666'],
    ['show', '444455556666'],
    ['list'],
  ];
  for (const argv of steps) {
    const pg = await run([...argv, '--db', url]);
    const lite = await run([...argv, '--db', sqlite]);
    assert.equal(pg.code, lite.code, `${argv.join(' ')}: ${pg.err}`);
    assert.equal(blank(pg.out, shown), blank(lite.out, sqlite), argv.join(' '));
    assert.equal(blank(pg.err, shown), blank(lite.err, sqlite), argv.join(' '));
    assert.ok(!`${pg.out}${pg.err}`.includes('s3cret'), 'the password is never printed');
  }
});

test('PostgreSQL errors: no tables yet, bad input, unreachable server', { skip: server === undefined && PG_SKIP_MESSAGE }, async () => {
  const { url, shown } = await freshUrl('pw');
  const list = await run(['list', '--db', url]);
  assert.equal(list.code, 2);
  assert.equal(list.err, `${shown}:1:1: error DB_NOT_FOUND: no iamsim tables in ${shown} (run 'iamsim account import --db URL' first)\n`);
  const bad = join(mkdtempSync(join(tmpdir(), 'iamsim-account-pg-')), 'bad.json');
  writeFileSync(bad, '{"UserDetailList": [');
  const imp = await run(['import', fx('authorization-details.json'), bad, '--db', url]);
  assert.equal(imp.code, 2);
  assert.match(imp.err, /bad\.json:1:\d+: error [A-Z_]+: /);
  assert.match(imp.err, /nothing was imported into postgres:/);
  assert.equal((await run(['list', '--db', url])).out, 'no accounts imported\n');
  const down = await run(['list', '--db', 'postgres://iam:pw@127.0.0.1:1/iamsim']);
  assert.equal(down.code, 2);
  assert.match(down.err, /^postgres:\/\/iam:\*\*\*@127\.0\.0\.1:1\/iamsim:1:1: error DB_UNAVAILABLE: database error: .*ECONNREFUSED/);
});

test('the iamsim binary imports into PostgreSQL and exits', { skip: server === undefined && PG_SKIP_MESSAGE }, async () => {
  const { url } = await freshUrl('pw');
  const r = await promisify(execFile)(process.execPath, [BIN, 'account', 'import', fx('bundle.yaml'), '--db', url], { timeout: 30_000 });
  assert.match(r.stdout, /^imported account 444455556666 \(ml-prod\)/m);
  const l = await promisify(execFile)(process.execPath, [BIN, 'account', 'list', '--db', url], { timeout: 30_000 });
  assert.match(l.stdout, /^444455556666 /m);
});

test('model commands read a PostgreSQL store: who-can, simulate-principal-policy, --account on top', {
  skip: server === undefined && PG_SKIP_MESSAGE,
}, async () => {
  const { url } = await freshUrl('s3cret');
  assert.equal((await run(['import', fx('authorization-details.json'), ...readdirSync(fx('org')).map((f) => fx(`org/${f}`)), '--db', url])).code, 0);
  const sqlite = join(mkdtempSync(join(tmpdir(), 'iamsim-account-pg-')), 'iamsim.db');
  assert.equal((await run(['import', fx('authorization-details.json'), ...readdirSync(fx('org')).map((f) => fx(`org/${f}`)), '--db', sqlite])).code, 0);
  const role = 'arn:aws:iam::111122223333:role/NotebookJobExecutionRole';
  const exec = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole-20240110T090000';
  const cases: [Command, string[]][] = [
    [whoCanCommand, ['assume', role]],
    [whoCanCommand, ['pass', role, '--format', 'json']],
    [simulatePrincipalPolicyCommand, ['--policy-source-arn', exec, '--action-names', 'iam:PassRole', '--resource-arns', role]],
  ];
  for (const [cmd, argv] of cases) {
    const pg = await runCommand(cmd, [...argv, '--db', url]);
    const lite = await runCommand(cmd, [...argv, '--db', sqlite]);
    assert.equal(pg.code, lite.code, `${argv.join(' ')}: ${pg.err}`);
    assert.equal(pg.out, lite.out, argv.join(' '));
  }
  // Files override the stored accounts they name, as with SQLite.
  const u = await loadModel(
    {
      positionals: [],
      flags: new Map([
        ['db', [url]],
        ['account', [fx('bundle.yaml')]],
      ]),
    },
    fakeIo().io,
    {},
  );
  assert.deepEqual([...(u?.accounts.keys() ?? [])].sort(), ['111122223333', '444455556666']);
});

test('model commands: a PostgreSQL URL without iamsim tables or server is a clear error, without its password', {
  skip: server === undefined && PG_SKIP_MESSAGE,
}, async () => {
  const { url, shown } = await freshUrl('s3cret');
  const f = fakeIo();
  assert.equal(await loadModel({ positionals: [], flags: new Map([['db', [url]]]) }, f.io, {}), undefined);
  assert.equal(f.err(), `${shown}:1:1: error DB_NOT_FOUND: no iamsim tables in ${shown} (run 'iamsim account import --db URL' first)\n`);
  const viaEnv = fakeIo();
  assert.equal(await loadModel({ positionals: [], flags: new Map() }, viaEnv.io, { IAMSIM_DB: 'postgresql://iam:s3cret@127.0.0.1:1/db' }), undefined);
  assert.match(viaEnv.err(), /^postgresql:\/\/iam:\*\*\*@127\.0\.0\.1:1\/db:1:1: error DB_UNAVAILABLE: /);
  assert.doesNotMatch(f.err() + viaEnv.err(), /s3cret/);
});
