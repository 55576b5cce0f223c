/** End-to-end tests of `iamsim audit`: formats, exit codes, bad input, the HTML page rendered by a browser. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditCommand } from './audit.js';
import { fakeIo, runCommand } from '../../test/support/cli.js';

const VULN = fileURLToPath(new URL('../../../test/fixtures/iam-vulnerable/authorization-details.json', import.meta.url));
const tmp = (): string => mkdtempSync(join(tmpdir(), 'iamsim-audit-cli-'));

const OPEN = `
accounts:
  - id: "123456789012"
    roles:
      - name: OpenRole
        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}]}
    resourcePolicies:
      - arn: arn:aws:s3:::public_legacy_Bucket
        policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "arn:aws:s3:::public_legacy_Bucket/*"}]}
      - arn: arn:aws:sns:us-east-1:123456789012:alerts
        policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: sns:Publish, Resource: "arn:aws:sns:us-east-1:123456789012:alerts"}]}
      - arn: arn:aws:s3:::any-ip
        policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "arn:aws:s3:::any-ip/*", Condition: {IpAddress: {aws:SourceIp: "0.0.0.0/0"}}}]}
      - arn: arn:aws:sns:us-east-1:123456789012:guarded
        policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "*"}, Action: sns:Publish, Resource: "arn:aws:sns:us-east-1:123456789012:guarded", Condition: {StringEquals: {aws:PrincipalOrgID: o-abc123}}}]}
`;

test('audit --format json: the documented shape; exit 1 on ERROR findings', async () => {
  const r = await runCommand(auditCommand, ['--account', VULN, '--format', 'json', '--at', '2026-01-01T00:00:00Z']);
  assert.equal(r.code, 1, r.err);
  const doc = JSON.parse(r.out) as {
    principals: { arn: string; type: string; isAdmin: boolean; canEscalate: boolean; paths: { technique: string; steps: unknown[] }[]; risks: unknown[] }[];
    findings: { code: string }[];
  };
  const p = doc.principals.find((x) => x.arn.endsWith(':user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user'));
  assert.ok(p);
  assert.deepEqual([p.type, p.canEscalate], ['user', true]);
  assert.ok(p.paths[0]?.technique.includes('lambda-create-invoke'));
  assert.equal(p.paths[0]?.steps.length, 3);
  assert.ok(doc.findings.some((f) => f.code === 'PRIVILEGE_ESCALATION'));
});

test('audit: public trust, legacy bucket and SNS topic policies are PUBLIC_ACCESS; a guarded one is not', async () => {
  const dir = tmp();
  const file = join(dir, 'open.yaml');
  writeFileSync(file, OPEN);
  const r = await runCommand(auditCommand, ['--account', file, '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  const doc = JSON.parse(r.out) as { findings: { code: string; subject: string }[] };
  const pub = doc.findings
    .filter((f) => f.code === 'PUBLIC_ACCESS')
    .map((f) => f.subject)
    .sort();
  // any-ip: allowed only with a source IP, which any caller has (found by the semantic no-public-access check).
  assert.deepEqual(pub, [
    'arn:aws:iam::123456789012:role/OpenRole',
    'arn:aws:s3:::any-ip',
    'arn:aws:s3:::public_legacy_Bucket',
    'arn:aws:sns:us-east-1:123456789012:alerts',
  ]);
  const text = await runCommand(auditCommand, ['--account', file]);
  assert.match(text.out, /anyone, without credentials can call s3:GetObject/);
  const ok = await runCommand(auditCommand, ['--account', file, '--fail-on', 'ERROR', '--format', 'sarif']);
  const sarif = JSON.parse(ok.out) as { runs: { results: { ruleId: string; level: string }[] }[] };
  assert.ok(sarif.runs[0]?.results.some((x) => x.ruleId === 'PUBLIC_ACCESS' && x.level === 'error'));
});

const UNREADABLE = `
accounts:
  - id: "123456789012"
    users:
      - name: weird
        policies:
          - name: odd
            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:*", Resource: "*", Condition: {StringEqualsWhatever: {aws:username: x}}}]}
      - name: admin
        policies:
          - name: all
            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
    resourcePolicies:
      - arn: arn:aws:s3:::all-but-one
        policy: {Version: "2012-10-17", Statement: [{Effect: Allow, NotPrincipal: {AWS: "arn:aws:iam::123456789012:user/admin"}, Action: s3:GetObject, Resource: "arn:aws:s3:::all-but-one/*"}]}
`;

test('audit: an S3 NotPrincipal + Allow policy (which S3 accepts) is read and PUBLIC; an unreadable policy is a finding naming it and the audit goes on', async () => {
  const dir = tmp();
  const file = join(dir, 'unreadable.yaml');
  writeFileSync(file, UNREADABLE);
  const r = await runCommand(auditCommand, ['--account', file, '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  const doc = JSON.parse(r.out) as {
    principals: { arn: string; isAdmin: boolean }[];
    findings: { code: string; subject: string; message: string }[];
    unreadable: { name: string }[];
  };
  assert.ok(doc.findings.some((f) => f.code === 'PUBLIC_ACCESS' && f.subject === 'arn:aws:s3:::all-but-one'));
  const bad = doc.findings.filter((f) => f.code === 'UNREADABLE_POLICY');
  assert.deepEqual(
    bad.map((f) => f.subject),
    ['arn:aws:iam::123456789012:user/weird'],
  );
  assert.match(bad[0]?.message ?? '', /inline policy odd of user weird cannot be read .*StringEqualsWhatever/);
  assert.deepEqual(
    doc.unreadable.map((x) => x.name),
    ['inline policy odd of user weird'],
  );
  // The rest is audited.
  assert.equal(doc.principals.find((p) => p.arn.endsWith(':user/admin'))?.isAdmin, true);
});

test('audit: exit 0 below --fail-on; bad input exits 2 with a message and no stack', async () => {
  const dir = tmp();
  const file = join(dir, 'quiet.yaml');
  writeFileSync(file, 'accounts:\n  - id: "123456789012"\n    users:\n      - name: reader\n        managedPolicies: [ReadOnlyAccess]\n');
  const quiet = await runCommand(auditCommand, ['--account', file]);
  assert.equal(quiet.code, 0, quiet.out);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"UserDetailList": [');
  const r = await runCommand(auditCommand, ['--account', bad]);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.json:\d+:\d+/);
  assert.doesNotMatch(r.err, /at .*\.js/);
  assert.equal((await runCommand(auditCommand, ['--account', file, '--format', 'xml'])).code, 2);
  assert.equal((await runCommand(auditCommand, ['--account', file, '--fail-on', 'LOUD'])).code, 2);
  assert.equal((await runCommand(auditCommand, ['--db', join(dir, 'none.db')])).code, 2);
});

test('audit --format html: one self-contained page that a browser renders', async (t) => {
  const r = await runCommand(auditCommand, ['--account', VULN, '--format', 'html']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^<!doctype html>/);
  // The data and the page's script are inline; nothing is fetched.
  assert.match(r.out, /<script type="application\/json" id="audit-data">\{"version":1,/);
  assert.equal((r.out.match(/<script>/g) ?? []).length, 1);
  assert.doesNotMatch(r.out, /<script [^>]*src=|<link |src="http|href="http|@import|url\(http|fetch\(|XMLHttpRequest/);
  const chromium = '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    if (process.env['CI']) assert.fail('chromium is required in CI to render the audit page');
    t.skip('chromium not installed: rendering not checked');
    return;
  }
  const dir = tmp();
  const page = join(dir, 'audit.html');
  const png = join(dir, 'audit.png');
  writeFileSync(page, r.out);
  execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', `--screenshot=${png}`, '--window-size=1200,900', `file://${page}`], {
    stdio: 'ignore',
    timeout: 60_000,
  });
  assert.ok(statSync(png).size > 10_000);
  assert.equal(readFileSync(png).subarray(1, 4).toString('latin1'), 'PNG');
});

test('audit: progress on stderr when it is a terminal, none otherwise', async () => {
  const args = ['--account', VULN, '--format', 'json', '--at', '2026-01-01T00:00:00Z'];
  const tty = fakeIo();
  Object.assign(tty.io.stderr, { isTTY: true });
  await auditCommand(args, tty.io);
  assert.match(tty.err(), /audit: graph \d+\/\d+/);
  assert.match(tty.err(), /audit: principals \d+\/122/);
  assert.ok(tty.err().endsWith('\r\x1b[K'), 'the progress line is cleared at the end');
  const piped = await runCommand(auditCommand, args);
  assert.equal(piped.err, '');
  assert.deepEqual(JSON.parse(piped.out).principals.length, JSON.parse(tty.out()).principals.length);
});
