/**
 * --auth sigv4: signatures made by real SDK clients verify against the
 * configured keys; a wrong secret, an unknown key or an unsigned request is
 * refused with AWS's error codes. Writes beyond loopback need a verified signature.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { IAMClient, ListRolesCommand, CreateGroupCommand } from '@aws-sdk/client-iam';
import { AccessAnalyzerClient, ValidatePolicyCommand } from '@aws-sdk/client-accessanalyzer';
import { parseCredentialsFile } from './auth.js';
import { postForm, startTestServer, type Started } from './test-support.test.js';

const KEYS = parseCredentialsFile('[ci]\naws_access_key_id = AKIDIAMSIMTEST\naws_secret_access_key = s3cr3t\naws_account_id = 111122223333\n', 'creds');
let s: Started;
before(async () => {
  s = await startTestServer({ credentials: KEYS });
});
after(() => s.stop());

const iam = (secretAccessKey: string, accessKeyId = 'AKIDIAMSIMTEST'): IAMClient =>
  new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });

test('the credentials file: sections, keys, account id; a bad line names file and line', () => {
  assert.deepEqual(KEYS.get('AKIDIAMSIMTEST'), { secret: 's3cr3t', accountId: '111122223333' });
  assert.throws(() => parseCredentialsFile('[a]\nnot a pair\n', 'f.ini'), /f\.ini:2:1/);
  assert.throws(() => parseCredentialsFile('# empty\n', 'f.ini'), /no aws_access_key_id/);
});

test('signed by a configured key: accepted (IAM Query and Access Analyzer REST)', async () => {
  const c = iam('s3cr3t');
  assert.ok(((await c.send(new ListRolesCommand({}))).Roles ?? []).length > 0);
  await c.send(new CreateGroupCommand({ GroupName: 'signed-writers' }));
  c.destroy();
  const aa = new AccessAnalyzerClient({
    endpoint: s.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDIAMSIMTEST', secretAccessKey: 's3cr3t' },
    maxAttempts: 1,
  });
  const r = await aa.send(
    new ValidatePolicyCommand({
      policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
      policyType: 'IDENTITY_POLICY',
    }),
  );
  assert.ok(Array.isArray(r.findings));
  aa.destroy();
});

test('wrong secret, unknown key, no signature: refused with AWS codes', async () => {
  const cases: [IAMClient, string][] = [
    [iam('wrong'), 'SignatureDoesNotMatch'],
    [iam('s3cr3t', 'AKIDUNKNOWN'), 'InvalidClientTokenId'],
  ];
  for (const [c, code] of cases) {
    await assert.rejects(
      c.send(new ListRolesCommand({})),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === code && e.$metadata?.httpStatusCode === 403,
    );
    c.destroy();
  }
  const unsigned = await postForm(s.url, { Action: 'ListRoles' });
  assert.equal(unsigned.status, 403);
  assert.match(unsigned.text, /<Code>MissingAuthenticationToken<\/Code>/);
});

test('beyond loopback, an unverified write is AccessDenied; reads still answer', async () => {
  const open = await startTestServer({ host: '0.0.0.0' });
  try {
    const url = open.url.replace('0.0.0.0', '127.0.0.1');
    assert.equal((await postForm(url, { Action: 'ListRoles' })).status, 200);
    const w = await postForm(url, { Action: 'CreateGroup', GroupName: 'nope' });
    assert.equal(w.status, 403);
    assert.match(w.text, /<Code>AccessDenied<\/Code>/);
  } finally {
    await open.stop();
  }
});
