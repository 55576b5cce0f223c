/**
 * STS and Access Analyzer through the real AWS CLI (/usr/bin/aws, botocore's
 * models). STS: GetCallerIdentity answers the account a key acts in, and STS's
 * errors are written in STS's XML namespace
 * (https://sts.amazonaws.com/doc/2011-06-15/), not IAM's — a bad signature, an
 * operation iamsim does not implement — while IAM's errors stay in IAM's (the
 * CLI's --debug log shows the raw body). Access Analyzer: every operation of
 * its model that iamsim does not serve is routed by the model's method and URI
 * template and answers 501 NotImplemented in AWS's REST-JSON error shape.
 * In CI (CI=true) a missing CLI fails the test; elsewhere it is skipped.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseCredentialsFile } from './auth.js';
import { AWS_V2 as AWS, awsCliEnv, cliAvailable } from './aws-cli-support.test.js';
import { startTestServer, type Started } from './test-support.test.js';

const run = promisify(execFile);
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const KEYS = parseCredentialsFile('[ci]\naws_access_key_id = AKIDIAMSIMTEST\naws_secret_access_key = s3cr3t\naws_account_id = 111122223333\n', 'creds');

let s: Started;
let base: NodeJS.ProcessEnv;
before(async () => {
  s = await startTestServer({ credentials: KEYS });
  base = awsCliEnv('iamsim-services-', { AWS_ACCESS_KEY_ID: 'AKIDIAMSIMTEST', AWS_MAX_ATTEMPTS: '1' });
});
after(() => s.stop());

const available = (t: { skip: (m: string) => void }): boolean => cliAvailable(t, AWS, `the AWS CLI (${AWS})`);

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `aws ARGS --endpoint-url URL --debug` signed with `secret`. */
async function aws(secret: string, ...args: string[]): Promise<Ran> {
  const env = { ...base, AWS_SECRET_ACCESS_KEY: secret };
  try {
    const r = await run(AWS, [...args, '--endpoint-url', s.url, '--debug'], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? 1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** The namespace and code of the error body botocore logged. */
function loggedError(r: Ran): { xmlns: string; code: string } {
  const m = /<ErrorResponse xmlns="([^"]+)">[\s\S]*?<Code>([^<]+)<\/Code>/.exec(r.stderr);
  assert.ok(m, `no ErrorResponse in the CLI's debug log:\n${r.stderr.slice(-2000)}`);
  return { xmlns: m[1]!, code: m[2]! };
}

test('aws sts get-caller-identity: the key’s account; a bad signature is SignatureDoesNotMatch in STS’s namespace', async (t) => {
  if (!available(t)) return;
  const ok = await aws('s3cr3t', 'sts', 'get-caller-identity');
  assert.equal(ok.code, 0, ok.stderr.slice(-2000));
  assert.deepEqual(JSON.parse(ok.stdout), { UserId: '111122223333', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:root' });

  const bad = await aws('wrong', 'sts', 'get-caller-identity');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /An error occurred \(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation/);
  assert.deepEqual(loggedError(bad), { xmlns: STS_NS, code: 'SignatureDoesNotMatch' });
});

test('an STS operation iamsim does not implement is NotImplemented in STS’s namespace; IAM’s errors stay in IAM’s', async (t) => {
  if (!available(t)) return;
  const assume = await aws('s3cr3t', 'sts', 'assume-role', '--role-arn', 'arn:aws:iam::111122223333:role/x', '--role-session-name', 'session');
  assert.notEqual(assume.code, 0);
  assert.deepEqual(loggedError(assume), { xmlns: STS_NS, code: 'NotImplemented' });

  const iamBad = await aws('wrong', 'iam', 'list-roles');
  assert.deepEqual(loggedError(iamBad), { xmlns: IAM_NS, code: 'SignatureDoesNotMatch' });
  const missing = await aws('s3cr3t', 'iam', 'get-user', '--user-name', 'nobody-here');
  assert.deepEqual(loggedError(missing), { xmlns: IAM_NS, code: 'NoSuchEntity' });
});

test('Access Analyzer operations iamsim does not serve answer NotImplemented (501, REST-JSON), routed by the model', async (t) => {
  if (!available(t)) return;
  const analyzer = 'arn:aws:access-analyzer:us-east-1:111122223333:analyzer/a';
  const calls: [string, string[]][] = [
    ['ListAnalyzers', ['list-analyzers']],
    ['GetAnalyzer', ['get-analyzer', '--analyzer-name', 'a']],
    ['CreateAnalyzer', ['create-analyzer', '--analyzer-name', 'a', '--type', 'ACCOUNT']],
    ['DeleteArchiveRule', ['delete-archive-rule', '--analyzer-name', 'a', '--rule-name', 'r']],
    ['GetFinding', ['get-finding', '--analyzer-arn', analyzer, '--id', 'f1']],
    ['ListTagsForResource', ['list-tags-for-resource', '--resource-arn', analyzer]],
    ['ListFindings', ['list-findings', '--analyzer-arn', analyzer]],
  ];
  for (const [op, args] of calls) {
    const r = await aws('s3cr3t', 'accessanalyzer', ...args);
    assert.match(r.stderr, new RegExp(`An error occurred \\(NotImplemented\\) when calling the ${op} operation`), `${args[0]}: ${r.stderr.slice(-500)}`);
  }
  // The served operations still answer.
  const ok = await aws(
    's3cr3t',
    'accessanalyzer',
    'validate-policy',
    '--policy-type',
    'IDENTITY_POLICY',
    '--policy-document',
    '{"Version":"2012-10-17","Statement":[]}',
  );
  assert.equal(ok.code, 0, ok.stderr.slice(-1000));
});

test('Access Analyzer NotImplemented in AWS REST-JSON shape; a path no operation has stays a 404', async (t) => {
  if (!available(t)) return;
  const r = await aws('s3cr3t', 'accessanalyzer', 'list-archive-rules', '--analyzer-name', 'a');
  assert.match(r.stderr, /"GET \/analyzer\/a\/archive-rule HTTP\/1\.1" 501/, 'urllib3 logged the status');
  assert.match(r.stderr, /'x-amzn-errortype': 'NotImplemented'/i);
  assert.match(r.stderr, /Response body:\s*b'\{"message":"ListArchiveRules is an operation of Access Analyzer/);
  const missing = await fetch(`${s.url}/no-such-operation`, { method: 'POST' });
  assert.equal(missing.status, 404);
});
