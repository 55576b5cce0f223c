/**
 * End to end on cloudmapper's demo account (test/fixtures/cloudmapper-demo,
 * BSD-3): `account import` (with the warning for its edited ARNs), then
 * `audit`, `lint` and `who-can assume` on the database, as a user runs them.
 * The judged results themselves are checked in src/audit/cloudmapper.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../test/support/cli.js';
import { accountCommand } from './account.js';
import { auditCommand } from './audit.js';
import { lintCommand } from './lint.js';
import { whoCanCommand } from './query.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/cloudmapper-demo/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => join(DIR, f));

test('cloudmapper demo: import, audit, lint and who-can from the database', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'iamsim-cloudmapper-')), 'demo.db');
  const imported = await runCommand(accountCommand, ['import', ...FILES, '--db', db]);
  assert.equal(imported.code, 0, imported.err);
  assert.match(imported.out, /imported account 123456789012: 2 users, 1 groups, 4 roles, 2 managed policies, 4 resource policies/);
  assert.equal((imported.err.match(/warning ENTITY_ARN_ACCOUNT/g) ?? []).length, 3, imported.err);
  assert.match(imported.err, /authorization-details\.json:436:\d+: warning ENTITY_ARN_ACCOUNT: arn:aws:iam::aws:user\/USER /);

  const audit = await runCommand(auditCommand, ['--db', db, '--format', 'json', '--at', '2026-01-01T00:00:00Z']);
  assert.equal(audit.code, 1, audit.err);
  const report = JSON.parse(audit.out) as { principals: { arn: string; isAdmin: boolean }[]; findings: { code: string; subject: string }[] };
  assert.deepEqual(
    report.principals.filter((p) => p.isAdmin).map((p) => p.arn),
    ['arn:aws:iam::123456789012:role/bad_role'],
  );
  assert.equal(report.findings.filter((f) => f.code === 'PUBLIC_ACCESS').length, 5);

  const lint = await runCommand(lintCommand, ['--db', db, '--format', 'json']);
  // No ERROR: AWS accepted every one of these policies. "SNS:Receive" in the topic policies and the SMS MFA actions are
  // not in the Service Authorization Reference: warnings (the entries grant nothing).
  assert.equal(lint.code, 0, lint.err);
  const linted = (JSON.parse(lint.out) as { findings: { issueCode: string; findingType: string }[] }).findings;
  const codes = linted.map((f) => f.issueCode);
  assert.ok(codes.includes('DATA_EXFILTRATION') && !codes.includes('MISSING_RESOURCE'), codes.join(' '));
  assert.deepEqual(
    linted.filter((f) => f.issueCode === 'INVALID_ACTION').map((f) => f.findingType),
    ['WARNING', 'WARNING', 'WARNING', 'WARNING'],
  );
  // level1's ecr:GetAuthorizationToken on "*" supports only "*": nothing to ask for.
  assert.ok(!codes.includes('CREDENTIALS_EXPOSURE'), codes.join(' '));

  const who = await runCommand(whoCanCommand, ['assume', 'arn:aws:iam::123456789012:role/bad_role', '--db', db]);
  assert.equal(who.code, 0, who.err);
  assert.match(who.out, /allowed +arn:aws:iam::123456789012:user\/USER \(user\)/);
});
