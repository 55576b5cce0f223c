/**
 * `iamsim lint --account FILE… | --db DB`: every policy of an account model
 * with its real type, positions in the input file, the policy each finding is
 * in, per-principal checks, exit codes. Fixture: test/fixtures/lint-account/
 * bundle.json (its trust policy is the example of `aws accessanalyzer
 * validate-policy` in the AWS CLI reference).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountCommand } from './account.js';
import { lintCommand } from './lint.js';
import { runCommand } from '../../test/support/cli.js';

const BUNDLE = fileURLToPath(new URL('../../../test/fixtures/lint-account/bundle.json', import.meta.url));
const AUTH = fileURLToPath(new URL('../../../test/fixtures/accounts/authorization-details.json', import.meta.url));
const lines = readFileSync(BUNDLE, 'utf8').split('\n');

interface JsonFinding {
  issueCode: string;
  file: string;
  policy: string;
  span: { start: { line: number; column: number } };
}

async function lintJson(argv: readonly string[]): Promise<{ code: number; findings: JsonFinding[] }> {
  const r = await runCommand(lintCommand, [...argv, '--format', 'json']);
  return { code: r.code, findings: (JSON.parse(r.out) as { findings: JsonFinding[] }).findings };
}

test('each policy is linted with its real type and the finding names the policy', async () => {
  const { code, findings } = await lintJson(['--account', BUNDLE]);
  assert.equal(code, 1);
  const by = (c: string): JsonFinding[] => findings.filter((f) => f.issueCode === c);
  // Trust policy: Access Analyzer's two errors, no MISSING_RESOURCE.
  assert.equal(by('MISMATCHED_ACTION_FOR_PRINCIPAL')[0]?.policy, 'arn:aws:iam::111122223333:role/CognitoAuthRole (trust policy)');
  assert.equal(by('MISSING_RESOURCE').length, 0);
  // Boundary (a managed policy used only as a boundary), SCP, identity.
  assert.deepEqual(
    by('UNSUPPORTED_ACTION_FOR_CONDITION_KEY')
      .map((f) => f.policy)
      .sort(),
    ['arn:aws:iam::111122223333:policy/CiBoundary (managed policy, permissions boundary)', 'arn:aws:iam::111122223333:role/CognitoAuthRole (trust policy)'],
  );
  assert.equal(by('SCP_SYNTAX_ERROR_PRINCIPAL')[0]?.policy, 'SCP p-denyleave (DenyLeave)');
  assert.equal(by('RESOURCE_EXPOSURE')[0]?.policy, 'arn:aws:iam::111122223333:role/ci-build (inline policy build)');
  // ci-build's ecr:GetAuthorizationToken on "*": the action supports only "*", so no CREDENTIALS_EXPOSURE asks to scope it.
  assert.equal(by('CREDENTIALS_EXPOSURE').length, 0);
  // The OAI bucket policy is clean.
  assert.ok(!findings.some((f) => f.policy.includes('amzn-s3-demo-website')));
});

test('positions point into the input file at the element the finding is about', async () => {
  const { findings } = await lintJson(['--account', BUNDLE]);
  const at = (f: JsonFinding | undefined): string => {
    assert.ok(f);
    assert.equal(f.file, BUNDLE);
    return (lines[f.span.start.line - 1] ?? '').slice(f.span.start.column - 1);
  };
  assert.match(at(findings.find((f) => f.issueCode === 'MISMATCHED_ACTION_FOR_PRINCIPAL')), /^"sts:AssumeRole"/);
  assert.match(at(findings.find((f) => f.issueCode === 'RESOURCE_EXPOSURE')), /^"s3:PutBucketPolicy"/);
  assert.match(at(findings.find((f) => f.issueCode === 'SCP_SYNTAX_ERROR_PRINCIPAL')), /^"Principal"/);
});

test('cross-policy: a user whose own policy and group policy together escalate', async () => {
  const { findings } = await lintJson(['--account', BUNDLE]);
  const esc = findings.filter((f) => f.issueCode === 'PRIVILEGE_ESCALATION');
  assert.equal(esc.length, 1);
  assert.match(esc[0]?.policy ?? '', /^arn:aws:iam::111122223333:user\/dev: /);
});

test('--db reads an imported model; text output carries the policy', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'iamsim-lint-db-')), 'm.db');
  const imp = await runCommand(accountCommand, ['import', AUTH, '--db', db]);
  assert.equal(imp.code, 0, imp.err);
  const r = await runCommand(lintCommand, ['--db', db, '--fail-on', 'SECURITY_WARNING']);
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    /authorization-details\.json:\d+:\d+: SECURITY_WARNING DATA_EXFILTRATION .* \[arn:aws:iam::111122223333:role\/NotebookJobExecutionRole \(inline policy NotebookJobPermissions\)\]/,
  );
  assert.match(r.err, /in \d+ policies/);
});

test('bad input: FILEs with --account, a missing database, an unreadable model', async () => {
  assert.equal((await runCommand(lintCommand, ['--account', BUNDLE, 'x.json'])).code, 2);
  const missing = await runCommand(lintCommand, ['--db', join(tmpdir(), 'iamsim-no-such.db')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no iamsim database/);
});

test("real data: cloudsplaining's example authorization details (test/fixtures/public/cloudsplaining)", async () => {
  const file = fileURLToPath(new URL('../../../test/fixtures/public/cloudsplaining/example-authz-details.json', import.meta.url));
  const { code, findings } = await lintJson(['--account', file]);
  assert.equal(code, 0, 'no ERROR');
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.issueCode] = (counts[f.issueCode] ?? 0) + 1;
  // Each judged by hand: s3:PutObjectAcl on "*" (4 policies), iam:PassRole on "*" (2 roles), iam:CreateAccessKey
  // on "*", escalation through CreateAccessKey, Lambda and SageMaker + PassRole, object actions listing a bucket ARN,
  // s3:GetObject on "*" (4 policies, one also secretsmanager:GetSecretValue: cloudsplaining's own data-exfiltration list).
  assert.deepEqual(counts, {
    RESOURCE_EXPOSURE: 4,
    DATA_EXFILTRATION: 4,
    PRIVILEGE_ESCALATION: 3,
    PASS_ROLE_WITH_STAR_IN_RESOURCE: 2,
    CREDENTIALS_EXPOSURE: 1,
    RESOURCE_ACTION_MISMATCH: 1,
  });
  const text = readFileSync(file, 'utf8').split('\n');
  for (const f of findings) {
    assert.ok(f.policy.startsWith('arn:aws:iam::012345678901:'), f.policy);
    if (f.file === file)
      assert.ok((text[f.span.start.line - 1] ?? '').length >= f.span.start.column, `${f.issueCode} ${f.span.start.line}:${f.span.start.column}`);
  }
});

test('SARIF: each result names the policy it is in', async () => {
  const r = await runCommand(lintCommand, ['--account', BUNDLE, '--format', 'sarif']);
  const sarif = JSON.parse(r.out) as {
    runs: { results: { ruleId: string; properties: { policy?: string }; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[] }[];
  };
  const results = sarif.runs[0]?.results ?? [];
  assert.ok(results.length > 0);
  for (const res of results) {
    assert.ok(res.properties.policy, res.ruleId);
    assert.equal(res.locations[0]?.logicalLocations[0]?.fullyQualifiedName, res.properties.policy);
  }
});
